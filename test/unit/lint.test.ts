// The import-direction rules of .dependency-cruiser.mjs (run by `npm run lint`): each wrong import is reported under
// its rule's name, the allowed directions are not, and the real src/ tree passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const root = new URL('../..', import.meta.url).pathname;

async function cruiseTree(baseDir: string) {
  const options = await extractDepcruiseOptions(join(root, '.dependency-cruiser.mjs'));
  const tsConfig = extractTSConfig(join(root, 'tsconfig.json'));
  const { output } = await cruise(['src'], { ...options, baseDir }, {}, { tsConfig });
  return (output as ICruiseResult).summary;
}

// A small tree shaped like ours. Files named bad-* hold one wrong import each; every other import is allowed.
const tree: Record<string, string> = {
  'src/config.ts': "import type { Hub } from './platform/bad-for-config.js';\nexport const config = 1;\nexport type H = Hub;\n",
  'src/platform/bad-for-config.ts': 'export type Hub = number;\n',
  'src/platform/hub.ts': "import { config } from '../config.js';\nexport const hub = config;\n",
  'src/platform/bad-connector.ts': "import type { Client } from '../connectors/partner/index.js';\nexport type C = Client;\n",
  'src/platform/bad-module.ts': "export const load = () => import('../modules/a/index.js');\n",
  'src/connectors/partner/index.ts':
    "import { hub } from '../../platform/hub.js';\nimport { config } from '../../config.js';\nexport type Client = number;\nexport const client = hub + config;\n",
  'src/connectors/partner/bad-module.ts': "export * from '../../modules/a/index.js';\n",
  'src/modules/a/index.ts':
    "import { client } from '../../connectors/partner/index.js';\nimport { hub } from '../../platform/hub.js';\nimport { b } from '../b/index.js';\nexport * from './internal.js';\nexport const a = client + hub + b;\n",
  'src/modules/a/internal.ts': 'export const internal = 1;\n',
  'src/modules/b/index.ts': 'export const b = 1;\n',
  'src/modules/b/bad-internal.ts': "export { internal } from '../a/internal.js';\n",
  'src/modules/b/bad-emulator.ts': "export { store } from '../../emulators/partner/store.js';\n",
  'src/emulators/partner/store.ts': "import { hub } from '../../platform/hub.js';\nexport const store = hub;\n",
  'src/emulators/partner/cli.ts': "export { store } from './store.js';\n",
  'src/emulators/partner/bad-connector.ts': "export { client } from '../../connectors/partner/index.js';\n",
  // The one command file that lists emulators may use an emulator's cli.ts (and nothing deeper); other CLI files none.
  'src/cli/emulators.ts':
    "export { store } from '../emulators/partner/cli.js';\nexport { store as internal } from '../emulators/partner/store.js';\n",
  'src/cli/bad-program.ts': "export { store } from '../emulators/partner/cli.js';\n",
  'src/app.ts':
    "export { a } from './modules/a/index.js';\nexport { store } from './cli/emulators.js';\nexport { store as s } from './cli/bad-program.js';\n",
  'src/main.ts': "export { store } from './emulators/partner/cli.js';\nexport { helper } from '../test/helper.js';\n",
  'test/helper.ts': "export { store } from '../src/emulators/partner/store.js';\nexport const helper = 1;\n",
};

test('dependency-cruiser reports each wrong import under its rule and passes the allowed ones', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-depcruise-'));
  try {
    for (const [file, code] of Object.entries(tree)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), code);
    }
    const summary = await cruiseTree(dir);
    const found = summary.violations
      .filter((v) => v.rule.severity === 'error')
      .map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)
      .sort();
    assert.deepEqual(
      found,
      [
        'config-imports-nothing: src/config.ts → src/platform/bad-for-config.ts',
        'cli-imports-emulator-cli-only: src/cli/emulators.ts → src/emulators/partner/store.ts',
        'emulators-only-in-tests: src/cli/bad-program.ts → src/emulators/partner/cli.ts',
        'connectors-import-platform-and-config: src/connectors/partner/bad-module.ts → src/modules/a/index.ts',
        'emulators-import-platform-only: src/emulators/partner/bad-connector.ts → src/connectors/partner/index.ts',
        'emulators-only-in-tests: src/main.ts → src/emulators/partner/cli.ts',
        'emulators-only-in-tests: src/modules/b/bad-emulator.ts → src/emulators/partner/store.ts',
        'module-boundaries: src/modules/b/bad-internal.ts → src/modules/a/internal.ts',
        'modules-import-connectors-platform-config: src/modules/b/bad-emulator.ts → src/emulators/partner/store.ts',
        // a type-only import and a dynamic import count like any other
        'platform-imports-config-only: src/platform/bad-connector.ts → src/connectors/partner/index.ts',
        'platform-imports-config-only: src/platform/bad-module.ts → src/modules/a/index.ts',
        'src-imports-no-tests: src/main.ts → test/helper.ts',
      ].sort(),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the real src/ tree keeps the import direction', async () => {
  const summary = await cruiseTree(root);
  const broken = summary.violations.filter((v) => v.rule.severity !== 'ignore').map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
  assert.deepEqual(broken, []);
  assert.equal(summary.baselineStale ?? 0, 0, 'a known (temporary) violation that no longer exists must be deleted from the config');
  assert.ok(summary.totalCruised > 100, `cruised ${summary.totalCruised} modules`);
});

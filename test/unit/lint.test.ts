import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

const root = new URL('../..', import.meta.url).pathname;

test('a module may not import another module’s internals, only its index', async () => {
  const eslint = new ESLint({ cwd: root });
  const lint = async (file: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: `${root}${file}` });
    return result!.messages.filter((m) => m.ruleId === 'hub/module-boundaries');
  };
  const internal = await lint('src/modules/quiz/service.ts', "import { x } from '../tracking/keys/service.js';\nexport const y = x;\n");
  assert.equal(internal.length, 1);
  assert.match(internal[0]!.message, /internal file of module 'tracking'/);
  assert.equal((await lint('src/modules/quiz/service.ts', "import { x } from '../tracking/index.js';\nexport const y = x;\n")).length, 0);
  assert.equal(
    (await lint('src/modules/quiz/routes/a.ts', "import { x } from '../service.js';\nexport const y = x;\n")).length,
    0,
    'own files are fine',
  );
  assert.equal(
    (await lint('src/modules/quiz/a.ts', "import { x } from '../../platform/hub.js';\nexport const y = x;\n")).length,
    0,
    'the platform is fine',
  );
  const reexport = await lint('src/modules/quiz/a.ts', "export * from '../tracking/schema.js';\n");
  assert.equal(reexport.length, 1, 're-exports count too');
});

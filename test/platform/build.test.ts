// test-lane: no-database (run once, on the PGlite lane: nothing here opens the hub's database)
// Issue #20: `npm start` and `hub` run compiled JavaScript (dist/), built from src/ by bin/hub.js whenever a source
// changed since the last build, so no TypeScript loader sits in a production process and a stale build never runs.
// The bundle finds the migrations by walking up (it runs from dist/, not src/platform/db/): `hub migrate` on an
// empty folder proves it.
// The test runs on a copy of the checkout (node_modules linked): other test files start bin/hub.js at the same time,
// and one of them compiling the shared dist/ between this test's edit and its first command made it flaky.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { settingsMarkdown } from '../../src/config.js';
import { settingGroups } from '../../src/app.js';

const checkout = new URL('../..', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'hub-build-'));
for (const part of ['bin', 'scripts', 'src', 'drizzle', 'fts-album', 'package.json', 'tsconfig.json']) {
  cpSync(join(checkout, part), join(root, part), { recursive: true });
}
symlinkSync(join(checkout, 'node_modules'), join(root, 'node_modules'));
after(() => rmSync(root, { recursive: true, force: true }));
const { isStale } = (await import(join(root, 'scripts', 'build.mjs'))) as { isStale: () => boolean };

const hub = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'bin/hub.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, HUB_BUILD_VERBOSE: '1' },
  });

test('bin/hub.js compiles src/ when it changed, then runs the compiled code', () => {
  assert.equal(isStale(), true, 'a checkout without dist/ is stale');
  const fresh = hub('config');
  assert.equal(fresh.status, 0, fresh.stderr);
  assert.match(fresh.stderr, /build: \d+ files → dist\//, 'the first run compiled');
  assert.equal(isStale(), false);

  const later = new Date(Date.now() + 1000);
  utimesSync(join(root, 'src', 'main.ts'), later, later); // an edit
  assert.equal(isStale(), true);
  const first = hub('config');
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /build: \d+ files → dist\//, 'the edit was compiled before running');
  assert.equal(first.stdout.trim(), settingsMarkdown(settingGroups()));
  assert.equal(isStale(), false);

  const second = hub('config');
  assert.equal(second.status, 0);
  assert.doesNotMatch(second.stderr, /build:/, 'nothing changed: nothing compiled');

  const dataDir = mkdtempSync(join(tmpdir(), 'hub-build-migrate-'));
  try {
    const migrated = spawnSync(process.execPath, [join(root, 'bin/hub.js'), 'migrate'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    });
    assert.equal(migrated.status, 0, migrated.stderr);
    assert.match(migrated.stdout, /migrations applied \(pglite\)/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  // One bundle: the hub's code and drizzle-orm compiled in, every other package imported from node_modules.
  const main = readFileSync(join(root, 'dist', 'main.js'), 'utf8');
  assert.doesNotMatch(main, /^import type|^import .* from ["']drizzle-orm/m, 'plain JavaScript, drizzle-orm bundled');
  assert.match(main, /^import .* from ["']fastify["']/m, 'packages stay in node_modules');
  assert.ok(existsSync(join(root, 'dist', 'main.js.map')), 'with a source map for stack traces');
});

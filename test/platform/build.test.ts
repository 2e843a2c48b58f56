// Issue #20: `npm start` and `hub` run compiled JavaScript (dist/), built from src/ by bin/hub.js whenever a source
// changed since the last build, so no TypeScript loader sits in a production process and a stale build never runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { settingsMarkdown } from '../../src/config.js';
import { settingGroups } from '../../src/app.js';
// @ts-expect-error: a plain ES module of the repo's scripts, without types
import { isStale } from '../../scripts/build.mjs';

const root = new URL('../..', import.meta.url).pathname;
const hub = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'bin/hub.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, HUB_BUILD_VERBOSE: '1' },
  });

test('bin/hub.js compiles src/ when it changed, then runs the compiled code', () => {
  const later = new Date(Date.now() + 1000);
  utimesSync(join(root, 'src', 'main.ts'), later, later); // an edit
  assert.equal((isStale as () => boolean)(), true);
  const first = hub('config');
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /build: \d+ files → dist\//, 'the edit was compiled before running');
  assert.equal(first.stdout.trim(), settingsMarkdown(settingGroups()));
  assert.equal((isStale as () => boolean)(), false);

  const second = hub('config');
  assert.equal(second.status, 0);
  assert.doesNotMatch(second.stderr, /build:/, 'nothing changed: nothing compiled');

  // dist/ mirrors src/: what a module finds relative to itself (the migrations) is where it is from src/.
  assert.ok(existsSync(join(root, 'dist', 'platform', 'db', 'migrate.js')));
  const main = readFileSync(join(root, 'dist', 'main.js'), 'utf8');
  assert.doesNotMatch(main, /:\s*string|import type/, 'plain JavaScript');
});

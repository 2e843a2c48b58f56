// test-lane: no-database (run once, on the PGlite lane: nothing here opens the hub's database)
// Issue #20: a fresh clone needs nothing before `npm start` / `npm test`. scripts/with-node22.sh (which both run
// through) installs from package-lock.json when node_modules is missing or older than the lock file. Shown on a
// throwaway project with one local dependency (npm ci without the network, in a second or two) and the real script.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hub-quick-start-'));
  mkdirSync(join(dir, 'scripts'));
  cpSync(join(root, 'scripts', 'with-node22.sh'), join(dir, 'scripts', 'with-node22.sh'));
  mkdirSync(join(dir, 'dep'));
  writeFileSync(join(dir, 'dep', 'package.json'), JSON.stringify({ name: 'dep', version: '1.0.0', main: 'index.js' }));
  writeFileSync(join(dir, 'dep', 'index.js'), 'module.exports = "dep loaded";');
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'p', version: '1.0.0', private: true, dependencies: { dep: 'file:./dep' } }),
  );
  const lock = spawnSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8' });
  assert.equal(lock.status, 0, lock.stderr);
  return dir;
}

/** The script as `npm start` runs it, with this Node first on PATH (so it does not fetch Node 22 here). */
function run(dir: string) {
  const res = spawnSync(join(dir, 'scripts', 'with-node22.sh'), ['node', '-p', 'require("dep")'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` },
  });
  return { status: res.status, out: res.stdout.trim(), installed: /installing \(npm ci\)/.test(res.stderr), stderr: res.stderr };
}

test('a fresh clone installs on the first command; an unchanged one does not; a newer lock file installs again', (t) => {
  const dir = project();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const first = run(dir);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.out, 'dep loaded', 'the command ran after the install');
  assert.ok(first.installed, 'node_modules was missing: installed');

  const second = run(dir);
  assert.deepEqual([second.status, second.out, second.installed], [0, 'dep loaded', false], 'nothing to install');

  const earlier = new Date(Date.now() - 60_000);
  utimesSync(join(dir, 'node_modules', '.package-lock.json'), earlier, earlier); // a pull changed the lock file since
  const third = run(dir);
  assert.deepEqual([third.status, third.out, third.installed], [0, 'dep loaded', true]);
  assert.equal(run(dir).installed, false);
});

test("a node_modules that is a symlink (another checkout's install) is never reinstalled", (t) => {
  const dir = project();
  const other = project();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  t.after(() => rmSync(other, { recursive: true, force: true }));
  assert.equal(run(other).installed, true);
  symlinkSync(join(other, 'node_modules'), join(dir, 'node_modules'));
  const earlier = new Date(Date.now() - 60_000);
  utimesSync(join(other, 'node_modules', '.package-lock.json'), earlier, earlier);
  const res = run(dir);
  assert.deepEqual([res.status, res.out, res.installed], [0, 'dep loaded', false]);
  assert.ok(existsSync(join(other, 'node_modules', 'dep')), "the other checkout's install is untouched");
});

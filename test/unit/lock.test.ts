import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir, DataDirLockedError } from '../../src/platform/db/lock.js';

const root = new URL('../..', import.meta.url).pathname;

test('a second process cannot open a locked DATA_DIR, and says why', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-lock-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const lock = lockDataDir(dir);
  t.after(() => lock.release());
  assert.throws(() => lockDataDir(dir), DataDirLockedError, 'the same process cannot lock twice');

  const child = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'migrate'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
    encoding: 'utf8',
  });
  assert.notEqual(child.status, 0);
  assert.match(child.stderr, /in use by another hub process \(pid \d+\)/);
  assert.match(child.stderr, /DATABASE_URL/, 'the message points to the way out');
});

test('a stale lock left by a dead process is taken over', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-lock-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'hub.lock'), '2147483646');
  const lock = lockDataDir(dir);
  lock.release();
  assert.equal(existsSync(join(dir, 'hub.lock')), false, 'released lock file is removed');
});

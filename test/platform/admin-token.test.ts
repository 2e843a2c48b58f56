import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testHub, TEST_SECRET_KEY } from '../helpers/hub.js';
import { emptyDatabase, testBackend } from '../helpers/db.js';
import { openDatabase } from '../../src/platform/db/database.js';
import { AdminToken } from '../../src/platform/admin/token.js';

const root = new URL('../..', import.meta.url).pathname;

/** A fresh data folder (and, on PostgreSQL, a fresh database) and the `hub` CLI run against it. */
async function freshCli(t: TestContext) {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-cli-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const storage = testBackend() === 'postgres' ? await emptyDatabase() : undefined;
  if (storage) t.after(() => storage.drop());
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      cwd: root,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        DATABASE_URL: storage?.databaseUrl ?? '',
        HUB_SECRET_KEY: TEST_SECRET_KEY,
        ADMIN_TOKEN: '',
        LOG_LEVEL: 'silent',
      },
      encoding: 'utf8',
    });
  const open = () => (storage ? storage.open() : openDatabase({ dataDir }));
  return { run, open, onPostgres: storage !== undefined };
}

test('without ADMIN_TOKEN a token is generated once, stored only as a hash, and can be rotated', async (t) => {
  const h = await testHub(t, { env: { ADMIN_TOKEN: '' } });
  assert.match(h.generatedAdminToken ?? '', /^hub_admin_/);
  const token = h.generatedAdminToken!;
  const [row] = await h.hub.database.query<{ value: string }>("select value from hub_meta where key = 'admin_token_sha256'");
  assert.match(row!.value, /^[0-9a-f]{64}$/);
  assert.ok(!row!.value.includes(token), 'only the hash is stored');

  const ok = await h.app.inject({ method: 'GET', url: '/admin/v1/jobs/queues', headers: { authorization: `Bearer ${token}` } });
  assert.equal(ok.statusCode, 200);

  // A second process (here: a second AdminToken on the same database) does not generate another one.
  const again = await AdminToken.init(h.hub.database, undefined);
  assert.equal(again.generated, undefined);
  assert.equal(again.token.verify(token), true);

  const rotated = await h.hub.adminToken.rotate();
  assert.notEqual(rotated, token);
  const old = await h.app.inject({ method: 'GET', url: '/admin/v1/jobs/queues', headers: { authorization: `Bearer ${token}` } });
  assert.equal(old.statusCode, 401);
  const fresh = await h.app.inject({ method: 'GET', url: '/admin/v1/jobs/queues', headers: { authorization: `Bearer ${rotated}` } });
  assert.equal(fresh.statusCode, 200);
  assert.ok(!JSON.stringify(h.logs).includes(rotated) && !JSON.stringify(h.logs).includes(token), 'tokens never reach the logs');
});

test('`hub admin token --rotate` prints a new token that the stored hash accepts', async (t) => {
  const cli = await freshCli(t);
  const out = cli.run('admin', 'token', '--rotate');
  assert.equal(out.status, 0, out.stderr);
  const token = out.stdout.trim();
  assert.match(token, /^hub_admin_/);
  const database = await cli.open();
  if (!cli.onPostgres) t.after(() => database.close());
  const stored = await AdminToken.init(database, undefined);
  assert.equal(stored.generated, undefined);
  assert.equal(stored.token.verify(token), true);
  assert.equal(stored.token.verify(`${token}x`), false);
});

test('the first command on a fresh data folder shows the admin token it created, once', async (t) => {
  const cli = await freshCli(t);
  const run = () => cli.run('tracking', 'bot', 'list');
  const first = run();
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.stdout.trim(), '[]', 'the command output is unchanged');
  const token = /(hub_admin_\S+)/.exec(first.stderr)?.[1];
  assert.ok(token, `the token is shown: ${first.stderr}`);
  const database = await cli.open();
  t.after(() => database.close());
  assert.equal((await AdminToken.init(database, undefined)).token.verify(token), true);
  await database.close();
  const second = run();
  assert.doesNotMatch(second.stderr, /hub_admin_/, 'shown once');
});

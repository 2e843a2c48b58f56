import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMigrations, migrationStatus } from '../../src/platform/db/migrate.js';
import { emptyDatabase, testBackend } from '../helpers/db.js';
import { testHub } from '../helpers/hub.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHubConfig } from '../../src/app.js';
import { openHub } from '../../src/platform/hub.js';
import { createLogger } from '../../src/platform/observability/logger.js';

test(`migrations apply to an empty ${testBackend()} database, are idempotent and concurrent-safe`, async (t) => {
  const empty = await emptyDatabase();
  t.after(() => empty.drop());
  const a = await empty.open();
  const before = await migrationStatus(a);
  assert.equal(before.applied, 0);
  if (testBackend() === 'postgres') {
    const b = await empty.open();
    await Promise.all([applyMigrations(a), applyMigrations(b)]); // two processes starting at once
  } else {
    await applyMigrations(a);
  }
  await applyMigrations(a);
  const after = await migrationStatus(a);
  assert.equal(after.applied, after.expected);
  assert.ok(after.expected >= 1);
  const tables = await a.query<{ table_name: string }>("select table_name from information_schema.tables where table_schema = 'public'");
  const names = tables.map((r) => r.table_name);
  for (const t of ['hub_meta', 'inbox_messages', 'rate_buckets']) assert.ok(names.includes(t), t);
});

test('int8 results are numbers on both backends', async (t) => {
  const h = await testHub(t);
  const [row] = await h.hub.database.query<{ n: unknown; big: unknown }>('select count(*) as n, 9007199254740993::int8 as big');
  assert.equal(typeof row!.n, 'number');
  assert.equal(row!.big, '9007199254740993', 'unsafe integers stay exact as strings');
});

test('a named statement is prepared on PostgreSQL and runs the same on PGlite', async (t) => {
  const h = await testHub(t);
  // The view lists the session's prepared statements, this one included while it runs.
  const text = "select name from pg_prepared_statements where name = 'hub-test-prepared'";
  for (let i = 0; i < 2; i++) {
    const rows = await h.hub.database.query<{ name: string }>(text, [], 'hub-test-prepared');
    assert.deepEqual(rows, testBackend() === 'postgres' ? [{ name: 'hub-test-prepared' }] : []);
  }
  const [row] = await h.hub.database.query<{ x: number }>('select $1::int + 1 as x', [41], 'hub-test-add');
  assert.equal(row!.x, 42);
});

test('queryArrays answers rows as arrays in select order, named or not, on both backends', async (t) => {
  const h = await testHub(t);
  const text = "select n, 'row ' || n as label, null::text as none, count(*) over () as total from generate_series(1, 3) n order by n";
  const expected = [
    [1, 'row 1', null, 3],
    [2, 'row 2', null, 3],
    [3, 'row 3', null, 3],
  ];
  assert.deepEqual(await h.hub.database.queryArrays(text, []), expected);
  assert.deepEqual(await h.hub.database.queryArrays(text, [], 'hub-test-arrays'), expected);
  assert.deepEqual(await h.hub.database.queryArrays(text, [], 'hub-test-arrays'), expected, 'the prepared statement again');
});

// PGlite only: PostgreSQL sizes its own shared_buffers.
if (testBackend() === 'pglite')
  test("embedded PGlite's page cache is sized for one process, and PGLITE_SHARED_BUFFERS_MB sets it", async (t) => {
    for (const [env, expected] of [
      [{}, '32MB'],
      [{ PGLITE_SHARED_BUFFERS_MB: '8' }, '8MB'],
    ] as const) {
      const dataDir = mkdtempSync(join(tmpdir(), 'hub-buffers-'));
      t.after(() => rmSync(dataDir, { recursive: true, force: true }));
      const config = loadHubConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
      const { hub } = await openHub(config, { role: 'api', log: createLogger({ level: 'silent', pretty: false }) });
      try {
        const [row] = await hub.database.query<{ shared_buffers: string }>('show shared_buffers');
        assert.equal(row!.shared_buffers, expected);
      } finally {
        await hub.close();
      }
    }
  });

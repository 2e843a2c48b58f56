// Issue #24: keys of a previous system are imported through the CLI — plain keys hashed on import, or SHA-256 +
// prefix — and keep working unchanged; bad rows are reported by line, a second run skips what is there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { api, parcel, trackingHub } from './helpers.js';
import { cli } from './import-helpers.js';

test('key import: plain and hashed keys work as they were, with scope and limit; bad rows named by line; re-run skips', async (t) => {
  const h = await trackingHub(t);
  await cli(h, 'bot', 'create', '--name', 'Карго', '--id', '77');
  const dir = await mkdtemp(join(tmpdir(), 'hub-keys-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const plain = 'tb_' + 'A1b2C3d4'.repeat(4);
  const legacy = 'tb_legacy-key_0123456789abcdef';
  const hashed = 'tb_' + 'Zz9'.repeat(10) + 'Zz';
  const sha = createHash('sha256').update(hashed).digest('hex');
  const file = join(dir, 'keys.csv');
  await writeFile(
    file,
    [
      'key,sha256,prefix,name,scope,rate_limit_per_minute',
      `${plain},,,crm,,`,
      `${legacy},,,старый виджет,read,30`,
      `,${sha.toUpperCase()},${hashed.slice(0, 8)},hashed,write,`,
      'not-a-key,,,bad,,',
      ',zz,tb_x,bad hash,,',
      `tb_${'q'.repeat(20)},,,bad scope,admin,`,
    ].join('\n'),
  );
  const first = await cli(h, 'key', 'import', '--bot', '77', file);
  const result = JSON.parse(first.stdout);
  assert.deepEqual([result.imported, result.skipped, result.failed], [3, 0, 3]);
  assert.deepEqual(
    result.errors.map((e: { line: number }) => e.line),
    [5, 6, 7],
  );
  assert.match(result.errors[1].error, /sha256/);
  assert.equal(first.exitCode, 2, 'failed rows make the exit code 2');

  for (const k of [plain, legacy, hashed]) assert.equal((await api(h, k)('GET', '/tracking/77')).statusCode, 200, k);
  assert.equal((await api(h, legacy)('POST', '/tracking/77', parcel('X1'))).statusCode, 403, 'imported with scope read');
  assert.equal((await api(h, plain)('POST', '/tracking/77', parcel('X1'))).statusCode, 201);
  const rows = await h.hub.database.query<{ origin: string; prefix: string; rate_limit_per_minute: number }>(
    'select origin, prefix, rate_limit_per_minute from tracking_api_keys where bot_id = 77 order by id',
  );
  assert.deepEqual(
    rows.map((r) => r.origin),
    ['imported', 'imported', 'imported'],
  );
  assert.deepEqual([rows[1]!.prefix, rows[1]!.rate_limit_per_minute], ['tb_legac', 30]);
  const stored = await h.hub.database.query<{ n: number }>("select count(*)::int as n from tracking_api_keys where key_hash like 'tb_%'");
  assert.equal(stored[0]!.n, 0, 'no plain key is stored');

  const again = JSON.parse((await cli(h, 'key', 'import', '--bot', '77', file)).stdout);
  assert.deepEqual([again.imported, again.skipped], [0, 3], 'a second run skips the keys already there');
  await writeFile(join(dir, 'nohead.csv'), `${plain}\n`);
  await assert.rejects(cli(h, 'key', 'import', '--bot', '77', join(dir, 'nohead.csv')), /header/);
});

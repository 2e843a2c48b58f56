// `hub tracking import` at 100,000 rows, on embedded PGlite and on PostgreSQL. The hub is opened the way the CLI
// opens it for a one-off command (openHub, role api) and the command runs through the CLI's own commander
// definition (registerTrackingCli), so the measured path is the operator's: file checks, streaming parse,
// validation, batched writes, the summary. Baseline, same run and database: the same rows written by plain
// multi-row INSERTs (1,000 rows a statement, one transaction each) into a scratch table shaped like
// tracking_numbers — what writing the rows costs with no hub around it. Target: 100,000 rows in under 10 s.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import ExcelJS from 'exceljs';
import { loadHubConfig } from '../src/app.js';
import { openHub, type Hub } from '../src/platform/hub.js';
import { createLogger } from '../src/platform/observability/logger.js';
import { registerTrackingCli, type CliIo } from '../src/modules/tracking/cli.js';
import { benchDatabase } from './tracking.js';

const ROWS = 100_000;
const CLIENTS = 2_000;
const UPDATES = 10_000;
const TARGET_SECONDS = 10;
const STATUSES = ['pending', 'in_transit', 'delivered'] as const;
const HEADER = ['tracking_number', 'client_code', 'status', 'quantity', 'weight_kg', 'price_per_kg_usd', 'note'];

/** Row i of the benchmark's file: a mix of clients, statuses and amounts, a note on every tenth row. */
const row = (i: number, prefix: string) =>
  [
    `${prefix}${String(i).padStart(9, '0')}`,
    `C${1 + (i % CLIENTS)}`,
    STATUSES[i % STATUSES.length]!,
    1 + (i % 7),
    (i % 50) + 0.5,
    14.29,
    i % 10 === 0 ? `груз ${i}` : '',
  ] as const;

function writeCsv(path: string, rows: number, prefix: string, status?: string): void {
  const lines = [HEADER.join(';')];
  for (let i = 0; i < rows; i++) {
    const r = [...row(i, prefix)];
    if (status) r[2] = status;
    lines.push(r.map((v) => String(v).replace('.', ',')).join(';')); // a Russian Excel's CSV: `;` and decimal commas
  }
  writeFileSync(path, `\uFEFF${lines.join('\r\n')}\r\n`);
}

async function writeXlsx(path: string, rows: number, prefix: string): Promise<void> {
  // Shared strings, as Excel writes them.
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const sheet = book.addWorksheet('Грузы');
  sheet.addRow(HEADER).commit();
  for (let i = 0; i < rows; i++) sheet.addRow(row(i, prefix).map((v) => (v === '' ? null : v))).commit();
  await book.commit();
}

interface Summary {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

/** `hub tracking …` through the CLI's command definitions on an open hub; seconds and the JSON it printed. */
async function cli(hub: Hub, ...args: string[]): Promise<{ seconds: number; out: Summary }> {
  const out: string[] = [];
  const io: CliIo = { out: (s) => void out.push(s), err: () => undefined, setExitCode: () => undefined };
  const program = new Command('hub').exitOverride();
  registerTrackingCli(program, (fn) => fn(hub), io);
  const started = process.hrtime.bigint();
  await program.parseAsync(['node', 'hub', 'tracking', ...args]);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, out: JSON.parse(out.join('')) as Summary };
}

/** The baseline: the same rows as multi-row INSERTs into a scratch table, 1,000 rows a statement. */
async function baseline(hub: Hub): Promise<number> {
  await hub.database.query(
    `create table bench_import_raw (id bigserial primary key, bot_id bigint not null, client_code text not null, tracking_number text not null,
       current_status text not null, quantity int, weight_kg numeric(12,3), price_per_kg_usd numeric(12,2), note text, unique (bot_id, tracking_number))`,
  );
  const started = process.hrtime.bigint();
  for (let from = 0; from < ROWS; from += 1000) {
    const params: unknown[] = [];
    const values: string[] = [];
    for (let i = from; i < Math.min(ROWS, from + 1000); i++) {
      const [number, client, status, quantity, weight, price, note] = row(i, 'RAW');
      const n = params.push(1, client, number, status, quantity, weight, price, note || null);
      values.push(`(${Array.from({ length: 8 }, (_, k) => `$${n - 7 + k}`).join(', ')})`);
    }
    await hub.database.query(
      `insert into bench_import_raw (bot_id, client_code, tracking_number, current_status, quantity, weight_kg, price_per_kg_usd, note) values ${values.join(', ')}`,
      params,
    );
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function runOnce(postgresUrl: string | undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'hub-bench-import-'));
  const pg = postgresUrl ? await benchDatabase(postgresUrl, `hub_bench_import_${process.pid}`) : undefined;
  const config = loadHubConfig({
    DATA_DIR: join(dir, 'data'),
    LOG_LEVEL: 'silent',
    HUB_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
    ADMIN_TOKEN: 'bench-admin-token-0123456789',
    ...(pg ? { DATABASE_URL: pg.databaseUrl } : {}),
  });
  const { hub } = await openHub(config, { role: 'api', log: createLogger({ level: 'silent', pretty: false }) });
  try {
    const csv = join(dir, 'parcels.csv');
    const xlsx = join(dir, 'parcels.xlsx');
    const moves = join(dir, 'moves.csv');
    writeCsv(csv, ROWS, 'CSV');
    await writeXlsx(xlsx, ROWS, 'XLS');
    writeCsv(moves, UPDATES, 'CSV', 'issued');
    await cli(hub, 'bot', 'create', '--name', 'bench', '--id', '1');
    const raw = await baseline(hub);
    const first = await cli(hub, 'import', '--bot', '1', csv);
    const again = await cli(hub, 'import', '--bot', '1', csv);
    const book = await cli(hub, 'import', '--bot', '1', xlsx);
    const moved = await cli(hub, 'import', '--bot', '1', moves);
    const [count] = await hub.database.query<{ n: number; history: number }>(
      "select (select count(*)::int from tracking_numbers) as n, (select count(*)::int from tracking_status_history where source = 'import') as history",
    );
    const expect = (what: string, ok: boolean) => {
      if (!ok) throw new Error(`import bench: ${what}`);
    };
    expect('CSV created every row', first.out.created === ROWS && first.out.failed === 0);
    expect('the re-run changed nothing', again.out.unchanged === ROWS && again.out.created === 0 && again.out.updated === 0);
    expect('XLSX created every row', book.out.created === ROWS && book.out.failed === 0);
    expect('every status move applied', moved.out.updated === UPDATES && moved.out.failed === 0);
    expect('stored rows and history', count!.n === 2 * ROWS && count!.history === 2 * ROWS + UPDATES);
    return { raw, first: first.seconds, again: again.seconds, book: book.seconds, moved: moved.seconds };
  } finally {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
    await pg?.drop();
  }
}

export async function runImportBench(opts: { postgresUrl?: string } = {}): Promise<string> {
  const lines: string[] = [];
  const verdicts: string[] = [];
  for (const backend of ['PGlite (embedded)', ...(opts.postgresUrl ? ['PostgreSQL'] : [])]) {
    const r = await runOnce(backend === 'PostgreSQL' ? opts.postgresUrl : undefined);
    const perSecond = (rows: number, seconds: number) => Math.round(rows / seconds).toLocaleString('en');
    const line = (what: string, rows: number, seconds: number) =>
      `| ${backend} | ${what} | ${rows.toLocaleString('en')} | ${seconds.toFixed(2)} | ${perSecond(rows, seconds)} | ${((r.raw / seconds) * (rows / ROWS) * 100).toFixed(0)}% |`;
    lines.push(
      line('baseline: multi-row INSERT into a scratch table', ROWS, r.raw),
      line('CSV import, every row new', ROWS, r.first),
      line('the same CSV again, every row unchanged', ROWS, r.again),
      line('XLSX import (shared strings), every row new', ROWS, r.book),
      line('CSV of status moves (`delivered`/… → `issued`)', UPDATES, r.moved),
    );
    verdicts.push(`${backend}: **${r.first.toFixed(1)} s** (${r.first < TARGET_SECONDS ? 'met' : 'NOT met'})`);
  }
  return [
    `\`hub tracking import\` of ${ROWS.toLocaleString('en')} rows (${CLIENTS.toLocaleString('en')} clients, a Russian Excel CSV: \`;\`, decimal commas, BOM) through`,
    'the CLI command on an open hub (file checks, streaming parse, validation, batched writes of 2,000 rows a transaction).',
    'Baseline, same run and database: the same rows as plain multi-row INSERTs, 1,000 rows a statement, into a scratch table',
    'with the same columns and unique key; "of baseline" is the step\'s rows/s as a share of the baseline\'s. Status moves go',
    "through the status machine one row at a time, inside the batch's transaction (history, counters, webhook deliveries).",
    '',
    '| backend | step | rows | seconds | rows/s | of baseline |',
    '|---|---|---|---|---|---|',
    ...lines,
    '',
    `Target: ${ROWS.toLocaleString('en')} rows in under ${TARGET_SECONDS} s on each backend — ${verdicts.join('; ')}.`,
  ].join('\n');
}

// `hub tracking import` at 100,000 rows, on embedded PGlite and on PostgreSQL. The hub is opened the way the CLI
// opens it for a one-off command (openHub, role api) and the command runs through the CLI's own commander
// definition (registerTrackingCli), so the measured path is the operator's: file checks, streaming parse,
// validation, batched writes, the summary. Baseline, same run and database: the same rows written by plain
// multi-row INSERTs (1,000 rows a statement, one transaction each) into a scratch table shaped like
// tracking_numbers — what writing the rows costs with no hub around it; the two alternate over three rounds.
// Target: 100,000 rows in under 10 s.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import ExcelJS from 'exceljs';
import { loadHubConfig } from '../src/app.js';
import { openHub, type Hub } from '../src/platform/hub.js';
import { createLogger } from '../src/platform/observability/logger.js';
import { registerTrackingCli, type CliIo } from '../src/modules/tracking/cli.js';
import { cpuBetween, cpuSnapshot } from './cpu.js';
import { benchDatabase } from './tracking.js';

const ROWS = 100_000;
const CLIENTS = 2_000;
const UPDATES = 10_000;
const TARGET_SECONDS = 10;
const ROUNDS = 3;
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

interface Step {
  seconds: number;
  /** CPU seconds of this process and, on PostgreSQL, of the benchmark database's backends. */
  cpu: number;
}

/** Wall and CPU time of `work`: this process, plus the backends serving this database (none on PGlite). */
async function measure(hub: Hub, work: () => Promise<void>): Promise<Step> {
  const backends = async () =>
    hub.database.backend === 'postgres'
      ? new Set(
          (await hub.database.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database()')).map(
            (r) => r.pid,
          ),
        )
      : new Set<number>();
  const before = cpuSnapshot();
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const own = process.cpuUsage(cpu);
  const pids = await backends();
  const db = cpuBetween(before, cpuSnapshot(), [{ name: 'db', match: (pid) => pids.has(pid) }]).db!;
  return { seconds, cpu: (own.user + own.system) / 1e6 + db / 1000 };
}

/** `hub tracking …` through the CLI's command definitions on an open hub; its time and the JSON it printed. */
async function cli(hub: Hub, ...args: string[]): Promise<Step & { out: Summary }> {
  const out: string[] = [];
  const io: CliIo = { out: (s) => void out.push(s), err: () => undefined, setExitCode: () => undefined };
  const program = new Command('hub').exitOverride();
  registerTrackingCli(program, (fn) => fn(hub), io);
  const step = await measure(hub, async () => void (await program.parseAsync(['node', 'hub', 'tracking', ...args])));
  return { ...step, out: JSON.parse(out.join('')) as Summary };
}

/**
 * The baseline: the same rows as multi-row INSERTs, 1,000 rows a statement, into a scratch table with
 * tracking_numbers' columns and indexes (no foreign keys, no history, no clients or counters).
 */
async function baseline(hub: Hub, round: number): Promise<Step> {
  const table = `bench_import_raw_${round}`;
  await hub.database.query(`create table ${table} (like tracking_numbers including indexes)`);
  return measure(hub, async () => {
    for (let from = 0; from < ROWS; from += 1000) {
      const params: unknown[] = [];
      const values: string[] = [];
      for (let i = from; i < Math.min(ROWS, from + 1000); i++) {
        const [number, client, status, quantity, weight, price, note] = row(i, 'RAW');
        const n = params.push(i + 1, 1, 1 + (i % CLIENTS), number, client, status, quantity, weight, price, weight * price, note || null);
        values.push(`(${Array.from({ length: 11 }, (_, k) => `$${n - 10 + k}`).join(', ')}, now(), now())`);
      }
      await hub.database.query(
        `insert into ${table} (id, bot_id, client_id, tracking_number, client_code, current_status, quantity, weight_kg, price_per_kg_usd, total_cost_usd, note, created_at, updated_at)
         values ${values.join(', ')}`,
        params,
      );
    }
  });
}

/** The median of an odd number of steps, by wall time. */
const median = (steps: readonly Step[]): Step => [...steps].sort((x, y) => x.seconds - y.seconds)[Math.floor(steps.length / 2)]!;
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0]!;

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
  const expect = (what: string, ok: boolean) => {
    if (!ok) throw new Error(`import bench: ${what}`);
  };
  try {
    const csv = join(dir, 'parcels.csv');
    const xlsx = join(dir, 'parcels.xlsx');
    const moves = join(dir, 'moves.csv');
    writeCsv(csv, ROWS, 'CSV');
    await writeXlsx(xlsx, ROWS, 'XLS');
    writeCsv(moves, UPDATES, 'CSV', 'issued');
    const load = [loadAverage()];
    // Rounds alternate the baseline and the import (each into its own bot or scratch table), so a busy moment
    // of the shared machine does not land on one of them only; medians are reported.
    const raws: Step[] = [];
    const firsts: Step[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      raws.push(await baseline(hub, round));
      await cli(hub, 'bot', 'create', '--name', `bench ${round}`, '--id', String(round));
      const first = await cli(hub, 'import', '--bot', String(round), csv);
      expect('CSV created every row', first.out.created === ROWS && first.out.failed === 0);
      firsts.push(first);
    }
    const again = await cli(hub, 'import', '--bot', '1', csv);
    const book = await cli(hub, 'import', '--bot', '1', xlsx);
    const moved = await cli(hub, 'import', '--bot', '1', moves);
    load.push(loadAverage());
    const [count] = await hub.database.query<{ n: number; history: number }>(
      "select (select count(*)::int from tracking_numbers) as n, (select count(*)::int from tracking_status_history where source = 'import') as history",
    );
    expect('the re-run changed nothing', again.out.unchanged === ROWS && again.out.created === 0 && again.out.updated === 0);
    expect('XLSX created every row', book.out.created === ROWS && book.out.failed === 0);
    expect('every status move applied', moved.out.updated === UPDATES && moved.out.failed === 0);
    expect('stored rows and history', count!.n === (ROUNDS + 1) * ROWS && count!.history === (ROUNDS + 1) * ROWS + UPDATES);
    return { raws, firsts, raw: median(raws), first: median(firsts), again, book, moved, load };
  } finally {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
    await pg?.drop();
  }
}

export async function runImportBench(opts: { postgresUrl?: string } = {}): Promise<string> {
  const lines: string[] = [];
  const verdicts: string[] = [];
  const loads: string[] = [];
  for (const backend of ['PGlite (embedded)', ...(opts.postgresUrl ? ['PostgreSQL'] : [])]) {
    const r = await runOnce(backend === 'PostgreSQL' ? opts.postgresUrl : undefined);
    const rate = (rows: number, s: Step) => rows / s.seconds;
    const all = (steps: Step[]) => ` (${steps.map((s) => s.seconds.toFixed(1)).join(' / ')})`;
    const line = (what: string, rows: number, s: Step, rounds = '') =>
      `| ${backend} | ${what} | ${rows.toLocaleString('en')} | ${s.seconds.toFixed(2)}${rounds} | ${Math.round(rate(rows, s)).toLocaleString('en')} | ${s.cpu.toFixed(2)} | ${((rate(rows, s) / rate(ROWS, r.raw)) * 100).toFixed(0)}% |`;
    lines.push(
      line('baseline: multi-row INSERT into a scratch table', ROWS, r.raw, all(r.raws)),
      line('**CSV import, every row new**', ROWS, r.first, all(r.firsts)),
      line('the same CSV again, every row unchanged', ROWS, r.again),
      line('XLSX import (shared strings), every row new', ROWS, r.book),
      line('CSV of status moves (→ `issued`)', UPDATES, r.moved),
    );
    verdicts.push(`${backend} **${r.first.seconds.toFixed(1)} s** (${r.first.seconds < TARGET_SECONDS ? 'met' : 'NOT met'})`);
    loads.push(`${backend} ${r.load.join(' → ')}`);
  }
  return [
    `\`hub tracking import\` of ${ROWS.toLocaleString('en')} rows (${CLIENTS.toLocaleString('en')} clients; a Russian Excel CSV: \`;\`, decimal commas, BOM), run`,
    "through the CLI's command on an open hub: file checks, streaming parse, validation, writes of 5,000 rows a transaction",
    '(clients, numbers, first history rows, counters; status moves with their history and webhook deliveries).',
    'Baseline, same run and database: the same rows as plain multi-row INSERTs, 1,000 rows a statement, into a scratch table',
    'with tracking_numbers\' columns and indexes but no foreign keys, history, clients or counters; "of baseline" is the',
    "step's rows/s as a share of the baseline's. The baseline and the new-rows import run in alternating rounds (each",
    `into its own table or bot); the median of ${ROUNDS} is shown, every round in brackets. CPU: this process, plus on`,
    "PostgreSQL the benchmark database's backends — steadier than wall time on a shared machine.",
    '',
    '| backend | step | rows | seconds | rows/s | CPU s | of baseline |',
    '|---|---|---|---|---|---|---|',
    ...lines,
    '',
    `Target: ${ROWS.toLocaleString('en')} rows in under ${TARGET_SECONDS} s on each backend — ${verdicts.join('; ')}.`,
    `Load average (1 min) at the start and end of each backend's run: ${loads.join('; ')} (2 cores; other work shares the machine).`,
  ].join('\n');
}

// The hub as a user starts it (`npm start` = bin/hub.js serve, compiled JavaScript), measured from outside as
// child processes: cold start (an empty DATA_DIR: initdb and migrations) and restart to the first /readyz 200,
// resident memory idle and after load (a 50,000-row import through the CLI beside the running hub, then 10 s of
// tracking API reads), on embedded PGlite and on PostgreSQL. Baselines in the same run: a bare PGlite process
// holding the same database (with PostgreSQL's default 128 MB of shared buffers, and with the hub's 32 MB), and a
// bare Node process. Goals (issue #20): embedded idle ≤ 300 MB, restart to ready ≤ 2 s.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { autocannon } from './load.js';
import { benchDatabase, freePort } from './tracking.js';

const root = new URL('..', import.meta.url).pathname;
const IDLE_SETTLE_MS = 10_000;
const RESTARTS = 3;
const IMPORT_ROWS = 50_000;
const GOAL_IDLE_MB = 300;
const GOAL_RESTART_S = 2;

const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Running {
  readonly child: ChildProcess;
  readonly origin: string;
  /** Spawn to the first /readyz 200. */
  readonly readyMs: number;
}

async function start(env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'bin/hub.js'), 'serve'], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + String(d)).slice(-4000)));
  const origin = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hub exited (${child.exitCode}):\n${stderr}`);
    const ok = await fetch(`${origin}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { child, origin, readyMs: performance.now() - started };
    if (performance.now() - started > 120_000) throw new Error(`hub not ready within 120 s:\n${stderr}`);
    await sleep(20);
  }
}

async function stop(r: Running): Promise<void> {
  const exited = new Promise((resolve) => r.child.once('exit', resolve));
  r.child.kill('SIGTERM');
  await exited;
}

function cli(env: Record<string, string>, ...args: string[]): string {
  const res = spawnSync(process.execPath, [join(root, 'bin/hub.js'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`hub ${args.join(' ')}: exit ${res.status}\n${res.stderr}`);
  return res.stdout;
}

/** A bare PGlite process holding `dataDir` (no hub), idle for the same settle time; its RSS. */
async function barePglite(dataDir: string, sharedBuffersMb: number | undefined): Promise<number> {
  const script = `
    const { PGlite } = await import('@electric-sql/pglite');
    const extra = ${sharedBuffersMb ? `['-c', 'shared_buffers=${sharedBuffersMb}MB']` : '[]'};
    const db = await PGlite.create({ dataDir: ${JSON.stringify(dataDir)}, startParams: [...PGlite.defaultStartParams, ...extra] });
    await db.query('select count(*) from tracking_numbers');
    process.stdout.write('ready\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`bare PGlite exited ${code}`)));
  });
  await sleep(IDLE_SETTLE_MS);
  const mb = rssMb(child.pid!);
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return mb;
}

async function bareNode(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await sleep(1000);
  const mb = rssMb(child.pid!);
  child.kill('SIGKILL');
  return mb;
}

function importFile(dir: string): string {
  const file = join(dir, 'parcels.csv');
  const lines = ['tracking_number;client_code;status;weight_kg'];
  for (let i = 0; i < IMPORT_ROWS; i++)
    lines.push(`EMB${String(i).padStart(8, '0')};C${i % 500};${i % 2 ? 'pending' : 'in_transit'};${(i % 40) + 0.5}`);
  writeFileSync(file, lines.join('\n'));
  return file;
}

interface Measured {
  readonly coldS: number;
  readonly restartS: number[];
  readonly idleMb: number;
  readonly loadedMb: number;
  readonly settledMb: number;
  readonly importS: number;
  readonly rps: number;
}

async function measure(env: Record<string, string>, dir: string): Promise<Measured> {
  let hub = await start(env);
  const coldS = hub.readyMs / 1000;
  const restartS: number[] = [];
  for (let i = 0; i < RESTARTS; i++) {
    await stop(hub);
    hub = await start(env);
    restartS.push(hub.readyMs / 1000);
  }
  try {
    await sleep(IDLE_SETTLE_MS);
    const idleMb = rssMb(hub.child.pid!);
    // Load, through the operator's own paths: the CLI beside the running hub, then the public API.
    cli(env, 'tracking', 'bot', 'create', '--name', 'Bench', '--id', '1');
    const key = cli(env, 'tracking', 'key', 'create', '--bot', '1', '--limit', '10000000').trim();
    const t0 = performance.now();
    cli(env, 'tracking', 'import', '--bot', '1', importFile(dir));
    const importS = (performance.now() - t0) / 1000;
    const reads = await autocannon('reads', `${hub.origin}/api/v1/tracking/1?page_size=50`, { seconds: 10, headers: { 'x-api-key': key } });
    const loadedMb = rssMb(hub.child.pid!);
    await sleep(IDLE_SETTLE_MS);
    return { coldS, restartS, idleMb, loadedMb, settledMb: rssMb(hub.child.pid!), importS, rps: reads.rps };
  } finally {
    await stop(hub);
  }
}

const f0 = (n: number) => n.toFixed(0);
const f2 = (n: number) => n.toFixed(2);

export async function runEmbeddedBench(opts: { postgresUrl?: string } = {}): Promise<string> {
  // The build is what `npm start` runs; compile once up front so no start below pays for it.
  spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--if-stale'], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'hub-bench-embedded-'));
  const secret = { HUB_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'), ADMIN_TOKEN: 'bench-embedded-admin-token-0123' };
  try {
    const dataDir = join(dir, 'data');
    const embedded = await measure({ ...secret, DATA_DIR: dataDir }, dir);
    const bareDefault = await barePglite(dataDir, undefined);
    const bareTuned = await barePglite(dataDir, 32);
    const node = await bareNode();
    const rows = [
      `| bare Node process (\`node -e\`) | — | — | ${f0(node)} | — | — |`,
      `| bare PGlite holding the hub's database, PostgreSQL's default 128 MB shared buffers | — | — | ${f0(bareDefault)} | — | — |`,
      `| bare PGlite holding the hub's database, 32 MB shared buffers (the hub's setting) | — | — | ${f0(bareTuned)} | — | — |`,
      `| **hub, embedded PGlite** (\`npm start\`) | ${f2(embedded.coldS)} | **${f2(median(embedded.restartS))}** (${embedded.restartS.map(f2).join(' / ')}) | **${f0(embedded.idleMb)}** | ${f0(embedded.loadedMb)} | ${f0(embedded.settledMb)} |`,
    ];
    let pgLine = '';
    if (opts.postgresUrl) {
      const db = await benchDatabase(opts.postgresUrl, `hub_bench_embedded_${process.pid}`);
      try {
        const pgDir = mkdtempSync(join(tmpdir(), 'hub-bench-embedded-pg-'));
        const server = await measure({ ...secret, DATA_DIR: pgDir, DATABASE_URL: db.databaseUrl }, pgDir);
        rows.push(
          `| hub, PostgreSQL (\`DATABASE_URL\`) | ${f2(server.coldS)} | ${f2(median(server.restartS))} (${server.restartS.map(f2).join(' / ')}) | ${f0(server.idleMb)} | ${f0(server.loadedMb)} | ${f0(server.settledMb)} |`,
        );
        pgLine = ` On PostgreSQL the ${IMPORT_ROWS.toLocaleString('en')}-row import took ${f2(server.importS)} s and the reads ran at ${f0(server.rps)} req/s.`;
        rmSync(pgDir, { recursive: true, force: true });
      } finally {
        await db.drop();
      }
    }
    const idleMet = embedded.idleMb <= GOAL_IDLE_MB;
    const restartMet = median(embedded.restartS) <= GOAL_RESTART_S;
    return [
      'Child processes started as `npm start` starts the hub (`bin/hub.js serve`: compiled JavaScript, role all), measured',
      'from outside. Cold start: an empty data folder (initdb, migrations) to the first `/readyz` 200. Restart: SIGTERM,',
      `then a new process on the same data to \`/readyz\` 200, ${RESTARTS} times (median, every one in brackets). Idle: RSS ${IDLE_SETTLE_MS / 1000} s`,
      `after ready. Loaded: right after a ${IMPORT_ROWS.toLocaleString('en')}-row CSV import through \`hub tracking import\` beside the running hub`,
      'and 10 s of `GET /api/v1/tracking/1?page_size=50` at 50 connections; settled: 10 s later. RSS is the hub process',
      "alone (`npm start`'s own npm process adds its ~60 MB on top when started through npm).",
      '',
      '| process | cold start s | restart to ready s | idle RSS MB | RSS after load MB | settled MB |',
      '|---|---|---|---|---|---|',
      ...rows,
      '',
      `Goals: embedded idle ≤ ${GOAL_IDLE_MB} MB — **${f0(embedded.idleMb)} MB (${idleMet ? 'met' : 'NOT met'})**, ${f0(embedded.idleMb - bareTuned)} MB above the bare PGlite holding the same data; ` +
        `restart to ready ≤ ${GOAL_RESTART_S} s — **${f2(median(embedded.restartS))} s (${restartMet ? 'met' : 'NOT met'})**. ` +
        `Embedded, the import took ${f2(embedded.importS)} s and the reads ran at ${f0(embedded.rps)} req/s.${pgLine}`,
      `Load average (1 min) at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]} (2 cores).`,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

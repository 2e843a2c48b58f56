// Tracking API list endpoint at 100,000 tracking numbers in PostgreSQL: GET /api/v1/tracking/{bot_id}?page_size=50
// through the whole stack (key lookup, per-key rate limit — raised for the run —, usage log, exact total from the
// counters) against a bare Fastify route running the same SQL on its own pool, same run, 50 connections.
// Target: ≥ 70 % of the bare route's req/s and p99 < 15 ms.
// Every server runs as its own process (`hub serve --role api`, bench/servers/bare-tracking.ts), and so do the
// load generators. Throughput rounds alternate between the routes and each route's median is reported, so a slow
// moment of the shared machine does not land on one route only. At saturation a closed loop of 50 connections
// has a mean latency of 50 ÷ throughput (Little's law), so p99 there says how fast the machine is, not how long a
// request takes; the latency target is measured at a fixed offered load (open loop, no coordinated omission).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { cpuBetween, cpuSnapshot } from './cpu.js';
import { cLoadGenerator, closedLoop, openLoop, startScript, stopper, type LoadResult } from './load.js';

const root = new URL('..', import.meta.url).pathname;
const ROWS = 100_000;
const CLIENTS = 2_000;
/** BENCH_QUICK=1: one throughput round of the bare route and the API with Redis, for A/B experiments. */
const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = QUICK ? 1 : 5;
const LATENCY_ROUNDS = 5;
/** Requests/s for the latency runs: 500 keys at the default 60 requests/minute each. */
const LATENCY_RATE = 500;
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
/** Which load generators the run used (checked when the run starts: importing this file compiles nothing). */
const generatorNote = () =>
  cLoadGenerator()
    ? '`bench/loadgen/open-loop.c` (C, ~35–60 µs of CPU per request) for both throughput (closed loop) and latency (open loop)'
    : 'autocannon for throughput and `bench/open-loop.mjs` for latency (no C compiler here: both Node, ~300–500 µs of CPU per request, which the two cores share with the servers)';

export async function seed(db: pg.Client, botId: number): Promise<void> {
  await db.query(
    `insert into tracking_clients (bot_id, client_code, tracking_count) select $1, 'C' || g, 0 from generate_series(1, $2) g`,
    [botId, CLIENTS],
  );
  await db.query(
    `insert into tracking_numbers (bot_id, client_id, tracking_number, client_code, current_status, quantity, weight_kg, price_per_kg_usd, total_cost_usd, note, created_at, updated_at)
     select $1, c.id, 'TRK' || lpad(g::text, 9, '0'), c.client_code, (array['pending','in_transit','delivered','issued','cancelled'])[1 + g % 5],
            1 + g % 7, (g % 50) + 0.5, 14.29, ((g % 50) + 0.5) * 14.29, null, now() - (g || ' seconds')::interval, now()
       from generate_series(1, $2) g join tracking_clients c on c.bot_id = $1 and c.client_code = 'C' || (1 + g % $3)`,
    [botId, ROWS, CLIENTS],
  );
  await db.query(
    `update tracking_clients c set tracking_count = x.n from (select client_id, count(*) n from tracking_numbers where bot_id = $1 group by client_id) x where c.id = x.client_id`,
    [botId],
  );
  await db.query(
    `insert into tracking_counters (bot_id, kind, n) select $1, current_status, count(*) from tracking_numbers where bot_id = $1 group by current_status
     union all select $1, 'clients', count(*) from tracking_clients where bot_id = $1`,
    [botId],
  );
  await db.query('vacuum analyze tracking_numbers');
  await db.query('vacuum analyze tracking_counters');
}

/** A port nothing listens on now (the server under test takes it next). */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

export interface Server {
  readonly origin: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each server process there when it stops. */
const profile = () => (process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []);

/** `hub serve --role api` in its own process, ready when /readyz says so; `checkout` is another copy of the repo. */
export async function startHubProcess(env: Record<string, string>, checkout = root): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [...profile(), '--import', 'tsx', join(checkout, 'src/main.ts'), 'serve', '--role', 'api'], {
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hub exited ${child.exitCode}`);
    const ready = await fetch(`${origin}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error('hub not ready in 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return { origin, pid: child.pid!, stop: stopper(child) };
}

export async function startBareProcess(databaseUrl: string): Promise<Server> {
  const { firstLine, pid, stop } = await startScript('bench/servers/bare-tracking.ts', [databaseUrl], profile());
  return { origin: firstLine, pid, stop };
}

const median = (runs: LoadResult[]): LoadResult => [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)]!;

/** A database of its own for one run, the hub's environment for it, and how to drop it. */
export async function benchDatabase(
  postgresUrl: string,
  name: string,
): Promise<{ databaseUrl: string; env: Record<string, string>; drop(): Promise<void> }> {
  const adminClient = async (text: string) => {
    const c = new pg.Client({ connectionString: postgresUrl });
    await c.connect();
    await c.query(text).finally(() => c.end());
  };
  await adminClient(`drop database if exists ${name} with (force)`);
  await adminClient(`create database ${name}`);
  const u = new URL(postgresUrl);
  u.pathname = `/${name}`;
  const databaseUrl = u.toString();
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-bench-tracking-'));
  return {
    databaseUrl,
    env: {
      DATA_DIR: dataDir,
      HUB_SECRET_KEY: Buffer.alloc(32, 5).toString('base64'),
      ADMIN_TOKEN,
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: '20',
    },
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
      await adminClient(`drop database if exists ${name} with (force)`);
    },
  };
}

/** A bot and a key (limit raised for the run) through the admin API, then the bot's 100,000 tracking numbers. */
export async function provisionBench(origin: string, databaseUrl: string): Promise<{ botId: number; key: string; seedSeconds: number }> {
  const adminCall = async (path: string, body: unknown) => {
    const res = await fetch(`${origin}/admin/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`admin ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const botId = Number((await adminCall('/tracking/bots', { name: 'bench' })).id);
  const key = String((await adminCall(`/tracking/bots/${botId}/keys`, { name: 'bench', rate_limit_per_minute: 1_000_000 })).key);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const seedStart = Date.now();
  await seed(db, botId).finally(() => db.end());
  return { botId, key, seedSeconds: (Date.now() - seedStart) / 1000 };
}

export async function runTrackingBench(opts: { seconds?: number; postgresUrl?: string } = {}): Promise<string> {
  const seconds = opts.seconds ?? 10;
  const postgresUrl = opts.postgresUrl ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const { databaseUrl, env, drop } = await benchDatabase(postgresUrl, `hub_bench_tracking_${process.pid}`);
  const servers: Server[] = [];
  try {
    const withPg = await startHubProcess(env);
    servers.push(withPg);
    // A second instance on the same database with the Redis limiter (REDIS_URL), measured in the same run.
    const withRedis = await startHubProcess({ ...env, REDIS_URL: redisUrl });
    servers.push(withRedis);
    const bare = await startBareProcess(databaseUrl);
    servers.push(bare);
    const { botId, key, seedSeconds } = await provisionBench(withPg.origin, databaseUrl);

    const headers = { 'x-api-key': key };
    const routes = [
      { name: 'bare Fastify route, same SQL', url: `${bare.origin}/bare/${botId}`, headers: {}, pid: bare.pid },
      { name: 'API, rate limit in PostgreSQL', url: `${withPg.origin}/api/v1/tracking/${botId}?page_size=50`, headers, pid: withPg.pid },
      {
        name: 'API, rate limit in Redis (REDIS_URL)',
        url: `${withRedis.origin}/api/v1/tracking/${botId}?page_size=50`,
        headers,
        pid: withRedis.pid,
      },
    ];
    for (const r of routes.slice(1)) {
      const check = await fetch(r.url, { headers });
      const body = (await check.json()) as { total: number; tracking_numbers: unknown[] };
      if (check.status !== 200 || body.total !== ROWS || body.tracking_numbers.length !== 50)
        throw new Error(`unexpected answer ${check.status} total=${body.total}`);
    }

    // Warm every server up (JIT, pools, caches), then alternate the routes round by round.
    for (const r of QUICK ? [routes[0]!, routes[2]!] : routes) await closedLoop('warm-up', r.url, { seconds: 2, headers: r.headers });
    const runs = routes.map(() => [] as LoadResult[]);
    // CPU of each route's work, summed over its rounds: its server process, PostgreSQL's backends, Redis.
    const cpu = routes.map(() => ({ server: 0, postgres: 0, redis: 0, requests: 0 }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, r] of routes.entries()) {
        if (QUICK && i === 1) continue;
        const before = cpuSnapshot();
        const result = await closedLoop(r.name, r.url, { seconds, headers: r.headers });
        const used = cpuBetween(before, cpuSnapshot(), [
          { name: 'server', match: (pid) => pid === r.pid },
          { name: 'postgres', match: (_, comm) => comm === 'postgres' },
          { name: 'redis', match: (_, comm) => comm === 'redis-server' },
        ]);
        runs[i]!.push(result);
        const c = cpu[i]!;
        c.server += used.server!;
        c.postgres += used.postgres!;
        c.redis += used.redis!;
        c.requests += result.requests;
      }
    }
    const perRequest = (ms: number, i: number) => ((ms * 1000) / cpu[i]!.requests).toFixed(0);
    const cpuRows = routes.map((r, i) => {
      const c = cpu[i]!;
      return `| ${r.name} | ${perRequest(c.server, i)} | ${perRequest(c.postgres, i)} | ${perRequest(c.redis, i)} | **${perRequest(c.server + c.postgres + c.redis, i)}** |`;
    });
    if (QUICK) {
      const line = (i: number) => `${routes[i]!.name}: ${Math.round(runs[i]![0]!.rps)} req/s; CPU µs/request ${cpuRows[i]}`;
      return [line(0), line(2), `ratio ${((100 * runs[2]![0]!.rps) / runs[0]![0]!.rps).toFixed(0)}%`].join('\n');
    }
    const results = runs.map(median);
    const base = results[0]!;
    const bestIndex = results[2]!.rps > results[1]!.rps ? 2 : 1;
    const full = results[bestIndex]!;
    // Each API round runs right after a bare round, so their ratio cancels the machine's slow drifts (the same
    // route varies by up to 1.2× between rounds here); the median of the per-round ratios is the result.
    const ratiosOf = (index: number) => runs[index]!.map((r, i) => r.rps / runs[0]![i]!.rps);
    const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const roundRatios = ratiosOf(bestIndex);
    const ratio = medianOf(roundRatios);
    const other = 3 - bestIndex;
    // Latency on a quiet database: the throughput runs left usage rows behind, so checkpoint and vacuum first
    // (a checkpoint or autovacuum during a run would land in every route's tail). Rounds alternate again.
    const quiet = new pg.Client({ connectionString: databaseUrl });
    await quiet.connect();
    await quiet
      .query('checkpoint')
      .then(() => quiet.query('vacuum analyze'))
      .finally(() => quiet.end());
    // The same at half the API's measured capacity: the p99 of a busy, not saturated, server.
    const busyRate = Math.round(full.rps / 2 / 100) * 100;
    const latencyRoutes = [
      {
        name: `floor: the same page prepared once, at ${LATENCY_RATE} req/s`,
        url: `${bare.origin}/static/${botId}`,
        headers: {},
        rate: LATENCY_RATE,
      },
      { name: `bare Fastify route at ${LATENCY_RATE} req/s`, url: routes[0]!.url, headers: {}, rate: LATENCY_RATE },
      { name: `${full.name} at ${LATENCY_RATE} req/s`, url: routes[bestIndex]!.url, headers, rate: LATENCY_RATE },
      { name: `bare Fastify route at ${busyRate} req/s`, url: routes[0]!.url, headers: {}, rate: busyRate },
      { name: `${full.name} at ${busyRate} req/s`, url: routes[bestIndex]!.url, headers, rate: busyRate },
    ];
    const latencyRuns = latencyRoutes.map(() => [] as LoadResult[]);
    for (let round = 0; round < LATENCY_ROUNDS; round++) {
      for (const [i, r] of latencyRoutes.entries())
        latencyRuns[i]!.push(await openLoop(r.name, r.url, { seconds, rate: r.rate, headers: r.headers }));
    }
    const latency = latencyRuns.map((runs) => [...runs].sort((a, b) => a.p99 - b.p99)[Math.floor(runs.length / 2)]!);
    const fixed = latency[2]!;
    const spread = (i: number) => runs[i]!.map((r) => Math.round(r.rps).toLocaleString('en')).join(' / ');
    const rows = [
      ...results.map(
        (r, i) => `| ${r.name} | ${Math.round(r.rps).toLocaleString('en')} (${spread(i)}) | ${r.p50} | ${r.p99} | ${r.errors + r.non2xx} |`,
      ),
      ...latency.map(
        (r, i) =>
          `| ${r.name} | ${Math.round(r.rps).toLocaleString('en')} | ${r.p50} | ${r.p99} (${latencyRuns[i]!.map((x) => x.p99).join(' / ')}) | ${r.errors + r.non2xx} |`,
      ),
    ];
    return [
      `PostgreSQL, ${ROWS.toLocaleString('en')} tracking numbers of one bot (${CLIENTS.toLocaleString('en')} clients; seeded in ${seedSeconds.toFixed(1)} s), ` +
        `50 connections. The API route is \`GET /api/v1/tracking/{bot_id}?page_size=50\` with key lookup, ` +
        'per-key rate limit (raised for the run), usage log and the exact total from the counters; the bare route runs the same two queries. ' +
        `Each server is its own process, as is each load generator: ${generatorNote()}.`,
      '',
      `Throughput: ${ROUNDS} rounds of ${seconds} s, the routes alternating; the median round is shown, all rounds in brackets. ` +
        `Latency: after a checkpoint and vacuum, ${LATENCY_ROUNDS} rounds at a fixed ${LATENCY_RATE} req/s and at half the API's measured capacity for ${seconds} s each, open loop over 50 connections, measured from each request's due time; the median p99 is shown, all in brackets.`,
      '',
      '| route | req/s | p50 ms | p99 ms | errors + non-2xx |',
      '|---|---|---|---|---|',
      ...rows,
      '',
      `CPU per request in the throughput rounds (µs, from /proc; the load generator not counted):`,
      '',
      '| route | server process | PostgreSQL | Redis | total |',
      '|---|---|---|---|---|',
      ...cpuRows,
      '',
      `Best API variant (${full.name}) = **${(ratio * 100).toFixed(0)}%** of the bare route, the median of the rounds' ratios ` +
        `(${roundRatios.map((x) => `${(x * 100).toFixed(0)}%`).join(' / ')}; target ≥ 70%): ${ratio >= 0.7 ? 'met' : 'NOT met'}; ` +
        `${routes[other]!.name}: ${(medianOf(ratiosOf(other)) * 100).toFixed(0)}%. ` +
        `p99 at ${LATENCY_RATE} req/s: **${fixed.p99} ms** (bare route ${latency[1]!.p99} ms, floor ${latency[0]!.p99} ms; target < 15 ms): ${fixed.p99 < 15 ? 'met' : 'NOT met'}; ` +
        `at ${busyRate} req/s: **${latency[4]!.p99} ms** (bare route ${latency[3]!.p99} ms): ${latency[4]!.p99 < 15 ? 'met' : 'NOT met'}. ` +
        `Flat out, p99 is ${full.p99} ms (bare route ${base.p99} ms): at saturation the 50 connections queue, and the mean alone is 50 ÷ req/s.`,
    ].join('\n');
  } finally {
    for (const s of servers.reverse()) await s.stop();
    await drop();
  }
}

// `node --import tsx bench/tracking.ts` runs this benchmark alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${await runTrackingBench({ seconds: Number(process.env.BENCH_SECONDS ?? 10) })}\n`);
}

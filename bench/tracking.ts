// Tracking API list endpoint at 100,000 tracking numbers in PostgreSQL: GET /api/v1/tracking/{bot_id}?page_size=50
// through the whole stack (key lookup, per-key rate limit — raised for the run —, usage log, exact total from the
// counters) against a bare Fastify route running the same SQL on its own pool, same run, 50 connections.
// Target: ≥ 70 % of the bare route's req/s and p99 < 15 ms. autocannon runs as a separate process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { startHub } from '../src/app.js';
import { createLogger } from '../src/platform/observability/logger.js';
import { createTrackingModule } from '../src/modules/tracking/index.js';
import { BotService } from '../src/modules/tracking/bots.js';
import { KeyService } from '../src/modules/tracking/keys.js';
import { autocannon, type LoadResult } from './ingest.js';

const ROWS = 100_000;

/** The settings a config was loaded from, to start a second instance with one setting changed. */
function rawEnv(config: ReturnType<typeof loadConfig>): Record<string, string> {
  return {
    DATA_DIR: config.dataDir,
    LOG_LEVEL: 'silent',
    HUB_SECRET_KEY: config.secretKey!,
    ADMIN_TOKEN: config.adminToken!,
    DATABASE_URL: config.databaseUrl!,
    DATABASE_POOL_SIZE: String(config.databasePoolSize),
  };
}
const CLIENTS = 2_000;
const LIST_SQL = `select id, bot_id, client_id, tracking_number, client_code, current_status, quantity, weight_kg, price_per_kg_usd, total_cost_usd, note, created_at, updated_at
  from tracking_numbers where bot_id = $1 order by id desc limit $2 offset $3`;
const TOTAL_SQL = `select sum(n)::bigint as n from tracking_counters where bot_id = $1 and kind = any($2::text[])`;
const STATUSES = ['pending', 'in_transit', 'delivered', 'issued', 'cancelled'];

async function seed(database: { query: (text: string, params?: unknown[]) => Promise<unknown[]> }, botId: number): Promise<void> {
  await database.query(`insert into tracking_clients (bot_id, client_code, tracking_count) select $1, 'C' || g, 0 from generate_series(1, $2) g`, [botId, CLIENTS]);
  await database.query(
    `insert into tracking_numbers (bot_id, client_id, tracking_number, client_code, current_status, quantity, weight_kg, price_per_kg_usd, total_cost_usd, note, created_at, updated_at)
     select $1, c.id, 'TRK' || lpad(g::text, 9, '0'), c.client_code, (array['pending','in_transit','delivered','issued','cancelled'])[1 + g % 5],
            1 + g % 7, (g % 50) + 0.5, 14.29, ((g % 50) + 0.5) * 14.29, null, now() - (g || ' seconds')::interval, now()
       from generate_series(1, $2) g join tracking_clients c on c.bot_id = $1 and c.client_code = 'C' || (1 + g % $3)`,
    [botId, ROWS, CLIENTS],
  );
  await database.query(`update tracking_clients c set tracking_count = x.n from (select client_id, count(*) n from tracking_numbers where bot_id = $1 group by client_id) x where c.id = x.client_id`, [botId]);
  await database.query(
    `insert into tracking_counters (bot_id, kind, n) select $1, current_status, count(*) from tracking_numbers where bot_id = $1 group by current_status
     union all select $1, 'clients', count(*) from tracking_clients where bot_id = $1`,
    [botId],
  );
  await database.query('vacuum analyze tracking_numbers');
  await database.query('vacuum analyze tracking_counters');
}

export async function runTrackingBench(opts: { seconds?: number; postgresUrl?: string } = {}): Promise<string> {
  const seconds = opts.seconds ?? 10;
  const postgresUrl = opts.postgresUrl ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `hub_bench_tracking_${process.pid}`;
  const adminClient = async (sql: string) => {
    const c = new pg.Client({ connectionString: postgresUrl });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  await adminClient(`drop database if exists ${dbName} with (force)`);
  await adminClient(`create database ${dbName}`);
  const u = new URL(postgresUrl);
  u.pathname = `/${dbName}`;
  const databaseUrl = u.toString();
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-bench-tracking-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    HUB_SECRET_KEY: Buffer.alloc(32, 5).toString('base64'),
    ADMIN_TOKEN: 'bench',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '20',
  });
  const modules = [createTrackingModule({ rateLimitPrefix: `bench:${randomBytes(4).toString('hex')}:` })];
  const log = createLogger({ level: 'silent', pretty: false });
  const started = await startHub(config, { role: 'api', log, modules });
  // A second instance on the same database with the Redis limiter (REDIS_URL), measured in the same run.
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const withRedis = await startHub(loadConfig({ ...rawEnv(config), REDIS_URL: redisUrl }), { role: 'api', log, modules }).catch(() => undefined);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });
  const bare = Fastify({ logger: false });
  try {
    const bot = await new BotService(started.hub).create({ name: 'bench' });
    const { key } = await new KeyService(started.hub).create(bot.id, { rateLimitPerMinute: 100_000_000 });
    const seedStart = Date.now();
    await seed(started.hub.database, bot.id);
    const seedSeconds = (Date.now() - seedStart) / 1000;

    bare.get<{ Params: { bot_id: string } }>('/bare/:bot_id', async (req) => {
      const botId = Number(req.params.bot_id);
      const [items, total] = await Promise.all([pool.query(LIST_SQL, [botId, 50, 0]), pool.query(TOTAL_SQL, [botId, STATUSES])]);
      return { tracking_numbers: items.rows, total: Number(total.rows[0]?.n ?? 0) };
    });
    const bareOrigin = await bare.listen({ host: '127.0.0.1', port: 0 });
    const hubOrigin = await started.app.listen({ host: '127.0.0.1', port: 0 });
    const apiUrl = `${hubOrigin}/api/v1/tracking/${bot.id}?page_size=50`;
    const redisOrigin = withRedis ? await withRedis.app.listen({ host: '127.0.0.1', port: 0 }) : undefined;
    const check = await fetch(apiUrl, { headers: { 'x-api-key': key } });
    const body = (await check.json()) as { total: number; tracking_numbers: unknown[] };
    if (check.status !== 200 || body.total !== ROWS || body.tracking_numbers.length !== 50) throw new Error(`unexpected answer ${check.status} total=${body.total}`);

    // Warm both up (JIT, pools, caches) before measuring.
    await autocannon('warm-up', `${bareOrigin}/bare/${bot.id}`, { seconds: 2 });
    await autocannon('warm-up', apiUrl, { seconds: 2, headers: { 'x-api-key': key } });
    const results: LoadResult[] = [
      await autocannon('bare Fastify route, same SQL', `${bareOrigin}/bare/${bot.id}`, { seconds }),
      await autocannon('API, rate limit in PostgreSQL', apiUrl, { seconds, headers: { 'x-api-key': key } }),
    ];
    if (redisOrigin) {
      const redisApi = apiUrl.replace(hubOrigin, redisOrigin);
      await autocannon('warm-up', redisApi, { seconds: 2, headers: { 'x-api-key': key } });
      results.push(await autocannon('API, rate limit in Redis (REDIS_URL)', redisApi, { seconds, headers: { 'x-api-key': key } }));
    }
    const base = results[0]!;
    const full = results.reduce((best, r, i) => (i > 0 && r.rps > best.rps ? r : best), results[1]!);
    const ratio = full.rps / base.rps;
    const rows = results.map((r) => `| ${r.name} | ${Math.round(r.rps).toLocaleString('en')} | ${r.p50} | ${r.p99} | ${r.errors + r.non2xx} |`);
    return [
      `PostgreSQL, ${ROWS.toLocaleString('en')} tracking numbers of one bot (${CLIENTS.toLocaleString('en')} clients; seeded in ${seedSeconds.toFixed(1)} s), ` +
        `50 connections, ${seconds} s per route. The API route is \`GET /api/v1/tracking/{bot_id}?page_size=50\` with key lookup, ` +
        'per-key rate limit (raised for the run), usage log and the exact total from the counters; the bare route runs the same two queries.',
      '',
      '| route | req/s | p50 ms | p99 ms | errors + non-2xx |',
      '|---|---|---|---|---|',
      ...rows,
      '',
      `Best API variant (${full.name}) = **${(ratio * 100).toFixed(0)}%** of the bare route (target ≥ 70%): ${ratio >= 0.7 ? 'met' : 'NOT met'}; ` +
        `p99 ${full.p99} ms (target < 15 ms): ${full.p99 < 15 ? 'met' : 'NOT met'}.`,
    ].join('\n');
  } finally {
    await bare.close();
    await pool.end();
    await withRedis?.close();
    await started.close();
    rmSync(dataDir, { recursive: true, force: true });
    await adminClient(`drop database if exists ${dbName} with (force)`);
  }
}

// `node --import tsx bench/tracking.ts` runs this benchmark alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${await runTrackingBench({ seconds: Number(process.env.BENCH_SECONDS ?? 10) })}\n`);
}

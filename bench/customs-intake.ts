// Customs webhook intake (issue #22): Alta's ПТД status webhook as the hub serves it — the source-token gate (one
// indexed read by hash), the schema, and the platform inbox (raw request + job in one transaction, 200 after the
// commit) — against two baselines measured in the same run: a bare Fastify route and a bare route doing one raw
// INSERT of the body. The hub runs with role api (acceptance alone; workers would share the two cores). Rounds
// alternate between the three routes, so the machine's drift lands on all of them alike; each route's median round
// is reported with the CPU one request costs in this process and in PostgreSQL's backends (from /proc).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import pg from 'pg';
import { loadHubConfig, startHub } from '../src/app.js';
import { createLogger } from '../src/platform/observability/logger.js';
import { customsModule } from '../src/modules/customs/index.js';
import { TokenService } from '../src/modules/customs/tokens.js';
import { autocannon, type LoadResult } from './load.js';
import { measured } from './cpu.js';

const ROUNDS = 3;
const ACCOUNT = 29847561;

/** A notification as Alta sends it; autocannon gives every request its own eventId (`[<id>]`). */
const BODY = JSON.stringify({
  eventId: 'alta-[<id>]',
  leadId: 31245987,
  occurredAt: '2025-03-03T12:40:00+03:00',
  status: '10',
  statusName: 'Выпуск разрешен',
  registrationNumber: '10702070/030325/0012345',
  decisionDate: '2025-03-03',
});

const median = <T>(xs: T[], by: (x: T) => number): T => [...xs].sort((a, b) => by(a) - by(b))[Math.floor(xs.length / 2)]!;

async function freshDatabase(url: string, name: string, drop = false): Promise<string> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  if (!drop) await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function runCustomsIntakeBench(opts: { seconds: number; postgresUrl?: string }): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-bench-customs-'));
  const dbName = `hub_bench_customs_${process.pid}`;
  const databaseUrl = opts.postgresUrl ? await freshDatabase(opts.postgresUrl, dbName) : undefined;
  const config = loadHubConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    HUB_SECRET_KEY: Buffer.alloc(32, 3).toString('base64'),
    ADMIN_TOKEN: 'bench',
    DATABASE_POOL_SIZE: '20',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const started = await startHub(config, { role: 'api', log: createLogger({ level: 'silent', pretty: false }), modules: [customsModule] });
  const baseline = Fastify({ logger: false });
  try {
    const { database } = started.hub;
    const token = (await new TokenService(started.hub).create(ACCOUNT, 'alta')).token;
    await database.query(
      'create table bench_raw (id bigserial primary key, body text not null, received_at timestamptz not null default now())',
    );
    baseline.post('/bare', async () => ({ success: true, message: 'Уведомление принято' }));
    baseline.post('/insert', async (req) => {
      await database.query('insert into bench_raw (body) values ($1)', [JSON.stringify(req.body)]);
      return { success: true, message: 'Уведомление принято' };
    });
    const base = await baseline.listen({ host: '127.0.0.1', port: 0 });
    const hubOrigin = await started.app.listen({ host: '127.0.0.1', port: 0 });
    const json = { 'content-type': 'application/json' };
    const routes = [
      { name: 'bare Fastify route', url: `${base}/bare`, headers: json },
      { name: 'bare route + one raw INSERT', url: `${base}/insert`, headers: json },
      {
        name: 'POST /alta/ptd/status-webhook (token, schema, inbox)',
        url: `${hubOrigin}/alta/ptd/status-webhook`,
        headers: { ...json, 'x-hub-token': token },
      },
    ];
    const run = (r: (typeof routes)[number], seconds: number) =>
      autocannon(r.name, r.url, { seconds, method: 'POST', body: BODY, headers: r.headers });
    for (const r of routes) await run(r, 2); // warm-up: JIT, pools, prepared statements
    const runs = routes.map(() => [] as LoadResult[]);
    const cpu = routes.map(() => ({ server: 0, postgres: 0, requests: 0 }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, r] of routes.entries()) {
        const result = await measured(process.pid, () => run(r, opts.seconds));
        runs[i]!.push(result);
        cpu[i]!.server += result.cpu.server;
        cpu[i]!.postgres += result.cpu.postgres;
        cpu[i]!.requests += result.requests;
      }
    }
    const [row] = await database.query<{ n: number; jobs: number }>(
      "select (select count(*)::int from inbox_messages where source = 'alta') as n, (select count(*)::int from pgboss.job where name = 'customs.alta-ptd-status') as jobs",
    );
    const us = (ms: number, i: number) => ((ms * 1000) / cpu[i]!.requests).toFixed(0);
    const rows = routes.map((r, i) => {
      const m = median(runs[i]!, (x) => x.rps);
      const all = runs[i]!.map((x) => Math.round(x.rps).toLocaleString('en')).join(', ');
      const errors = runs[i]!.reduce((n, x) => n + x.errors + x.non2xx, 0);
      const c = cpu[i]!;
      return `| ${r.name} | ${Math.round(m.rps).toLocaleString('en')} (${all}) | ${m.p50} / ${m.p99} | ${us(c.server, i)} | ${us(c.postgres, i)} | **${us(c.server + c.postgres, i)}** | ${errors} |`;
    });
    // Each intake round ran right after its baselines: the median of the per-round ratios cancels slow drift.
    const ratio = (i: number) =>
      median(
        runs[2]!.map((r, k) => r.rps / runs[i]![k]!.rps),
        (x) => x,
      );
    return [
      `${databaseUrl ? 'PostgreSQL' : 'Embedded PGlite'}, hub with role api, 50 connections, ${ROUNDS} rounds of ${opts.seconds} s alternating; median round shown, all rounds in brackets. CPU per request summed over the rounds (µs, from /proc; autocannon not counted).`,
      '',
      '| route | req/s | p50 / p99 ms | server µs/req | PostgreSQL µs/req | total µs/req | errors + non-2xx |',
      '|---|---|---|---:|---:|---:|---:|',
      ...rows,
      '',
      `Intake = **${(ratio(1) * 100).toFixed(0)}%** of the raw-INSERT baseline and ${(ratio(0) * 100).toFixed(0)}% of the bare route (median of the rounds' ratios). ` +
        `Stored: ${row!.n.toLocaleString('en')} inbox rows and ${row!.jobs.toLocaleString('en')} jobs (one job per accepted notification: ${row!.n === row!.jobs ? 'yes' : 'NO'}).`,
    ].join('\n');
  } finally {
    await baseline.close();
    await started.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (opts.postgresUrl) await freshDatabase(opts.postgresUrl, dbName, true);
  }
}

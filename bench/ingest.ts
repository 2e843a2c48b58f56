// Durable webhook ingest (inbox row + job in one transaction, 2xx after commit) against two baselines measured
// in the same run: a bare Fastify route, and a bare route doing one raw INSERT. Ingest is measured twice: with the
// process's job workers off (role api: acceptance alone) and on (role all, what `npm start` runs: the workers
// process every webhook meanwhile, on PGlite through the same single connection). autocannon runs as a separate
// process (it would otherwise share the server's event loop) at 50 connections.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import pg from 'pg';
import { loadHubConfig, startHub } from '../src/app.js';
import { createLogger } from '../src/platform/observability/logger.js';
import type { Database } from '../src/platform/db/database.js';
import { acceptWebhook } from '../src/platform/inbox/accept.js';
import { defineModule } from '../src/platform/module.js';
import type { InboxJob } from '../src/platform/inbox/inbox.js';
import { defineQueue } from '../src/platform/jobs/queue.js';
import { autocannon, type LoadResult } from './load.js';

const BENCH_WEBHOOK = defineQueue<InboxJob>('bench.webhook');

const benchModule = defineModule({
  name: 'bench',
  prefix: '/bench',
  create: ({ hub }) => ({
    queues: [hub.inbox.queue(BENCH_WEBHOOK, async () => ({ ok: true }))],
    routes(app) {
      app.post('/hook', async (req, reply) => {
        const r = await acceptWebhook(hub, req, { source: 'bench', queue: BENCH_WEBHOOK });
        return reply.status(200).send({ accepted: true, id: r.id });
      });
    },
  }),
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Webhooks stored and not yet processed (the workers' backlog). */
async function pending(database: Database): Promise<number> {
  const [row] = await database.query<{ n: number }>(
    "select count(*)::int as n from inbox_messages where source = 'bench' and status <> 'processed'",
  );
  return row!.n;
}

async function baselines(database: Database, seconds: number): Promise<LoadResult[]> {
  await database.query(
    'create table if not exists bench_raw (id bigserial primary key, body text not null, received_at timestamptz not null default now())',
  );
  const app = Fastify({ logger: false });
  app.post('/bare', async () => ({ accepted: true }));
  app.post('/insert', async (req) => {
    const [row] = await database.query<{ id: number }>('insert into bench_raw (body) values ($1) returning id', [JSON.stringify(req.body)]);
    return { accepted: true, id: row!.id };
  });
  const origin = await app.listen({ host: '127.0.0.1', port: 0 });
  const body = JSON.stringify({ event: '[<id>]', lead: { id: 1, status_id: 142 } });
  const headers = { 'content-type': 'application/json' };
  try {
    return [
      await autocannon('bare Fastify route', `${origin}/bare`, { seconds, method: 'POST', body, headers }),
      await autocannon('bare route + one raw INSERT', `${origin}/insert`, { seconds, method: 'POST', body, headers }),
    ];
  } finally {
    await app.close();
  }
}

export async function runIngestBench(opts: { seconds: number; postgresUrl?: string }): Promise<string> {
  const sections: string[] = [];
  for (const backend of ['pglite', ...(opts.postgresUrl ? ['postgres'] : [])] as const) {
    const dataDir = mkdtempSync(join(tmpdir(), 'hub-bench-'));
    let dbName: string | undefined;
    let databaseUrl: string | undefined;
    if (backend === 'postgres') {
      dbName = `hub_bench_${process.pid}`;
      const admin = new pg.Client({ connectionString: opts.postgresUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.query(`create database ${dbName}`);
      await admin.end();
      const u = new URL(opts.postgresUrl!);
      u.pathname = `/${dbName}`;
      databaseUrl = u.toString();
    }
    const config = loadHubConfig({
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      HUB_SECRET_KEY: Buffer.alloc(32, 3).toString('base64'),
      ADMIN_TOKEN: 'bench',
      DATABASE_POOL_SIZE: '20',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    });
    // role api: durable acceptance alone; then role all on the same database, the workers processing meanwhile.
    const log = createLogger({ level: 'silent', pretty: false });
    const body = JSON.stringify({ event: '[<id>]', lead: { id: 1, status_id: 142 } });
    const post = (origin: string, name: string) =>
      autocannon(name, `${origin}/bench/hook`, {
        seconds: opts.seconds,
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
    let started = await startHub(config, { role: 'api', log, modules: [benchModule] });
    let base: LoadResult[];
    let ingest: LoadResult;
    try {
      base = await baselines(started.hub.database, opts.seconds);
      ingest = await post(await started.app.listen({ host: '127.0.0.1', port: 0 }), 'durable ingest, workers off (role api)');
    } finally {
      await started.close();
    }
    started = await startHub(config, { role: 'all', log, modules: [benchModule] });
    try {
      // The workers first drain what the workers-off run left, so the run below measures a steady state.
      for (const until = Date.now() + 180_000; (await pending(started.hub.database)) > 0 && Date.now() < until;) await sleep(250);
      const backlog = await pending(started.hub.database);
      const withWorkers = await post(
        await started.app.listen({ host: '127.0.0.1', port: 0 }),
        'durable ingest, workers on (role all, `npm start`)',
      );
      const processedDuring = backlog + withWorkers.requests - (await pending(started.hub.database));
      const [row] = await started.hub.database.query<{ n: number; jobs: number }>(
        "select (select count(*)::int from inbox_messages where source = 'bench') as n, (select count(*)::int from pgboss.job where name = 'bench.webhook') as jobs",
      );
      const raw = base[1]!;
      const rows = [...base, ingest, withWorkers].map(
        (r) => `| ${r.name} | ${Math.round(r.rps).toLocaleString('en')} | ${r.p50} | ${r.p99} | ${r.errors + r.non2xx} |`,
      );
      const share = (r: LoadResult) => `${((r.rps / raw.rps) * 100).toFixed(0)}%`;
      sections.push(
        [
          `### ${backend === 'pglite' ? 'Embedded PGlite' : 'PostgreSQL'}`,
          '',
          '| route | req/s | p50 ms | p99 ms | errors + non-2xx |',
          '|---|---|---|---|---|',
          ...rows,
          '',
          `Ingest = **${share(ingest)}** of the raw-INSERT baseline with workers off, **${share(withWorkers)}** with workers on ` +
            `(the workers processed ${processedDuring.toLocaleString('en')} webhooks during those ${opts.seconds} s, ${Math.round(processedDuring / opts.seconds).toLocaleString('en')}/s). ` +
            `Stored: ${row!.n.toLocaleString('en')} inbox rows and ${row!.jobs.toLocaleString('en')} jobs (one job per stored webhook: ${row!.n === row!.jobs ? 'yes' : 'NO'}).` +
            (backend === 'postgres'
              ? ` Target on PostgreSQL: stay ≥ 75% of raw INSERT on the measure it was set on (workers off) — ${ingest.rps / raw.rps >= 0.75 ? 'met' : 'NOT met'}; aim ≥ 100% — ${ingest.rps / raw.rps >= 1 ? 'met' : 'not yet'}. With workers on the same two cores also run the workers and PostgreSQL's backends for them.`
              : ` Target on PGlite: ≥ 50% of raw INSERT with workers on — ${withWorkers.rps / raw.rps >= 0.5 ? 'met' : 'NOT met'}.`),
        ].join('\n'),
      );
    } finally {
      await started.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (dbName) {
        const admin = new pg.Client({ connectionString: opts.postgresUrl });
        await admin.connect();
        await admin.query(`drop database if exists ${dbName} with (force)`);
        await admin.end();
      }
    }
  }
  return sections.join('\n\n');
}

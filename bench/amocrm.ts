// amoCRM connector throughput against the emulator enforcing 7 requests/s per account. The physical ceiling
// of one account is 7 requests/s × 50 leads per /leads/complex = 350 leads/s. Measured in one run:
//   - baseline: one lead per request through the same connector (≈ 7 leads/s at best);
//   - 5,000 leads with contacts through the coalescing queue into one account;
//   - 3 accounts in parallel, each against its own ceiling.
// The jobs are enqueued in one transaction, and the clock runs from its commit to the last reply.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { loadHubConfig, startHub, type StartedHub } from '../src/app.js';
import { openDatabase } from '../src/platform/db/database.js';
import { createLogger } from '../src/platform/observability/logger.js';
import { defineModule, type AnyModule } from '../src/platform/module.js';
import { defineQueue } from '../src/platform/jobs/queue.js';
import type { AmoConnector, ComplexLeadInput, ComplexLeadResult } from '../src/connectors/amocrm/index.js';
import { createAmoEmulator, type AmoEmulator } from '../src/emulators/amocrm/index.js';

const REPLIES = defineQueue<{ n: number; result: ComplexLeadResult }>('bench-amo.replies', { batchSize: 500, concurrency: 2 });
const REDIRECT_URI = 'http://127.0.0.1/quiz/webhook/create';
const CEILING_PER_ACCOUNT = 7 * 50;

const lead = (n: number): ComplexLeadInput => ({
  name: `Bench lead ${n}`,
  price: n % 10_000,
  _embedded: {
    contacts: [
      {
        first_name: `Contact ${n}`,
        custom_fields_values: [
          { field_code: 'PHONE', values: [{ value: `+7999${String(n).padStart(7, '0')}`, enum_code: 'MOB' }] },
          { field_code: 'EMAIL', values: [{ value: `lead${n}@example.com`, enum_code: 'WORK' }] },
        ],
      },
    ],
  },
});

async function connect(amo: AmoConnector, subdomain: string): Promise<number> {
  const url = new URL(await amo.authorizeUrl(`bench:${subdomain}`));
  url.searchParams.set('_emulator_decision', 'allow');
  url.searchParams.set('_emulator_account', subdomain);
  const res = await request(url);
  await res.body.dump();
  const query = Object.fromEntries(new URL(String(res.headers.location)).searchParams);
  return (await amo.completeAuthorization(query)).account.amoAccountId;
}

interface Collector {
  readonly results: ComplexLeadResult[];
  waitFor(count: number, timeoutMs: number): Promise<void>;
}

function collector(): { module: AnyModule; collector: Collector } {
  const results: ComplexLeadResult[] = [];
  let waiter: { count: number; resolve: () => void } | undefined;
  const module: AnyModule = defineModule({
    name: 'bench-amo',
    prefix: '/bench-amo',
    create: () => ({
      queues: [
        REPLIES.batchWorker(async (jobs) => {
          for (const j of jobs) results.push(j.data.result);
          if (waiter && results.length >= waiter.count) waiter.resolve();
          return jobs.map((j) => ({ id: j.id, ok: true }));
        }),
      ],
    }),
  });
  return {
    module,
    collector: {
      results,
      waitFor(count, timeoutMs) {
        if (results.length >= count) return Promise.resolve();
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`only ${results.length} of ${count} replies within ${timeoutMs} ms`)), timeoutMs);
          waiter = { count, resolve: () => (clearTimeout(timer), resolve()) };
        });
      },
    },
  };
}

async function queued(started: StartedHub, c: Collector, perAccount: Map<number, number>, emu: AmoEmulator) {
  const amo = started.connectors.amo;
  const total = [...perAccount.values()].reduce((a, b) => a + b, 0);
  const base = c.results.length;
  emu.control.requests.clear();
  let n = 0;
  await started.hub.db.transaction(async (tx) => {
    const remaining = new Map(perAccount);
    // Interleaved across accounts, as real traffic would be.
    while ([...remaining.values()].some((v) => v > 0)) {
      for (const [id, left] of remaining) {
        if (left <= 0) continue;
        await amo.enqueueComplexLead(id, lead(n), { queue: REPLIES, data: { n } }, { tx });
        remaining.set(id, left - 1);
        n++;
      }
    }
  });
  const t0 = performance.now();
  await c.waitFor(base + total, 600_000);
  const seconds = (performance.now() - t0) / 1000;
  const replies = c.results.slice(base);
  const calls = emu.control.requests.list({ path: '/api/v4/leads/complex' });
  return {
    total,
    seconds,
    ok: replies.filter((r) => r.ok).length,
    calls: calls.length,
    avgItems: calls.reduce((s, x) => s + (x.items ?? 0), 0) / Math.max(calls.length, 1),
    r429: emu.control.requests.list({ status: 429 }).length,
    maxPerSecond: (sub: string) => emu.control.requests.maxPerSecond({ subdomain: sub }),
  };
}

export async function runAmoBench(opts: { seconds?: number } = {}): Promise<string> {
  const baselineSeconds = Math.min(opts.seconds ?? 10, 15);
  const emu = createAmoEmulator({ redirectUri: REDIRECT_URI });
  await emu.listen();
  const subs = [emu.defaults.subdomain, 'bench2', 'bench3'];
  for (const s of subs.slice(1)) emu.control.addAccount({ subdomain: s });
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-amo-'));
  const { module, collector: c } = collector();
  const config = loadHubConfig({
    DATA_DIR: dataDir,
    HUB_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'),
    ADMIN_TOKEN: 'bench-admin-token-0123456789',
    LOG_LEVEL: 'warn',
    ...emu.hubSettings(),
  });
  const started = await startHub(config, {
    log: createLogger({ level: 'warn', pretty: false }),
    database: await openDatabase({}),
    modules: [module],
  });
  try {
    const amo = started.connectors.amo;
    const ids = new Map<string, number>();
    for (const s of subs) ids.set(s, await connect(amo, s));
    const first = ids.get(subs[0]!)!;

    // Baseline: one lead per request, three callers keeping the account's schedule busy.
    emu.control.requests.clear();
    let baselineLeads = 0;
    const deadline = performance.now() + baselineSeconds * 1000;
    const api = amo.api(first);
    const t0 = performance.now();
    await Promise.all(
      [0, 1, 2].map(async (w) => {
        for (let i = 0; performance.now() < deadline; i++) {
          await api.complex([lead(1_000_000 + w * 100_000 + i)]);
          baselineLeads++;
        }
      }),
    );
    const baselineRate = baselineLeads / ((performance.now() - t0) / 1000);
    const baselineMax = emu.control.requests.maxPerSecond();

    const one = await queued(started, c, new Map([[first, 5000]]), emu);
    const oneRate = one.total / one.seconds;

    const three = await queued(started, c, new Map(subs.map((s) => [ids.get(s)!, 3000])), emu);
    const perAccountRate = three.total / 3 / three.seconds;
    const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
    const pct = (x: number) => `${fmt((x / CEILING_PER_ACCOUNT) * 100, 1)}%`;

    return [
      'Embedded PGlite; the emulator runs in-process and enforces 7 requests/s per token (sliding second); every lead carries a new contact with phone and email.',
      '',
      `Ceiling of one account: 7 requests/s × 50 leads per \`/leads/complex\` = **${CEILING_PER_ACCOUNT} leads/s**. The connector paces at 1000/7 + 7 ms (6.67 requests/s, 95.3% of 7) so jitter never puts 8 requests into one second.`,
      '',
      '| run | leads | seconds | leads/s (per account) | of ceiling | complex calls (avg items) | max requests in any 1 s | 429s | ok replies |',
      '|---|---|---|---|---|---|---|---|---|',
      `| baseline: one lead per request | ${fmt(baselineLeads)} | ${fmt(baselineSeconds, 1)} | ${fmt(baselineRate, 2)} | ${pct(baselineRate)} | ${fmt(baselineLeads)} (1) | ${baselineMax} | 0 | ${fmt(baselineLeads)} |`,
      `| queue, 1 account | ${fmt(one.total)} | ${fmt(one.seconds, 1)} | **${fmt(oneRate, 1)}** | **${pct(oneRate)}** | ${fmt(one.calls)} (${fmt(one.avgItems, 1)}) | ${one.maxPerSecond(subs[0]!)} | ${one.r429} | ${fmt(one.ok)} |`,
      `| queue, 3 accounts in parallel | ${fmt(three.total)} | ${fmt(three.seconds, 1)} | **${fmt(perAccountRate, 1)}** each (${fmt(three.total / three.seconds, 0)} total) | **${pct(perAccountRate)}** | ${fmt(three.calls)} (${fmt(three.avgItems, 1)}) | ${subs.map((s) => three.maxPerSecond(s)).join(' / ')} | ${three.r429} | ${fmt(three.ok)} |`,
      '',
      `Batching through the queue is **${fmt(oneRate / baselineRate, 0)}×** the one-lead-per-request baseline.`,
    ].join('\n');
  } finally {
    await started.close();
    await emu.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// Run alone: `scripts/with-node22.sh node --import tsx bench/amocrm.ts`
if (import.meta.url === `file://${process.argv[1]}`) {
  runAmoBench().then(
    (md) => console.log(md),
    (err) => (console.error(err), process.exit(1)),
  );
}

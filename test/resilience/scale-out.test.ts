// Scale-out (issue #19): two `--role api` and two `--role worker` hub processes on one PostgreSQL database and one
// Redis (a private redis-server). A stream of mixed writes spread over both API processes — quiz results (→ amoCRM
// complex leads, made by the workers), tracking creates, inbox webhooks — each takes effect exactly once; one
// tracking key hammered through both API processes gets its limit, not twice it; the hub sends amoCRM at most 7
// calls per second per account although two workers call it; and a worker SIGKILLed while its /leads/complex call hangs
// (landed, answer held back) has that job finished by the other worker, the lead existing once.
// PostgreSQL only: PGlite is one process's embedded database, there is nothing to scale out.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createAmoEmulator } from '../../src/emulators/amocrm/index.js';
import { emptyDatabase, testBackend } from '../helpers/db.js';
import { eventually, TEST_SECRET_KEY } from '../helpers/hub.js';
import { JWT_SECRET } from '../modules/quiz/helpers.js';
import { freePort, PrivateRedis, redisServerMissing } from './outage-kit.js';
import { busiestSecond, call, HubProcess, sendWrite, maxPerSecond, recordCalls, setUpQuiz, trackingBot } from './scale-kit.js';
import { checkEffects, type Write } from './scale-effects.js';

const ADMIN_TOKEN = 'scale-out-admin-token-0123456789';
const QUIZ_ACCOUNT = 'scale-quiz';
const QUIZ_ID = 42;
const PER_KIND = 60;
const CONCURRENCY = 6;
/** The hammered key's allowance per minute: GCRA lets exactly this many through at once, one more every 6 s. */
const KEY_LIMIT = 10;
const HAMMER = 40;
/** amoCRM's limit per account, which every hub process shares (AMO_RATE_LIMIT_PER_SECOND's default). */
const AMO_PER_SECOND = 7;
/** Results sent while the kill's fault is armed: the first one's /leads/complex call hangs. */
const KILL_RESULTS = 3;

async function scaleOut(t: TestContext): Promise<void> {
  const began = Date.now();
  const cleanup: Array<() => unknown> = [];
  t.after(async () => {
    for (const step of cleanup.reverse()) await step();
  });
  const emu = createAmoEmulator({ redirectUri: 'http://127.0.0.1/quiz/webhook/create' });
  const calls = recordCalls(emu);
  await emu.listen();
  cleanup.push(() => emu.close());
  const storage = await emptyDatabase();
  cleanup.push(() => storage.drop());
  const redis = new PrivateRedis(await freePort());
  await redis.start();
  cleanup.push(() => redis.kill());

  const env = {
    ...emu.hubSettings(),
    DATABASE_URL: storage.databaseUrl!,
    DATABASE_POOL_SIZE: '4',
    REDIS_URL: redis.url,
    HUB_SECRET_KEY: TEST_SECRET_KEY,
    ADMIN_TOKEN,
    QUIZ_JWT_SECRET: JWT_SECRET,
    LOG_LEVEL: 'warn',
    // A killed worker's jobs come back to the other one within seconds (JOB_EXPIRE_SECONDS' minimum); an amoCRM
    // call older than 3 s is over, so its outcome may be looked up.
    JOB_EXPIRE_SECONDS: '5',
    JOB_MONITOR_SECONDS: '1',
    OUTBOUND_TIMEOUT_MS: '3000',
  };
  const apis = [new HubProcess('api-1', 'api', env), new HubProcess('api-2', 'api', env)];
  const workers = [new HubProcess('worker-1', 'worker', env), new HubProcess('worker-2', 'worker', env)];
  const all = [...apis, ...workers];
  cleanup.push(() => Promise.all(all.map((p) => p.kill())));
  // All four at once on an empty database: migrations and the queue's schema are installed by whoever comes first.
  await Promise.all(all.map((p) => p.start()));
  const started = Date.now();

  const quizHeaders = await setUpQuiz(apis[0]!, emu, QUIZ_ACCOUNT, QUIZ_ID);
  const stream = await trackingBot(apis[1]!, ADMIN_TOKEN, 'Scale cargo', 1_000_000);
  const limited = await trackingBot(apis[0]!, ADMIN_TOKEN, 'Scale limited', KEY_LIMIT);
  const subdomain = emu.defaults.subdomain;

  // 1. A stream of mixed writes, write i to API process i mod 2: every one is acknowledged (nothing is killed yet).
  const writes: Write[] = [];
  for (let i = 0; i < PER_KIND; i++) {
    const n = String(i).padStart(4, '0');
    writes.push({ kind: 'quiz', id: `q-${n}` }, { kind: 'tracking', id: `TRK-${n}` }, { kind: 'webhook', id: `evt-${n}` });
  }
  const send = async (w: Write, api: HubProcess) => {
    const res = await sendWrite(api, w, { quizHeaders, quizId: QUIZ_ID, tracking: stream });
    assert.ok(res.status >= 200 && res.status < 300, `${w.id} via ${api.name}: ${res.status}`);
  };
  const streamStart = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < writes.length) {
        const i = next++;
        await send(writes[i]!, apis[i % 2]!);
      }
    }),
  );
  const streamMs = Date.now() - streamStart;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const drained = async () => {
    const queued = (await call(apis[0]!, 'GET', '/admin/v1/quiz/results?status=queued&limit=1', admin)).json() as { items: unknown[] };
    const received = (await call(apis[1]!, 'GET', '/admin/v1/inbox?source=probe&status=received&limit=1', admin)).json() as {
      items: unknown[];
    };
    return queued.items.length === 0 && received.items.length === 0;
  };
  await eventually(drained, 90_000, 200);
  const drainedMs = Date.now() - streamStart;

  // 2. One key with a limit of KEY_LIMIT a minute, hammered through both API processes at once.
  const hammerStart = Date.now();
  const answers = await Promise.all(
    Array.from({ length: HAMMER }, (_, i) =>
      call(
        apis[i % 2]!,
        'POST',
        `/api/v1/tracking/${limited.botId}`,
        { 'x-api-key': limited.key },
        { tracking_number: `LIM-${String(i).padStart(3, '0')}`, client_code: 'L1' },
      ).then((res) => ({ api: apis[i % 2]!.name, status: res.status })),
    ),
  );
  const hammerMs = Date.now() - hammerStart;
  const accepted = answers.filter((a) => a.status === 201);
  assert.ok(hammerMs < 60_000 / KEY_LIMIT, `the hammer fits before the key earns another request (${hammerMs} ms)`);
  assert.equal(accepted.length, KEY_LIMIT, `the key's limit over both API processes, not ${KEY_LIMIT} per process`);
  assert.equal(answers.filter((a) => a.status === 429).length, HAMMER - KEY_LIMIT, 'the rest refused with 429');

  // 3. A worker killed mid-job: the next /leads/complex call lands and its answer is held back; its worker is killed.
  const armedAt = Date.now();
  const leadsBefore = emu.control.entities.count('leads');
  emu.control.faults.add({ path: '/api/v4/leads/complex', method: 'POST', kind: 'answer_lost', delayMs: 10_000, times: 1 });
  for (let i = 0; i < KILL_RESULTS; i++) {
    const id = `k-${String(i).padStart(4, '0')}`;
    writes.push({ kind: 'quiz', id });
    await send(writes.at(-1)!, apis[i % 2]!);
  }
  const held = await eventually(
    async () => calls.find((c) => c.at >= armedAt && c.path === '/api/v4/leads/complex' && !c.refused),
    30_000,
    10,
  );
  await eventually(async () => emu.control.entities.count('leads') > leadsBefore, 30_000, 10);
  const victim = workers.find((w) => w.name === held.by)!;
  const survivor = workers.find((w) => w !== victim)!;
  await victim.kill();
  const killedAt = Date.now();
  await eventually(drained, 90_000, 200);
  const recoveredMs = Date.now() - killedAt;
  const lookups = calls.filter((c) => c.at >= killedAt && c.method === 'GET' && c.path === '/api/v4/leads');
  assert.ok(
    lookups.length > 0 && lookups.every((c) => c.by === survivor.name),
    `${survivor.name} looked the held call's lead up (lookups: ${JSON.stringify(lookups.map((c) => c.by))})`,
  );

  // 4. Effects: every write once (leads by marker and name, tracking rows, inbox rows, handler runs).
  await Promise.all(all.map((p) => p.stop()));
  const database = await storage.open();
  const effects = await checkEffects(database, emu, writes, {
    quizAccount: QUIZ_ACCOUNT,
    quizId: QUIZ_ID,
    botId: stream.botId,
    handlerRuns: workers.flatMap((w) => w.processed),
  });
  assert.deepEqual(
    apis.map((a) => a.processed.length),
    [0, 0],
    'API processes run no inbox handler',
  );
  const limitedRows = await database.query<{ n: number }>('select count(*)::int as n from tracking_numbers where bot_id = $1', [
    limited.botId,
  ]);
  assert.equal(Number(limitedRows[0]!.n), KEY_LIMIT, 'one stored number per accepted request of the limited key');

  // 5. amoCRM pacing: at most 7 API calls per second for the account although both workers call it, judged by
  // when each call left its hub process (the pacing's decision, on one machine's clock). The emulator's own view
  // adds each call's way to it: the emulator runs in this test process, which on a busy machine takes a call in up
  // to ~100 ms late, squeezing calls that left more than a second apart into less — its count and 429s are reported.
  const apiCalls = calls.filter((c) => c.path.startsWith('/api/v4/'));
  const sentPerSecond = maxPerSecond(apiCalls.map((c) => c.sent));
  const seenPerSecond = emu.control.requests.maxPerSecond({ subdomain, path: '/api/v4/' });
  const refused = emu.control.requests.list({ subdomain, status: 429 }).length;
  const transit = apiCalls.map((c) => c.at - c.sent).sort((a, b) => a - b);
  const byProcess: Record<string, number> = {};
  for (const c of calls) byProcess[c.by] = (byProcess[c.by] ?? 0) + 1;
  assert.ok(sentPerSecond <= AMO_PER_SECOND, `the hub sent ${sentPerSecond} amoCRM calls within one second: ${busiestSecond(apiCalls)}`);
  assert.ok(sentPerSecond >= AMO_PER_SECOND - 1, `the stream kept amoCRM's schedule busy (${sentPerSecond} calls in its busiest second)`);
  assert.ok(
    workers.every((w) => (byProcess[w.name] ?? 0) > 0),
    `both workers called amoCRM: ${JSON.stringify(byProcess)}`,
  );
  assert.ok(
    calls.filter((c) => c.path.startsWith('/api/v4/leads')).every((c) => workers.some((w) => w.name === c.by)),
    'leads are made and looked up by workers only',
  );

  t.diagnostic(
    JSON.stringify({
      processes: all.map((p) => `${p.name}:${p.role}`),
      startMs: started - began,
      stream: { writes: PER_KIND * 3, concurrency: CONCURRENCY, sendMs: streamMs, drainedMs },
      effects,
      webhooksHandledBy: Object.fromEntries(workers.map((w) => [w.name, w.processed.length])),
      limit: {
        key: KEY_LIMIT,
        sent: HAMMER,
        accepted: accepted.length,
        acceptedBy: Object.fromEntries(apis.map((a) => [a.name, accepted.filter((x) => x.api === a.name).length])),
        hammerMs,
      },
      amo: {
        calls: calls.length,
        byProcess,
        maxPerSecondSent: sentPerSecond,
        maxPerSecondAtEmulator: seenPerSecond,
        refused429: refused,
        transitMs: { median: transit[transit.length >> 1], max: transit.at(-1) },
      },
      kill: { victim: victim.name, survivor: survivor.name, lookups: lookups.length, recoveredMs },
      totalMs: Date.now() - began,
    }),
  );
}

test(
  'two api and two worker processes on one PostgreSQL and one Redis: writes once, limits shared, a killed worker’s job finished by the other',
  {
    timeout: 300_000,
    skip:
      testBackend() !== 'postgres'
        ? 'PGlite is one process’s embedded database: scale-out needs PostgreSQL (HUB_TEST_DB=postgres with TEST_DATABASE_URL)'
        : redisServerMissing()
          ? 'redis-server is not installed'
          : false,
  },
  scaleOut,
);

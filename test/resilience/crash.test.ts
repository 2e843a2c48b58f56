// Crash test: a stream of mixed writes — quiz results (→ amoCRM leads), tracking creates, inbox webhooks — against
// a hub process that is SIGKILLed twice mid-stream and restarted on the same storage (PGlite: the same DATA_DIR;
// PostgreSQL: the same database). Each kill lands while an amoCRM /leads/complex call has been carried out and its
// answer is still on the way (the emulator's `answer_lost` fault with a delay): the case that used to create
// duplicate leads. Afterwards every acknowledged (2xx) write has had its effect exactly once in the emulator and the
// database, and unacknowledged ones at most once. Bounded: a few hundred writes, deadlines on every wait.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAmoEmulator } from '../../src/emulators/amocrm/index.js';
import { openDatabase, type Database } from '../../src/platform/db/database.js';
import { emptyDatabase, testBackend } from '../helpers/db.js';
import { eventually, TEST_SECRET_KEY } from '../helpers/hub.js';
import { JWT_SECRET } from '../modules/quiz/helpers.js';
import { call, sendWrite, setUpQuiz } from './scale-kit.js';
import type { Write } from './scale-effects.js';

const root = new URL('../..', import.meta.url).pathname;
const ADMIN_TOKEN = 'crash-test-admin-token-0123456789';
const QUIZ_ACCOUNT = 'crash-quiz';
const QUIZ_ID = 42;
const PER_KIND = 120;
const CONCURRENCY = 4;

/** The hub as a child process (test/fixtures/hub-process.ts): started, SIGKILLed and restarted on the same storage. */
class HubProcess {
  origin = '';
  /** Bodies the probe's inbox handler processed, over every life of the process. */
  readonly processed: string[] = [];
  readonly stderr: string[] = [];
  lives = 0;
  #child: ChildProcess | undefined;
  #up!: Promise<void>;
  #open!: () => void;

  constructor(private readonly env: Record<string, string>) {
    this.#closeGate();
  }

  /** Resolves while the hub serves; requests wait here while it is down (a client waiting for the service). */
  ready(): Promise<void> {
    return this.#up;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/hub-process.ts'], {
      cwd: root,
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    this.lives++;
    child.stderr!.on('data', (d) => {
      this.stderr.push(...String(d).split('\n').filter(Boolean));
      if (this.stderr.length > 400) this.stderr.splice(0, this.stderr.length - 200);
    });
    this.origin = await new Promise<string>((resolve, reject) => {
      let buffered = '';
      const timer = setTimeout(() => reject(new Error(`hub did not start within 90 s:\n${this.stderr.slice(-20).join('\n')}`)), 90_000);
      child.stdout!.on('data', (d) => {
        buffered += String(d);
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (line.startsWith('LISTENING ')) {
            clearTimeout(timer);
            resolve(line.slice('LISTENING '.length));
          } else if (line.startsWith('PROCESSED ')) this.processed.push(line.slice('PROCESSED '.length));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`hub exited (${code}):\n${this.stderr.slice(-20).join('\n')}`));
      });
    });
    this.#open();
  }

  async kill(): Promise<void> {
    this.#closeGate();
    await this.#exit('SIGKILL');
  }

  /** SIGTERM: a graceful stop that releases the data-dir lock. */
  async stop(): Promise<void> {
    this.#closeGate();
    await this.#exit('SIGTERM');
  }

  async #exit(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  #closeGate(): void {
    this.#up = new Promise<void>((resolve) => (this.#open = resolve));
  }
}

async function setUpTracking(hub: HubProcess): Promise<{ botId: number; key: string }> {
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const bot = await call(hub, 'POST', '/admin/v1/tracking/bots', admin, { name: 'Crash cargo', username: '@crash_bot' });
  assert.equal(bot.status, 201);
  const botId = (bot.json() as { id: number }).id;
  const key = await call(hub, 'POST', `/admin/v1/tracking/bots/${botId}/keys`, admin, { name: 'crash', rate_limit_per_minute: 1_000_000 });
  assert.equal(key.status, 201);
  return { botId, key: (key.json() as { key: string }).key };
}

async function crashRun(t: TestContext): Promise<void> {
  // Cleanup runs last-registered first: the hub dies before its storage and the emulator go.
  const cleanup: Array<() => unknown> = [];
  t.after(async () => {
    for (const step of cleanup.reverse()) await step();
  });
  const emu = createAmoEmulator({ redirectUri: 'http://127.0.0.1/quiz/webhook/create' });
  await emu.listen();
  cleanup.push(() => emu.close());
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-resilience-crash-'));
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const storage = testBackend() === 'postgres' ? await emptyDatabase() : undefined;
  if (storage) cleanup.push(() => storage.drop());

  const hub = new HubProcess({
    ...emu.hubSettings(),
    DATA_DIR: dataDir,
    DATABASE_URL: storage?.databaseUrl ?? '',
    REDIS_URL: '',
    HUB_SECRET_KEY: TEST_SECRET_KEY,
    ADMIN_TOKEN,
    QUIZ_JWT_SECRET: JWT_SECRET,
    LOG_LEVEL: 'warn',
    // A crashed worker's jobs come back within seconds; an amoCRM call older than 3 s is over.
    JOB_EXPIRE_SECONDS: '5',
    JOB_MONITOR_SECONDS: '1',
    OUTBOUND_TIMEOUT_MS: '3000',
  });
  cleanup.push(() => hub.kill());
  await hub.start();
  const quizHeaders = await setUpQuiz(hub, emu, QUIZ_ACCOUNT, QUIZ_ID);
  const tracking = await setUpTracking(hub);

  const writes: Write[] = [];
  for (let i = 0; i < PER_KIND; i++) {
    const n = String(i).padStart(4, '0');
    writes.push({ kind: 'quiz', id: `q-${n}` }, { kind: 'tracking', id: `TRK-${n}` }, { kind: 'webhook', id: `evt-${n}` });
  }
  const acked = new Set<string>();
  const statuses = new Map<string, number | string>();
  const send = async (w: Write): Promise<void> => {
    await hub.ready();
    try {
      const res = await sendWrite(hub, w, { quizHeaders, quizId: QUIZ_ID, tracking });
      statuses.set(w.id, res.status);
      if (res.status >= 200 && res.status < 300) acked.add(w.id);
    } catch (err) {
      statuses.set(w.id, (err as { code?: string }).code ?? 'error');
    }
  };
  // The stream pauses at each kill mark until that kill's fault is armed, so results still come after it: the next
  // /leads/complex call is the one that lands and loses its answer.
  const marks = [0.25, 0.5].map((share) => Math.floor(writes.length * share));
  const armed = marks.map(() => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { opened, open };
  });
  let next = 0;
  const stream = Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < writes.length) {
        const i = next++;
        for (const [k, mark] of marks.entries()) if (i >= mark) await armed[k]!.opened;
        await send(writes[i]!);
      }
    }),
  );
  const lookupsSoFar = () =>
    emu.control.requests.list({ method: 'GET', path: '/api/v4/leads' }).filter((r) => r.path === '/api/v4/leads').length;
  const crashes = (async () => {
    for (const [k, mark] of marks.entries()) {
      await eventually(async () => next > mark, 120_000, 10);
      // The second kill waits for the first one's recovery (its lookup), so each kill leaves its own landed call.
      await eventually(async () => lookupsSoFar() >= k, 120_000, 50);
      const before = emu.control.entities.count('leads');
      emu.control.faults.add({ path: '/api/v4/leads/complex', method: 'POST', kind: 'answer_lost', delayMs: 10_000, times: 1 });
      armed[k]!.open();
      await eventually(async () => emu.control.entities.count('leads') > before, 60_000, 2);
      await hub.kill();
      await hub.start();
    }
  })();
  await Promise.all([stream, crashes]);
  assert.equal(hub.lives, 3, 'killed twice, started three times');

  // Drain: every acknowledged result delivered, every webhook processed (bounded).
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  await eventually(
    async () => {
      const queued = (await call(hub, 'GET', '/admin/v1/quiz/results?status=queued&limit=1', admin)).json() as { items: unknown[] };
      const received = (await call(hub, 'GET', '/admin/v1/inbox?source=probe&status=received&limit=1', admin)).json() as {
        items: unknown[];
      };
      return queued.items.length === 0 && received.items.length === 0;
    },
    180_000,
    250,
  );
  await hub.stop();

  const database: Database = storage ? await storage.open() : await openDatabase({ dataDir });
  if (!storage) cleanup.push(() => database.close());
  const byKind = (kind: Write['kind']) => writes.filter((w) => w.kind === kind);
  const summary: Record<string, unknown> = { backend: testBackend(), writes: writes.length, acknowledged: acked.size };

  // Quiz results: each acknowledged result is sent with exactly one lead in amoCRM; none has two.
  const quizRows = await database.query<{ result_id: string; status: string; amo_lead_id: number | null }>(
    `select result_id, status, amo_lead_id from quiz_results where quiz_account_id = $1`,
    [QUIZ_ACCOUNT],
  );
  const rowsByResult = new Map(quizRows.map((r) => [r.result_id, r]));
  const leads = emu.control.entities.list('leads') as unknown as Array<{
    id: number;
    name: string;
    _embedded: { tags: Array<{ name: string }> };
  }>;
  const leadsByName = new Map<string, number[]>();
  for (const l of leads) leadsByName.set(l.name, [...(leadsByName.get(l.name) ?? []), l.id]);
  const leadsOf = (resultId: string) => leadsByName.get(`Заявка с квиза ${QUIZ_ID}: Клиент ${resultId}`) ?? [];
  let lost = 0;
  let duplicated = 0;
  for (const w of byKind('quiz')) {
    const row = rowsByResult.get(w.id);
    const found = leadsOf(w.id);
    if (found.length > 1) duplicated++;
    if (acked.has(w.id) && (!row || row.status !== 'sent' || found.length !== 1 || row.amo_lead_id !== found[0])) lost++;
    if (!acked.has(w.id) && row)
      assert.ok(row.status === 'sent' && found.length === 1, `an unacknowledged result that was stored: ${w.id}`);
    if (!row) assert.equal(found.length, 0, `no lead without a result: ${w.id}`);
  }
  assert.equal(leads.length, quizRows.length, 'no stray leads');
  const markers = new Map<string, number>();
  for (const l of leads)
    for (const tag of l._embedded.tags) if (tag.name.startsWith('hub:')) markers.set(tag.name, (markers.get(tag.name) ?? 0) + 1);
  assert.ok(
    [...markers.values()].every((n) => n === 1),
    'one lead per marker',
  );
  // The kills hit landed calls, so the restarted hub looked their leads up rather than creating them again.
  const lookups = lookupsSoFar();
  assert.ok(lookups >= 2, `one lookup per landed call at least, got ${lookups}`);
  summary.quiz = {
    acknowledged: byKind('quiz').filter((w) => acked.has(w.id)).length,
    leads: leads.length,
    lookups,
    lost,
    duplicated,
  };
  assert.equal(lost, 0, 'no acknowledged result lost');
  assert.equal(duplicated, 0, 'no result with two leads');

  // Tracking creates: one row per acknowledged number; the per-bot counters agree with the rows.
  const numbers = await database.query<{ tracking_number: string; n: number }>(
    'select tracking_number, count(*)::int as n from tracking_numbers where bot_id = $1 group by tracking_number',
    [tracking.botId],
  );
  const numberCount = new Map(numbers.map((r) => [r.tracking_number, Number(r.n)]));
  const trackingAcked = byKind('tracking').filter((w) => acked.has(w.id));
  assert.ok(
    trackingAcked.every((w) => numberCount.get(w.id) === 1),
    'every acknowledged tracking number stored once',
  );
  assert.ok([...numberCount.values()].every((n) => n === 1));
  const [counters] = await database.query<{ numbers: number; clients: number }>(
    `select coalesce(sum(n) filter (where kind <> 'clients'), 0)::int as numbers, coalesce(sum(n) filter (where kind = 'clients'), 0)::int as clients
       from tracking_counters where bot_id = $1`,
    [tracking.botId],
  );
  const [clients] = await database.query<{ n: number }>('select count(*)::int as n from tracking_clients where bot_id = $1', [
    tracking.botId,
  ]);
  assert.equal(Number(counters!.numbers), numbers.length, 'status counters = rows');
  assert.equal(Number(counters!.clients), Number(clients!.n), 'client counter = clients');
  summary.tracking = { acknowledged: trackingAcked.length, stored: numbers.length };

  // Inbox webhooks: one stored, processed message per acknowledged event; the handler ran for each (at least once).
  const inbox = await database.query<{ dedupe_key: string; status: string }>(
    `select dedupe_key, status from inbox_messages where source = 'probe'`,
  );
  const inboxByKey = new Map<string, string[]>();
  for (const m of inbox) inboxByKey.set(m.dedupe_key, [...(inboxByKey.get(m.dedupe_key) ?? []), m.status]);
  const hooksAcked = byKind('webhook').filter((w) => acked.has(w.id));
  assert.ok(
    hooksAcked.every((w) => inboxByKey.get(w.id)?.join() === 'processed'),
    'every acknowledged webhook stored once and processed',
  );
  const runs = new Map<string, number>();
  for (const body of hub.processed) {
    const id = (JSON.parse(body) as { event: string }).event;
    runs.set(id, (runs.get(id) ?? 0) + 1);
  }
  assert.ok(
    inbox.every((m) => (runs.get(m.dedupe_key) ?? 0) >= 1),
    'every stored webhook reached its handler',
  );
  summary.webhooks = {
    acknowledged: hooksAcked.length,
    stored: inbox.length,
    handlerReruns: [...runs.values()].reduce((sum, n) => sum + n - 1, 0),
  };
  summary.failedByKills = writes.filter((w) => !acked.has(w.id)).map((w) => `${w.id}:${statuses.get(w.id)}`);
  t.diagnostic(JSON.stringify(summary));
}

test(`SIGKILL twice under a stream of mixed writes: every 2xx took effect exactly once (${testBackend()})`, { timeout: 600_000 }, crashRun);

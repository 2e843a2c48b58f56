// PartnerTransport against a tiny local HTTP server, on a test clock: what each policy allows to be retried, the
// retry_after it waits, the renewal after a 401, the pause and alert after a block, pacing, and errors that say
// whether a retry helps. The hub is real (its rate limiter keeps the shared schedule, its metrics count alerts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { testHub, type TestHub } from '../helpers/hub.js';
import { TestClock } from '../helpers/clock.js';
import { testBackend } from '../helpers/db.js';
import { OutboundError } from '../../src/platform/outbound/http-client.js';
import { senderPolicy, type Failure, type PartnerPolicy } from '../../src/platform/outbound/policy.js';
import type { TransportOptions } from '../../src/platform/hub.js';

type Reply = { status: number; body?: string; headers?: Record<string, string> };
type Hit = { method: string; path: string; authorization?: string };

const hits: Hit[] = [];
/** Scripted answers per path, used up in order; then 200 `{"ok":true}`. */
const script = new Map<string, Reply[]>();
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const path = (req.url ?? '/').split('?')[0]!;
  hits.push({ method: req.method!, path, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
  const auth: Reply | undefined =
    /^\/auth/.test(path) && req.headers.authorization !== 'Bearer fresh' ? { status: 401, body: '{}' } : undefined;
  const reply: Reply = auth ?? script.get(path)?.shift() ?? { status: 200, body: '{"ok":true}' };
  req.resume();
  req.on('end', () => res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(reply.body ?? ''));
});
let origin = '';
let closedPort = 0;
let h: TestHub;

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  // A port nobody listens on: connections are refused, so a request there surely never reached anyone.
  const probe = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => probe.once('listening', r));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  h = await testHub(undefined);
});
after(async () => {
  await h.close();
  server.close();
});

const hitsOf = (path: string) => hits.filter((x) => x.path === path);
const unique = (name: string) => `${name}-${randomBytes(3).toString('hex')}`;
const on = (clock: TestClock, more: TransportOptions = {}): TransportOptions => ({ clock, allowHosts: ['127.0.0.1'], ...more });

/** A partner error that keeps the transport's failure, to see what the policy was told. */
class PartnerFailure extends Error {
  constructor(readonly failure: Failure<string>) {
    super(`${failure.kind}`);
  }
  get retryable(): boolean {
    return this.failure.retryable;
  }
}
const failsWith = (kind: string, retryable: boolean) => (err: unknown) => {
  assert.ok(err instanceof PartnerFailure, String(err));
  assert.equal(err.failure.kind, kind);
  assert.equal(err.retryable, retryable);
  return true;
};

test('retries only what the policy and the call kind allow; a write only when it surely never reached the partner', async () => {
  const clock = new TestClock();
  const t = h.hub.transport({ partner: 'test-retry', retry: { attempts: 3, baseDelayMs: 100 } }, on(clock));
  script.set('/read', [{ status: 503 }, { status: 502 }]);
  const res = await t.request({ method: 'GET', url: `${origin}/read`, kind: 'read' });
  assert.equal(res.status, 200);
  assert.equal(hitsOf('/read').length, 3, 'a read is repeated on 5xx');
  assert.equal(clock.sleeps.length, 2);
  assert.ok(clock.sleeps[0]! >= 50 && clock.sleeps[0]! <= 150, `first back-off ${clock.sleeps[0]}`);
  assert.ok(clock.sleeps[1]! >= 100 && clock.sleeps[1]! <= 300, `second back-off ${clock.sleeps[1]}`);

  script.set('/write', [{ status: 503 }]);
  await assert.rejects(
    t.request({ method: 'POST', url: `${origin}/write`, json: {}, kind: 'write' }),
    (err: OutboundError) => err.status === 503 && err.retryable && !err.neverSent,
  );
  assert.equal(hitsOf('/write').length, 1, 'a write that reached the partner is not repeated: it may have landed');

  script.set('/none', [{ status: 503 }]);
  await assert.rejects(t.request({ method: 'GET', url: `${origin}/none`, kind: 'none' }), (err: OutboundError) => err.retryable);
  assert.equal(hitsOf('/none').length, 1, "kind 'none' is never repeated in the call");

  script.set('/invalid', [{ status: 422, body: '{"error":"bad"}' }]);
  await assert.rejects(t.request({ method: 'GET', url: `${origin}/invalid` }), (err: OutboundError) => {
    assert.equal(err.status, 422);
    assert.equal(err.retryable, false, 'a 4xx will fail again');
    assert.equal(err.body, '{"error":"bad"}');
    return true;
  });
  assert.equal(hitsOf('/invalid').length, 1);

  const before = clock.sleeps.length;
  await assert.rejects(
    t.request({ method: 'POST', url: `http://127.0.0.1:${closedPort}/x`, json: {}, kind: 'write' }),
    (err: OutboundError) => err.status === undefined && err.retryable && err.neverSent,
  );
  assert.equal(clock.sleeps.length - before, 2, 'a write that never left (connection refused) is tried 3 times');

  const onlyUnreachable = h.hub.transport(
    { partner: 'test-retry-on', retry: { attempts: 3, baseDelayMs: 100, on: ['unreachable'] } },
    on(clock),
  );
  script.set('/read-once', [{ status: 503 }]);
  await assert.rejects(onlyUnreachable.request({ method: 'GET', url: `${origin}/read-once` }), (err: OutboundError) => err.retryable);
  assert.equal(hitsOf('/read-once').length, 1, 'a policy may retry only unreachable partners, not their 5xx');

  const guarded = h.hub.transport({ partner: 'test-ssrf', retry: { attempts: 3, baseDelayMs: 100 } }, { clock, allowHosts: [] });
  await assert.rejects(guarded.request({ method: 'GET', url: `${origin}/read` }), (err: OutboundError) => {
    assert.equal(err.retryable, false, 'an SSRF refusal does not pass on a retry');
    assert.match(err.message, /refused/);
    return true;
  });
  assert.equal(clock.sleeps.length - before, 2, 'and is not retried');
});

test('a sender policy makes one attempt and says whether the job queue should try again', async () => {
  const t = h.hub.transport(senderPolicy('test-sender'), on(new TestClock()));
  script.set('/hook', [{ status: 500 }, { status: 410 }]);
  await assert.rejects(t.request({ method: 'POST', url: `${origin}/hook`, body: '{}' }), (err: OutboundError) => err.retryable);
  await assert.rejects(t.request({ method: 'POST', url: `${origin}/hook`, body: '{}' }), (err: OutboundError) => !err.retryable);
  assert.equal(hitsOf('/hook').length, 2);
  await assert.rejects(
    t.request({ method: 'POST', url: `http://127.0.0.1:${closedPort}/hook`, body: '{}' }),
    (err: OutboundError) => err.retryable && err.neverSent,
  );
});

test('429: retry_after from the body, then the header, is waited out and the pause stored; a long or endless storm fails retryable', async () => {
  const clock = new TestClock();
  const pauses = new Map<string, number>();
  const policy: PartnerPolicy<string, undefined, PartnerFailure> = {
    partner: 'test-429',
    rateLimit: {
      retryAfter: { bodyField: 'retry_after', header: 'retry-after', defaultMs: 1000, minMs: 100 },
      maxWaitMs: 15_000,
      maxTotalWaitMs: 25_000,
    },
    pause: { until: (key) => pauses.get(key), set: async (key, until) => void pauses.set(key, until) },
    error: (f) => new PartnerFailure(f),
  };
  const t = h.hub.transport(policy, on(clock));
  script.set('/limited', [
    { status: 429, body: '{"retry_after":2}', headers: { 'retry-after': '9' } },
    { status: 429, headers: { 'retry-after': '3' } },
    { status: 429, body: 'Too Many Requests' },
  ]);
  const started = clock.now();
  assert.equal((await t.request({ key: 'a', method: 'POST', url: `${origin}/limited`, json: {}, kind: 'write' })).status, 200);
  assert.deepEqual(clock.sleeps, [2000, 3000, 1000], 'body first, then header, then the default; a write too (429: not carried out)');
  assert.equal(hitsOf('/limited').length, 4);
  assert.ok(pauses.get('a')! >= started + 2000 + 3000 + 1000, 'the pause is stored for every process');

  script.set('/long', [{ status: 429, body: '{"retry_after":60}' }]);
  await assert.rejects(t.request({ key: 'b', method: 'GET', url: `${origin}/long` }), (err: PartnerFailure) => {
    failsWith('rate-limited', true)(err);
    assert.equal(err.failure.retryAfterMs, 60_000);
    return true;
  });
  // Every call for the key now fails at once, without a request, until the pause is over.
  await assert.rejects(t.request({ key: 'b', method: 'GET', url: `${origin}/long` }), failsWith('paused', true));
  assert.equal(hitsOf('/long').length, 1);
  clock.advance(60_000);
  assert.equal((await t.request({ key: 'b', method: 'GET', url: `${origin}/long` })).status, 200);

  script.set(
    '/storm',
    Array.from({ length: 5 }, () => ({ status: 429, body: '{"retry_after":10}' })),
  );
  await assert.rejects(t.request({ key: 'c', method: 'GET', url: `${origin}/storm` }), failsWith('rate-limited', true));
  assert.equal(hitsOf('/storm').length, 3, 'waits of 10 s while the total stays within 25 s');
});

test('401: the credentials are renewed once and the call repeated with them; a second 401 fails for good', async () => {
  const renewed: string[] = [];
  const policy: PartnerPolicy<string, { token: string }, PartnerFailure> = {
    partner: 'test-auth',
    auth: {
      credentials: async () => ({ token: 'stale' }),
      apply: (req, creds) => ({ ...req, url: `${origin}${req.url}`, headers: { ...req.headers, authorization: `Bearer ${creds.token}` } }),
      afterUnauthorized: async (_key, used) => (renewed.push(used.token), { token: used.token === 'stale' ? 'fresh' : 'still-stale' }),
    },
    error: (f) => new PartnerFailure(f),
  };
  const t = h.hub.transport(policy, on(new TestClock()));
  assert.equal((await t.request({ key: 'k', method: 'GET', url: '/auth/ok' })).status, 200);
  assert.deepEqual(
    hitsOf('/auth/ok').map((x) => x.authorization),
    ['Bearer stale', 'Bearer fresh'],
  );
  assert.deepEqual(renewed, ['stale']);

  const never: PartnerPolicy<string, { token: string }, PartnerFailure> = {
    ...policy,
    auth: { ...policy.auth!, afterUnauthorized: async (_key, used) => (renewed.push(used.token), { token: 'revoked' }) },
  };
  await assert.rejects(
    h.hub.transport(never, on(new TestClock())).request({ key: 'k', method: 'GET', url: '/auth/never' }),
    failsWith('unauthorized', false),
  );
  assert.equal(hitsOf('/auth/never').length, 2, 'one renewal, one repeat, no more');
  assert.deepEqual(renewed, ['stale', 'stale']);
});

test('a block pauses the key for every process, counts an alert and fails retryable', async () => {
  const clock = new TestClock();
  const pauses = new Map<string, number>();
  const partner = unique('test-block');
  const t = h.hub.transport<string, undefined, PartnerFailure>(
    {
      partner,
      block: { detect: (res) => res.status === 403, pauseMs: 600_000 },
      rateLimit: { retryAfter: { defaultMs: 1000, minMs: 100 }, maxWaitMs: 15_000, maxTotalWaitMs: 45_000 },
      pause: { until: (key) => pauses.get(key), set: async (key, until) => void pauses.set(key, until) },
      error: (f) => new PartnerFailure(f),
    },
    on(clock),
  );
  script.set('/blocked', [{ status: 403, body: '<html><body>403 Forbidden</body></html>' }]);
  const started = clock.now();
  await assert.rejects(t.request({ key: 'acct', method: 'GET', url: `${origin}/blocked` }), (err: PartnerFailure) => {
    failsWith('blocked', true)(err);
    assert.equal(err.failure.retryAfterMs, 600_000);
    return true;
  });
  assert.ok(pauses.get('acct')! >= started + 600_000);
  assert.match(await h.hub.metrics.registry.metrics(), new RegExp(`hub_alerts_total\\{kind="partner_block",partner="${partner}"\\} 1`));
  assert.ok(h.logs.some((l) => l.level === 50 && l.partner === partner && /blocked/.test(String(l.msg))));
  await assert.rejects(t.request({ key: 'acct', method: 'GET', url: `${origin}/blocked` }), failsWith('paused', true));
  assert.equal(hitsOf('/blocked').length, 1, 'a paused key sends nothing');
});

test('pacing on the test clock: slots of the shared schedule, and the per-process window shared by two transports', async () => {
  const clock = new TestClock();
  const schedule = h.hub.transport({ partner: 'test-pace', pacing: { key: (k: string) => k, intervalMs: 250 } }, on(clock));
  const key = unique('pace');
  const realStart = Date.now();
  const start = clock.now();
  await Promise.all(Array.from({ length: 4 }, () => schedule.request({ key, method: 'GET', url: `${origin}/paced` })));
  assert.ok(clock.now() - start >= 750, `4 calls 250 ms apart take 750 ms of the clock (${clock.now() - start})`);

  const windowed = { partner: 'test-window', pacing: { key: (k: string) => k, intervalMs: 1, window: { limit: 2, windowMs: 1000 } } };
  const [a, b] = [h.hub.transport(windowed, on(clock)), h.hub.transport(windowed, on(clock))];
  const wkey = unique('window');
  const wstart = clock.now();
  await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).request({ key: wkey, method: 'GET', url: `${origin}/windowed` })));
  // Two per window, counted from each answer: 6 calls need three windows, whichever transport sends them.
  assert.ok(clock.now() - wstart >= 2000, `6 calls, 2 per 1000 ms window: ${clock.now() - wstart} ms of the clock`);
  assert.ok(Date.now() - realStart < 2000, 'none of it waited for real');
});

test('pacing: a request that wakes up late for its slot books a new one where other processes share the schedule', async () => {
  // The first wait for a slot oversleeps by 60 ms (a busy event loop); the schedule's next slot may belong to
  // another process, which sends on time.
  class LateClock extends TestClock {
    late = 60;
    override async sleep(ms: number, signal?: AbortSignal): Promise<void> {
      await super.sleep(ms, signal);
      if (ms > 0 && this.late) {
        this.advance(this.late);
        this.late = 0;
      }
    }
  }
  const clock = new LateClock();
  const t = h.hub.transport({ partner: 'test-late', pacing: { key: (k: string) => k, intervalMs: 250 } }, on(clock));
  const key = unique('late');
  const start = clock.now();
  await t.request({ key, method: 'GET', url: `${origin}/late` });
  await t.request({ key, method: 'GET', url: `${origin}/late` });
  if (testBackend() === 'postgres') {
    // Its slot was start + 250; it woke at start + 310 and took the next one, start + 500.
    assert.ok(clock.now() - start >= 500, `the late request went in a slot of its own (${clock.now() - start} ms of the clock)`);
    assert.ok(clock.sleeps.length >= 2, `it waited twice: ${clock.sleeps.join(', ')}`);
  } else {
    // Embedded, no other process books this schedule: the late request goes at once (the window guards the rate).
    assert.ok(clock.now() - start < 500, `the late request went when it woke (${clock.now() - start} ms of the clock)`);
  }
});

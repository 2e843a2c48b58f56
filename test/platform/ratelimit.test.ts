import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { eventually, testHub } from '../helpers/hub.js';
import { PgRateLimiter, type LimitDecision, type RateLimiter } from '../../src/platform/ratelimit/limiter.js';
import { Redis } from 'ioredis';
import { RedisRateLimiter } from '../../src/platform/ratelimit/redis.js';
import { FallbackRateLimiter } from '../../src/platform/ratelimit/fallback.js';
import { createMetrics } from '../../src/platform/observability/metrics.js';
import { createLogger } from '../../src/platform/observability/logger.js';
import { Writable } from 'node:stream';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** 12 checks asked for together at a limit of 10/min: the first 10 fit, in the order asked, then 6 s to wait. */
function assertFirstTenOfTwelve(results: LimitDecision[]): void {
  assert.deepEqual(
    results.map((r) => r.allowed),
    [...Array(10).fill(true), false, false],
  );
  assert.deepEqual(
    results.slice(0, 10).map((r) => r.remaining),
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
  );
  assert.equal(results[11]!.retryAfterMs, 6_000);
}

async function checkSemantics(limiter: RateLimiter) {
  const key = `t:${randomBytes(6).toString('hex')}`;
  const t0 = 1_800_000_000_000;
  const decisions = [];
  for (let i = 0; i < 5; i++) decisions.push(await limiter.check(key, 5, 60_000, t0));
  assert.deepEqual(
    decisions.map((d) => d.allowed),
    [true, true, true, true, true],
  );
  assert.deepEqual(
    decisions.map((d) => d.remaining),
    [4, 3, 2, 1, 0],
  );
  const denied = await limiter.check(key, 5, 60_000, t0);
  assert.equal(denied.allowed, false);
  assert.equal(denied.remaining, 0);
  assert.equal(denied.retryAfterMs, 12_000, 'one slot frees after period/limit');
  assert.equal(denied.resetMs, 60_000);
  assert.equal((await limiter.check(key, 5, 60_000, t0 + 11_999)).allowed, false);
  assert.equal((await limiter.check(key, 5, 60_000, t0 + 12_000)).allowed, true);
  const later = await limiter.check(key, 5, 60_000, t0 + 10 * 60_000);
  assert.equal(later.remaining, 4, 'the allowance refills completely');

  const pace = `p:${randomBytes(6).toString('hex')}`;
  const waits = [];
  for (let i = 0; i < 4; i++) waits.push(await limiter.reserve(pace, 150, t0));
  assert.deepEqual(waits, [0, 150, 300, 450], 'reservations queue behind one shared schedule');
  assert.equal(await limiter.reserve(pace, 150, t0 + 10_000), 0, 'an idle schedule starts now');

  // Generations: read in the same call as a check, replaced by bump with a value never seen before.
  const gen = `g:${randomBytes(6).toString('hex')}`;
  assert.equal((await limiter.check(key, 5, 60_000, t0)).generation, undefined, 'nothing watched, nothing read');
  assert.equal((await limiter.check(key, 5, 60_000, t0, gen)).generation, '', 'never bumped');
  const first = await limiter.bump(gen);
  const allowedRead = await limiter.check(`${key}:other`, 5, 60_000, t0, gen);
  assert.equal(allowedRead.allowed, true);
  assert.equal(allowedRead.generation, first);
  const second = await limiter.bump(gen);
  assert.notEqual(second, first);
  for (let i = 0; i < 5; i++) await limiter.check(`${key}:full`, 5, 60_000, t0);
  const deniedRead = await limiter.check(`${key}:full`, 5, 60_000, t0, gen);
  assert.equal(deniedRead.allowed, false);
  assert.equal(deniedRead.generation, second, 'a denial reads the generation too');
}

test('GCRA limits in PostgreSQL/PGlite: allowance, denial, retry-after, refill, pacing', async (t) => {
  const h = await testHub(t);
  await checkSemantics(new PgRateLimiter(h.hub.database));
});

test('PostgreSQL/PGlite checks asked for together are one statement: in order, per key, each with its generation', async (t) => {
  const h = await testHub(t);
  const limiter = new PgRateLimiter(h.hub.database);
  t.after(() => limiter.close());
  const key = `b:${randomBytes(6).toString('hex')}`;
  const gen = `g:${randomBytes(6).toString('hex')}`;
  const value = await limiter.bump(gen);
  const now = Date.now();
  const results = await Promise.all([
    ...Array.from({ length: 12 }, (_, i) => limiter.check(key, 10, 60_000, now, i % 2 ? gen : undefined)),
    ...Array.from({ length: 3 }, () => limiter.check(`${key}:other`, 2, 60_000, now)),
  ]);
  const same = results.slice(0, 12);
  assertFirstTenOfTwelve(same);
  assert.deepEqual(
    same.map((r) => r.generation),
    same.map((_, i) => (i % 2 ? value : undefined)),
    'watchers get the generation, others nothing',
  );
  assert.deepEqual(
    results.slice(12).map((r) => r.allowed),
    [true, true, false],
    'another key in the same batch has its own bucket',
  );

  // The same key under another limit in one round (a limit changed): checked in the next batch, after the first.
  const changed = `${key}:changed`;
  const [first, second] = await Promise.all([limiter.check(changed, 5, 60_000, now), limiter.check(changed, 10, 60_000, now)]);
  assert.equal(first!.remaining, 4);
  assert.equal(second!.allowed, true);
  assert.equal(second!.remaining, 7, 'the TAT the first check left (12 s) counts against the new limit (6 s a request)');
});

test('two PostgreSQL/PGlite limiters checking the same keys at once share them exactly', async (t) => {
  const h = await testHub(t);
  const a = new PgRateLimiter(h.hub.database);
  const b = new PgRateLimiter(h.hub.database);
  t.after(() => Promise.all([a.close(), b.close()]));
  const keys = ['z', 'm', 'a'].map((k) => `d:${randomBytes(4).toString('hex')}:${k}`);
  const now = Date.now();
  const allowed = new Map(keys.map((k) => [k, 0]));
  for (let round = 0; round < 5; round++) {
    // Each limiter sees the keys in a different order within its batch.
    const checks = Array.from({ length: 30 }, (_, i) => {
      const limiter = i % 2 ? a : b;
      const k = keys[i % 2 ? i % 3 : 2 - (i % 3)]!;
      return limiter.check(k, 25, 60_000, now).then((d) => d.allowed && allowed.set(k, allowed.get(k)! + 1));
    });
    await Promise.all(checks);
  }
  assert.deepEqual([...allowed.values()], [25, 25, 25], '50 checks per key, exactly the limit of 25 allowed');
});

test('a PostgreSQL batch locks its keys in sorted order: it waits behind a transaction that locks in that order, never deadlocks with it', async (t) => {
  const h = await testHub(t);
  const limiter = new PgRateLimiter(h.hub.database);
  t.after(() => limiter.close());
  const now = Date.now();
  const prefix = `o:${randomBytes(4).toString('hex')}`;
  const [first, last] = [`${prefix}:a`, `${prefix}:z`]; // sorted: first < last
  await Promise.all([limiter.check(first, 10, 60_000, now), limiter.check(last, 10, 60_000, now)]);
  const url = h.hub.database.connectionString;
  if (!url) return t.skip('PGlite has one connection: no second transaction can hold a lock');
  const other = new pg.Client({ connectionString: url });
  await other.connect();
  await other.query('begin');
  await other.query('select 1 from rate_buckets where key = $1 for update', [first]);
  // Asked for in the other order; the batch must lock `first` first and wait there holding nothing.
  const batch = Promise.all([limiter.check(last, 10, 60_000, now), limiter.check(first, 10, 60_000, now)]);
  await eventually(async () => {
    const { rows } = await other.query<{ n: number }>(
      "select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'integration-hub-ratelimit' and wait_event_type = 'Lock'",
    );
    return rows[0]!.n > 0;
  });
  // Locking in the same order: `last` is free. Had the batch taken it before `first`, this would be a deadlock
  // and PostgreSQL would abort one of the two.
  await other.query('select 1 from rate_buckets where key = $1 for update', [last]);
  await other.query('commit');
  const [l, f] = await batch;
  await other.end();
  assert.equal(l!.allowed, true);
  assert.equal(f!.allowed, true);
  assert.equal(l!.remaining, 8);
});

test('the same limits in Redis', async (t) => {
  const limiter = new RedisRateLimiter(redisUrl, `hub-test:${randomBytes(4).toString('hex')}:`);
  t.after(() => limiter.close());
  await checkSemantics(limiter);
});

test('two limiter instances share one limit (as two hub processes do)', async (t) => {
  const a = new RedisRateLimiter(redisUrl, 'hub-test-shared:');
  const b = new RedisRateLimiter(redisUrl, 'hub-test-shared:');
  t.after(() => Promise.all([a.close(), b.close()]));
  const key = randomBytes(6).toString('hex');
  const now = Date.now();
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).check(key, 10, 60_000, now)));
  assert.equal(results.filter((r) => r.allowed).length, 10);
});

test('Redis checks asked for together go as one script call; each gets its own answer, in order, even after Redis forgot the script', async (t) => {
  const limiter = new RedisRateLimiter(redisUrl, `hub-test:${randomBytes(4).toString('hex')}:`);
  const admin = new Redis(redisUrl);
  t.after(() => Promise.all([limiter.close(), admin.quit()]));
  const key = randomBytes(6).toString('hex');
  const now = Date.now();
  await limiter.check(`${key}:warm`, 10, 60_000, now); // the script is now known to this connection
  const generation = await limiter.bump(`${key}:gen`);
  // Redis forgets the script (as after a restart): the call's EVALSHA fails with NOSCRIPT and is resent as EVAL.
  await admin.script('FLUSH');
  // What this process sends to Redis, read off the client (other test files share the server, not this process).
  const sent: string[] = [];
  const sendCommand = Redis.prototype.sendCommand;
  Redis.prototype.sendCommand = function (this: Redis, ...args: Parameters<typeof sendCommand>) {
    sent.push(args[0].name);
    return sendCommand.apply(this, args);
  };
  const [results, watched] = await Promise.all([
    Promise.all(Array.from({ length: 12 }, () => limiter.check(key, 10, 60_000, now))),
    // Another key, another limit and a generation to read, in the same round.
    Promise.all(Array.from({ length: 3 }, () => limiter.check(`${key}:other`, 2, 60_000, now, `${key}:gen`))),
  ]).finally(() => (Redis.prototype.sendCommand = sendCommand));
  assertFirstTenOfTwelve(results);
  assert.deepEqual(
    watched.map((r) => [r.allowed, r.remaining, r.generation]),
    [
      [true, 1, generation],
      [true, 0, generation],
      [false, 0, generation],
    ],
  );
  // ioredis resends a refused EVALSHA as a command that turns itself into EVAL as it is written.
  assert.deepEqual(sent, ['evalsha', 'evalsha'], '15 checks, one call: the EVALSHA refused with NOSCRIPT, then its resend');

  // A store whose Redis is unreachable rejects every check of the batch at once (FallbackRateLimiter then answers).
  const down = new RedisRateLimiter('redis://127.0.0.1:1', 'hub-test-down:');
  t.after(() => down.close());
  const failed = await Promise.allSettled(Array.from({ length: 3 }, () => down.check(key, 10, 60_000, now)));
  assert.deepEqual(
    failed.map((r) => r.status),
    ['rejected', 'rejected', 'rejected'],
  );
});

test('with its store unreachable the limiter answers from memory at once, by the same GCRA, and defers generation changes', async (t) => {
  const lines: string[] = [];
  const log = createLogger({
    level: 'info',
    pretty: false,
    destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }),
  });
  const metrics = createMetrics();
  const limiter = new FallbackRateLimiter(new RedisRateLimiter('redis://127.0.0.1:1', 'hub-test-down:'), { store: 'redis', log, metrics });
  t.after(() => limiter.close());
  await limiter.start();
  assert.equal(limiter.health().degraded, true, 'unreachable at start: degraded from the first check');
  const t0 = 1_800_000_000_000;
  const started = performance.now();
  const decisions = [];
  for (let i = 0; i < 6; i++) decisions.push(await limiter.check('k', 5, 60_000, t0, 'gen'));
  assert.ok(performance.now() - started < 50, 'no check waits for the store');
  assert.deepEqual(
    decisions.map((d) => [d.allowed, d.remaining, d.generation]),
    [...[4, 3, 2, 1, 0].map((r) => [true, r, undefined]), [false, 0, undefined]],
    'the same limits, kept here; no generation (caches then re-read from the database)',
  );
  assert.equal(decisions[5]!.retryAfterMs, 12_000);
  assert.deepEqual(await Promise.all([0, 1, 2].map(() => limiter.reserve('pace', 150, t0))), [0, 150, 300], 'pacing too');
  assert.deepEqual(await limiter.publish('gen'), { deferred: true });
  assert.equal(limiter.health().pendingGenerations, 1);
  assert.match(await metrics.registry.metrics(), /^hub_ratelimit_degraded\{store="redis"\} 1$/m);
  assert.match(await metrics.registry.metrics(), /^hub_ratelimit_fallback_checks_total\{store="redis"\} 9$/m);
  assert.equal(lines.filter((l) => l.includes('rate limiter store unavailable')).length, 1, 'one warning, not one per check');
});

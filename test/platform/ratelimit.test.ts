import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { testHub } from '../helpers/hub.js';
import { PgRateLimiter, type RateLimiter } from '../../src/platform/ratelimit/limiter.js';
import { Redis } from 'ioredis';
import { RedisRateLimiter } from '../../src/platform/ratelimit/redis.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function checkSemantics(limiter: RateLimiter) {
  const key = `t:${randomBytes(6).toString('hex')}`;
  const t0 = 1_800_000_000_000;
  const decisions = [];
  for (let i = 0; i < 5; i++) decisions.push(await limiter.check(key, 5, 60_000, t0));
  assert.deepEqual(decisions.map((d) => d.allowed), [true, true, true, true, true]);
  assert.deepEqual(decisions.map((d) => d.remaining), [4, 3, 2, 1, 0]);
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

test('Redis checks asked for together (one pipeline) each get their own answer, in order, even after Redis forgot the script', async (t) => {
  const limiter = new RedisRateLimiter(redisUrl, `hub-test:${randomBytes(4).toString('hex')}:`);
  const admin = new Redis(redisUrl);
  t.after(() => Promise.all([limiter.close(), admin.quit()]));
  const key = randomBytes(6).toString('hex');
  const now = Date.now();
  await limiter.check(`${key}:warm`, 10, 60_000, now); // the script is now known to this connection
  // Redis forgets the script (as after a restart): the batch's EVALSHAs fail with NOSCRIPT and are resent.
  await admin.script('FLUSH');
  const before = Number((await admin.info('stats')).match(/total_commands_processed:(\d+)/)![1]);
  const results = await Promise.all(Array.from({ length: 12 }, () => limiter.check(key, 10, 60_000, now)));
  assert.deepEqual(
    results.map((r) => r.allowed),
    [...Array(10).fill(true), false, false],
    'checks are applied in the order they were asked for',
  );
  assert.deepEqual(results.slice(0, 10).map((r) => r.remaining), [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  assert.equal(results[11]!.retryAfterMs, 6_000);
  const processed = Number((await admin.info('stats')).match(/total_commands_processed:(\d+)/)![1]) - before;
  assert.ok(processed >= 24, `12 EVALSHAs refused with NOSCRIPT, then 12 EVALs (${processed} commands)`);

  // A limiter whose Redis is unreachable rejects every check of the batch (the API then fails open, loudly).
  const down = new RedisRateLimiter('redis://127.0.0.1:1', 'hub-test-down:');
  t.after(() => down.close());
  const failed = await Promise.allSettled(Array.from({ length: 3 }, () => down.check(key, 10, 60_000, now)));
  assert.deepEqual(failed.map((r) => r.status), ['rejected', 'rejected', 'rejected']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { testHub } from '../helpers/hub.js';
import { PgRateLimiter, type RateLimiter } from '../../src/platform/ratelimit/limiter.js';
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

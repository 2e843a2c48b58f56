// Per-key rate limits: headers on every answer, 429 with Retry-After, the allowance coming back, per-key limits,
// and two hub instances sharing one limit through Redis.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../helpers/hub.js';
import { trackingHub, provision, api, admin, uniquePrefix } from './helpers.js';
import { KeyService } from '../../../src/modules/tracking/keys.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// Sharing is what these tests check, not the outage fallback: on a loaded 2-core machine a Redis round trip can
// pass the 100 ms default and switch an instance to its per-process limits (test/resilience covers that).
const REDIS = { REDIS_URL: redisUrl, REDIS_COMMAND_TIMEOUT_MS: '5000' };

test('every answer carries X-RateLimit-* and RateLimit-Policy/RateLimit; excess gets 429 with Retry-After; the allowance returns', async (t) => {
  // A 3-second window keeps the test short: 3 requests per 3 s = one slot back every second.
  const h = await trackingHub(t, { options: { rateLimitPeriodMs: 3000 } });
  const { botId, key } = await provision(h, { limit: 3 });
  const call = api(h, key);
  const answers = [];
  for (let i = 0; i < 4; i++) answers.push(await call('GET', `/bots/${botId}`));
  assert.deepEqual(
    answers.map((r) => r.statusCode),
    [200, 200, 200, 429],
  );
  assert.deepEqual(
    answers.map((r) => r.headers['x-ratelimit-remaining']),
    ['2', '1', '0', '0'],
  );
  for (const r of answers) {
    assert.equal(r.headers['x-ratelimit-limit'], '3');
    assert.equal(r.headers['ratelimit-policy'], '"default";q=3;w=3');
    assert.match(String(r.headers.ratelimit), new RegExp(`^"default";r=${r.headers['x-ratelimit-remaining']};t=\\d+$`));
    const reset = Number(r.headers['x-ratelimit-reset']);
    const now = Date.now() / 1000;
    assert.ok(reset >= Math.floor(now) && reset <= now + 4, `X-RateLimit-Reset is a Unix time within the window (${reset} vs ${now})`);
  }
  const denied = answers[3]!;
  assert.equal(denied.headers['retry-after'], '1');
  assert.match(denied.json().detail, /Превышен лимит/);
  const forbidden = await call('GET', `/bots/${botId + 1}`);
  assert.equal(forbidden.headers['x-ratelimit-limit'], '3', '403 answers carry the headers too');

  const back = await eventually(
    async () => {
      const r = await call('GET', `/bots/${botId}`);
      return r.statusCode === 200 ? r : undefined;
    },
    10_000,
    200,
  );
  assert.equal(back.headers['x-ratelimit-limit'], '3', 'the allowance comes back after Retry-After');

  const noKey = await api(h, undefined)('GET', `/bots/${botId}`);
  assert.equal(noKey.statusCode, 401);
});

test('limits are per key and configurable: the default from TRACKING_RATE_LIMIT_PER_MINUTE, changed per key by the operator', async (t) => {
  const h = await trackingHub(t, { env: { TRACKING_RATE_LIMIT_PER_MINUTE: '2' } });
  const a = await provision(h);
  const second = (await admin(h, 'POST', `/tracking/bots/${a.botId}/keys`, {})).json();
  const callA = api(h, a.key);
  assert.equal((await callA('GET', `/bots/${a.botId}`)).headers['x-ratelimit-limit'], '2');
  await callA('GET', `/bots/${a.botId}`);
  assert.equal((await callA('GET', `/bots/${a.botId}`)).statusCode, 429);
  assert.equal((await api(h, second.key)('GET', `/bots/${a.botId}`)).statusCode, 200, 'another key of the same bot has its own allowance');

  const raised = await admin(h, 'PATCH', `/tracking/keys/${a.keyId}`, { rate_limit_per_minute: 100 });
  assert.equal(raised.json().rate_limit_per_minute, 100);
  const after = await callA('GET', `/bots/${a.botId}`);
  assert.equal(after.statusCode, 200, 'a raised limit applies at the next request');
  assert.equal(after.headers['x-ratelimit-limit'], '100');
  assert.equal((await admin(h, 'PATCH', `/tracking/keys/${a.keyId}`, { rate_limit_per_minute: 0 })).statusCode, 400);
});

test('two instances share one limit through Redis (and one database: revocation on one is effective on the other)', async (t) => {
  const prefix = uniquePrefix();
  const a = await trackingHub(t, { env: REDIS, options: { rateLimitPrefix: prefix } });
  const sharedDb = a.config.databaseUrl;
  // PostgreSQL: the second instance opens the first one's database, as two processes would. PGlite cannot be
  // shared between two instances, so there the same bot and key are provisioned in the second one's database.
  const b = await trackingHub(t, {
    env: { ...REDIS, ...(sharedDb ? { DATABASE_URL: sharedDb } : {}) },
    options: { rateLimitPrefix: prefix },
  });
  try {
    const p = await provision(a, { id: 77, limit: 10 });
    if (!sharedDb) {
      await admin(b, 'POST', '/tracking/bots', { id: 77, name: 'copy' });
      const copy = await new KeyService(b.hub, 60).store(77, p.key, { rateLimitPerMinute: 10 });
      assert.equal(copy.id, p.keyId, 'same key id on both instances, so the same Redis bucket');
    }
    // A spends 6 of the 10; B then has exactly the 4 left. Each wave is concurrent (one pipeline per instance).
    const onA = await Promise.all(Array.from({ length: 6 }, () => api(a, p.key)('GET', '/bots/77')));
    assert.deepEqual(
      onA.map((r) => r.statusCode),
      Array(6).fill(200),
    );
    const onB = await Promise.all(Array.from({ length: 10 }, () => api(b, p.key)('GET', '/bots/77')));
    assert.equal(onB.filter((r) => r.statusCode === 200).length, 4, 'B sees what A spent: the limit is shared');
    assert.equal(onB.filter((r) => r.statusCode === 429).length, 6);
    assert.deepEqual(
      onB
        .filter((r) => r.statusCode === 200)
        .map((r) => r.headers['x-ratelimit-remaining'])
        .sort(),
      ['0', '1', '2', '3'],
    );
    assert.equal((await api(a, p.key)('GET', '/bots/77')).statusCode, 429, 'and A sees what B spent');

    if (sharedDb) {
      await admin(a, 'PATCH', `/tracking/keys/${p.keyId}`, { rate_limit_per_minute: 1000 });
      assert.equal((await api(b, p.key)('GET', '/bots/77')).statusCode, 200);
      await admin(a, 'POST', `/tracking/keys/${p.keyId}/revoke`);
      assert.equal((await api(b, p.key)('GET', '/bots/77')).statusCode, 401, 'revoked on A, refused by B at once');
    }
  } finally {
    await b.close();
  }
});

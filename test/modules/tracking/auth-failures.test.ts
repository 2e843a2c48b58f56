// Key guessing: the client address is the socket's unless TRUST_PROXY trusts the proxy it came through, failures
// per address are throttled (429 + Retry-After) and alerted, and unknown keys are remembered briefly so repeating
// one costs no query — while a key stored in this process works at its very next request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trackingHub, provision, api, admin } from './helpers.js';
import type { TestHub } from '../../helpers/hub.js';
import { generateApiKey, KeyService } from '../../../src/modules/tracking/keys.js';
import { KeyCache, NEGATIVE_TTL_MS } from '../../../src/modules/tracking/key-cache.js';

const usageIps = async (h: TestHub, keyId: number | null) => {
  await admin(h, 'GET', '/tracking/keys/1/usage'); // reading a history flushes the batched log
  const rows = await h.hub.database.query<{ ip: string }>(
    'select ip from tracking_api_requests where key_id is not distinct from $1 order by id',
    [keyId],
  );
  return rows.map((r) => r.ip);
};

test('by default X-Forwarded-For names no client: rotating it does not evade the per-IP throttle and alert', async (t) => {
  const h = await trackingHub(t, { env: { AUTH_FAILURE_LIMIT: '5' } });
  const { botId, key, keyId } = await provision(h);
  assert.equal((await api(h, key)('GET', `/bots/${botId}`)).statusCode, 200, 'a working key, seen before the flood');
  const answers = [];
  for (let i = 0; i < 12; i++)
    answers.push(await api(h, generateApiKey())('GET', `/tracking/${botId}`, undefined, { 'x-forwarded-for': `198.51.100.${i + 1}` }));
  assert.deepEqual(
    answers.map((r) => r.statusCode),
    [...Array(5).fill(401), ...Array(7).fill(429)],
  );
  const throttled = answers.at(-1)!;
  const retryAfter = Number(throttled.headers['retry-after']);
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  assert.match(throttled.json().detail, /неудачных попыток/);
  const burst = h.logs.filter((l) => l.msg === 'tracking API: burst of 401/403 answers from one IP');
  assert.deepEqual(
    burst.map((l) => l.ip),
    ['127.0.0.1'],
    'one alert, for the real address',
  );
  assert.match(
    (await h.app.inject({ method: 'GET', url: '/metrics' })).body,
    /hub_alerts_total\{kind="tracking_auth_failures",partner="tracking"\} 1/,
  );
  // A key this process already holds as valid goes on working from the throttled address (a shared NAT); a key it
  // has not seen yet waits like a guess would, since telling them apart would cost the lookup the throttle saves.
  assert.equal((await api(h, key)('GET', `/bots/${botId}`, undefined, { 'x-forwarded-for': '203.0.113.1' })).statusCode, 200);
  const second = (await admin(h, 'POST', `/tracking/bots/${botId}/keys`, {})).json().key as string;
  assert.equal((await api(h, second)('GET', `/bots/${botId}`)).statusCode, 429);
  assert.deepEqual(new Set(await usageIps(h, null)), new Set(['127.0.0.1']), 'the usage log records the socket address');
  assert.deepEqual(new Set(await usageIps(h, keyId)), new Set(['127.0.0.1']));
});

test('TRUST_PROXY with proxy CIDRs: X-Forwarded-For counts only from those proxies, and each client is throttled alone', async (t) => {
  const h = await trackingHub(t, { env: { AUTH_FAILURE_LIMIT: '3', TRUST_PROXY: '10.0.0.0/8, 192.0.2.10' } });
  const { botId } = await provision(h);
  const from = (remoteAddress: string, forwardedFor: string) =>
    h.app.inject({
      method: 'GET',
      url: `/api/v1/bots/${botId}`,
      remoteAddress,
      headers: { 'x-api-key': generateApiKey(), 'x-forwarded-for': forwardedFor },
    });
  const viaProxy = [];
  for (let i = 0; i < 4; i++) viaProxy.push((await from('10.1.2.3', '203.0.113.7')).statusCode);
  assert.deepEqual(viaProxy, [401, 401, 401, 429], 'the client behind the proxy is throttled');
  assert.equal((await from('192.0.2.10', '203.0.113.8')).statusCode, 401, 'another client through a trusted proxy is not');
  // The proxy appends the address it saw; what the client wrote before it is not believed.
  assert.equal((await from('10.1.2.3', '203.0.113.8, 203.0.113.7')).statusCode, 429, 'a forged entry does not escape the throttle');
  assert.equal((await from('198.51.100.20', '203.0.113.9')).statusCode, 401);
  assert.deepEqual(await usageIps(h, null), [
    '203.0.113.7',
    '203.0.113.7',
    '203.0.113.7',
    '203.0.113.7',
    '203.0.113.8',
    '203.0.113.7',
    '198.51.100.20', // not a trusted proxy: its X-Forwarded-For is ignored
  ]);
});

test('unknown keys are remembered briefly (no query per repeat); a key stored in this process works at once', async (t) => {
  const h = await trackingHub(t);
  const { botId } = await provision(h);
  let lookups = 0;
  const query = h.hub.database.query.bind(h.hub.database);
  h.hub.database.query = ((text: string, ...rest: unknown[]) => {
    if (text.includes('from tracking_api_keys k join tracking_bots')) lookups++;
    return (query as (...a: unknown[]) => unknown)(text, ...rest);
  }) as typeof h.hub.database.query;

  const later = generateApiKey();
  for (let i = 0; i < 4; i++) assert.equal((await api(h, later)('GET', `/bots/${botId}`)).statusCode, 401);
  assert.equal(lookups, 1, 'one database read for four tries of one unknown key');
  // Stored through any KeyService of this process (the admin API, the CLI run in-process, this test).
  await new KeyService(h.hub, 60).store(botId, later);
  assert.equal((await api(h, later)('GET', `/bots/${botId}`)).statusCode, 200, 'no wait for the negative entry');
  assert.equal(lookups, 2);

  // Another process's cache hears nothing of a key stored elsewhere: it finds it once its entry is NEGATIVE_TTL_MS old.
  const elsewhere = new KeyCache(new KeyService(h.hub, 60));
  const noLimiter = async () => undefined;
  const other = generateApiKey();
  t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
  assert.equal((await elsewhere.authenticate(other, noLimiter)).identity, null);
  await new KeyService(h.hub, 60).store(botId, other);
  assert.equal((await elsewhere.authenticate(other, noLimiter)).identity, null, 'still the negative entry');
  assert.equal(lookups, 3);
  t.mock.timers.tick(NEGATIVE_TTL_MS);
  assert.equal((await elsewhere.authenticate(other, noLimiter)).identity?.botId, botId, 'found once the entry expired');
  assert.equal(lookups, 4);
  t.mock.timers.reset();
});

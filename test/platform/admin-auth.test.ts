// The admin token's guard against guessing: failures count per client address (the socket's unless TRUST_PROXY
// trusts the proxy), past AUTH_FAILURE_LIMIT the address waits (429, Retry-After), and one alert is raised.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testHub, TEST_ADMIN_TOKEN } from '../helpers/hub.js';

test('failed admin authentications are throttled and alerted per client address; X-Forwarded-For does not reset them', async (t) => {
  const h = await testHub(t, { env: { AUTH_FAILURE_LIMIT: '3' } });
  const queues = (token: string, extra: { remoteAddress?: string; forwardedFor?: string } = {}) =>
    h.app.inject({
      method: 'GET',
      url: '/admin/v1/jobs/queues',
      headers: { authorization: `Bearer ${token}`, ...(extra.forwardedFor ? { 'x-forwarded-for': extra.forwardedFor } : {}) },
      ...(extra.remoteAddress ? { remoteAddress: extra.remoteAddress } : {}),
    });
  assert.equal((await queues(TEST_ADMIN_TOKEN)).statusCode, 200);
  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push((await queues(`guess-${i}`, { forwardedFor: `198.51.100.${i + 1}` })).statusCode);
  assert.deepEqual(statuses, [401, 401, 401, 429, 429]);

  const throttled = await queues(TEST_ADMIN_TOKEN);
  assert.equal(throttled.statusCode, 429, 'even the right token waits: ADMIN_TOKEN may be a weak choice');
  assert.equal(throttled.json().error.code, 'TOO_MANY_AUTH_FAILURES');
  const retryAfter = Number(throttled.headers['retry-after']);
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  assert.equal((await queues(TEST_ADMIN_TOKEN, { remoteAddress: '192.0.2.9' })).statusCode, 200, 'another address is not affected');

  const burst = h.logs.filter((l) => l.msg === 'admin API: burst of failed authentications from one IP');
  assert.deepEqual(
    burst.map((l) => [l.ip, l.failures, l.level]),
    [['127.0.0.1', 3, 40]],
  );
  const metrics = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
  assert.match(metrics, /hub_alerts_total\{kind="admin_auth_failures",partner="hub"\} 1/);
  assert.ok(!JSON.stringify(h.logs).includes('guess-'), 'presented tokens never reach the logs');
});

test('with TRUST_PROXY naming the proxy, each client behind it is counted alone', async (t) => {
  const h = await testHub(t, { env: { AUTH_FAILURE_LIMIT: '2', TRUST_PROXY: '10.0.0.1' } });
  const via = (client: string, token: string) =>
    h.app.inject({
      method: 'GET',
      url: '/admin/v1/jobs/queues',
      remoteAddress: '10.0.0.1',
      headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': client },
    });
  assert.deepEqual(
    [(await via('203.0.113.5', 'x')).statusCode, (await via('203.0.113.5', 'y')).statusCode, (await via('203.0.113.5', 'z')).statusCode],
    [401, 401, 429],
  );
  assert.equal((await via('203.0.113.6', TEST_ADMIN_TOKEN)).statusCode, 200, 'the operator behind the same proxy is not locked out');
});

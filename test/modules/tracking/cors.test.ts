// Issue #24, browsers: CORS per tracking bot (origins set by the operator) with read-only keys, and the platform's
// CORS_ALLOWED_ORIGINS for quiz (off by default). Preflights are answered before authentication.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, api, parcel, provision, trackingHub } from './helpers.js';
import { auth, quizHub, seedConnectedAccount } from '../quiz/helpers.js';
import { ConfigError, loadConfig } from '../../../src/config.js';

const SHOP = 'https://shop.example.com';
const preflight = (method: string, headers = 'x-api-key') => ({
  origin: SHOP,
  'access-control-request-method': method,
  'access-control-request-headers': headers,
});

test('tracking: per-bot origins answer preflights without a key; a read key reads from the page and changes nothing', async (t) => {
  const h = await trackingHub(t);
  const { botId, key } = await provision(h);
  const other = await provision(h, { name: 'Без CORS' });
  const set = await admin(h, 'PATCH', `/tracking/bots/${botId}`, { allowed_origins: ['HTTPS://Shop.Example.com/'] });
  assert.deepEqual(set.json().allowed_origins, [SHOP], 'stored as browsers send it');
  assert.equal((await admin(h, 'PATCH', `/tracking/bots/${botId}`, { allowed_origins: ['https://x.example/path'] })).statusCode, 400);
  const readKey = await admin(h, 'POST', `/tracking/bots/${botId}/keys`, { name: 'widget', scope: 'read' });
  assert.equal(readKey.json().scope, 'read');
  const read = api(h, readKey.json().key);
  const options = (url: string, headers: Record<string, string>) => h.app.inject({ method: 'OPTIONS', url: `/api/v1${url}`, headers });

  const pre = await options(`/tracking/${botId}?tracking_number=A1`, preflight('GET'));
  assert.equal(pre.statusCode, 204, pre.body);
  assert.equal(pre.headers['access-control-allow-origin'], SHOP);
  assert.match(String(pre.headers['access-control-allow-headers']), /X-API-Key/i);
  const elsewhere = await options(`/tracking/${botId}`, { ...preflight('GET'), origin: 'https://evil.example' });
  assert.equal(elsewhere.headers['access-control-allow-origin'], undefined, 'an origin not listed gets no CORS headers');
  assert.notEqual(elsewhere.statusCode, 204);
  const otherBot = await options(`/tracking/${other.botId}`, preflight('GET'));
  assert.equal(otherBot.headers['access-control-allow-origin'], undefined, "another bot's list (empty) decides its paths");

  assert.equal((await api(h, key)('POST', `/tracking/${botId}`, parcel('A1'))).statusCode, 201, 'the write key writes');
  const got = await read('GET', `/tracking/${botId}?tracking_number=A1`, undefined, { origin: SHOP });
  assert.equal(got.statusCode, 200);
  assert.equal(got.json().total, 1);
  assert.equal(got.headers['access-control-allow-origin'], SHOP);
  assert.match(String(got.headers['access-control-expose-headers']), /X-RateLimit-Remaining/);
  const id = got.json().tracking_numbers[0].id;
  for (const [method, url, body] of [
    ['POST', `/tracking/${botId}`, parcel('A2')],
    ['PUT', `/tracking/${botId}/${id}`, { status: 'issued' }],
  ] as const) {
    const res = await read(method, url, body, { origin: SHOP });
    assert.equal(res.statusCode, 403, `${method} ${url}`);
    assert.match(res.json().detail, /только для чтения/);
    assert.equal(res.headers['access-control-allow-origin'], SHOP, 'the page can read the refusal');
  }
  assert.equal((await read('GET', `/tracking/${botId}/${id}`)).json().current_status, 'pending', 'nothing changed');
  const bad = await api(h, 'tb_' + 'x'.repeat(32))('GET', `/tracking/${botId}`, undefined, { origin: SHOP });
  assert.equal(bad.statusCode, 401);
  assert.equal(bad.headers['access-control-allow-origin'], SHOP, 'a 401 is readable by the page too');
});

test('quiz: CORS is off by default; CORS_ALLOWED_ORIGINS answers preflights before the JWT check', async (t) => {
  const off = await quizHub(t);
  const none = await off.app.inject({ method: 'OPTIONS', url: '/quiz/users', headers: preflight('GET', 'authorization') });
  assert.equal(none.headers['access-control-allow-origin'], undefined);
  assert.notEqual(none.statusCode, 204);

  const h = await quizHub(t, { CORS_ALLOWED_ORIGINS: `${SHOP},https://builder.example` });
  await seedConnectedAccount(h, 'acc-1');
  const pre = await h.app.inject({ method: 'OPTIONS', url: '/quiz/rules/42', headers: preflight('PATCH', 'authorization,content-type') });
  assert.equal(pre.statusCode, 204, pre.body);
  assert.equal(pre.headers['access-control-allow-origin'], SHOP);
  assert.match(String(pre.headers['access-control-allow-methods']), /PATCH/);
  const users = await h.app.inject({ method: 'GET', url: '/quiz/users', headers: { ...(await auth('acc-1')), origin: SHOP } });
  assert.equal(users.statusCode, 200);
  assert.equal(users.headers['access-control-allow-origin'], SHOP);
  const evil = await h.app.inject({
    method: 'GET',
    url: '/quiz/users',
    headers: { ...(await auth('acc-1')), origin: 'https://evil.example' },
  });
  assert.equal(evil.headers['access-control-allow-origin'], undefined);
  assert.throws(
    () => loadConfig({ CORS_ALLOWED_ORIGINS: 'https://ok.example,https://bad.example/path' }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /bad\.example\/path/);
      return true;
    },
  );
});

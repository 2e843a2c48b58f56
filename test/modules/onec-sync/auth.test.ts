// Authentication of 1C: HTTP Basic with key and the account's integration secret on every call, the publisher's
// credentials on set_handlers, per-address throttling of failures, and the operator's secret commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { account, admin, basic, BASE, cli, connectAccount, KEY, onec, onecHub, OTHER_KEY, PUBLISHER, secretOf } from './helpers.js';

const CHECK = `/sync/check_active?key=${KEY}&id_base=buh-main`;

test('missing, malformed and wrong credentials are 401 in the envelope, with a Basic challenge', async (t) => {
  const h = await onecHub(t);
  const { secret } = await account(h);
  for (const [authorization, error] of [
    [undefined, /Требуется авторизация HTTP Basic/],
    ['Bearer something', /Требуется авторизация HTTP Basic/],
    [basic(KEY, `${secret}x`), /Неверный key или секрет интеграции/],
    [basic('not-an-id', secret), /Неверный key или секрет интеграции/],
    [basic(OTHER_KEY, secret), /Неверный key или секрет интеграции/], // an account without a secret accepts nothing
  ] as const) {
    const res = await onec(h, authorization)('GET', CHECK);
    assert.equal(res.statusCode, 401, String(authorization));
    assert.equal(res.json().success, false);
    assert.equal(res.json().data, null);
    assert.match(res.json().error, error);
    assert.match(String(res.headers['www-authenticate']), /^Basic realm="onec"/);
  }
  // Auth runs before validation: an anonymous malformed call learns nothing about the contract.
  assert.equal((await onec(h, undefined)('POST', '/sync/base', { nonsense: true })).statusCode, 401);
});

test("one account's secret opens no other account: a wrong pair is 401, another key in the body 403", async (t) => {
  const h = await onecHub(t);
  const mine = await account(h, KEY);
  const other = await account(h, OTHER_KEY);
  assert.equal((await onec(h, basic(KEY, other.secret))('GET', CHECK)).statusCode, 401);
  const crossed = await other.call('GET', CHECK); // OTHER_KEY's credentials, KEY in the query
  assert.equal(crossed.statusCode, 403);
  assert.deepEqual(crossed.json(), { success: false, data: null, error: 'key в запросе не совпадает с логином авторизации' });
  const body = await other.call('POST', '/sync/base', BASE); // BASE.key is KEY
  assert.equal(body.statusCode, 403);
  assert.equal((await admin(h, 'GET', '/onec/bases')).json().bases.length, 0, 'nothing stored for the other account');
  assert.equal((await mine.call('GET', CHECK)).statusCode, 200);
});

test('repeated failures from one address are throttled with 429 and Retry-After, even with the right secret', async (t) => {
  const h = await onecHub(t, { env: { AUTH_FAILURE_LIMIT: '3' } });
  const { call, secret } = await account(h);
  const wrong = onec(h, basic(KEY, 'guess'));
  const codes = [];
  for (let i = 0; i < 5; i++) codes.push((await wrong('GET', CHECK)).statusCode);
  assert.deepEqual(codes, [401, 401, 401, 429, 429]);
  const throttled = await call('GET', CHECK);
  assert.equal(throttled.statusCode, 429);
  assert.match(throttled.json().error, /Слишком много неудачных попыток авторизации/);
  const retryAfter = Number(throttled.headers['retry-after']);
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  assert.equal(h.logs.filter((l) => l.msg === '1C API: burst of failed authentications from one IP').length, 1);
  // Another address is not affected.
  const elsewhere = await h.app.inject({
    method: 'GET',
    url: `/onec${CHECK}`,
    remoteAddress: '198.51.100.7',
    headers: { authorization: basic(KEY, secret) },
  });
  assert.equal(elsewhere.statusCode, 200);
});

test('set_handlers needs the publisher credentials; an account secret is not enough; unset publisher → 403', async (t) => {
  const h = await onecHub(t);
  const { call, secret } = await account(h);
  const body = { key: KEY, id_base: 'buh-main', handlers: { a: 1 } };
  const asAccount = await call('POST', '/update_handlers/set_handlers', body);
  assert.equal(asAccount.statusCode, 401);
  assert.match(asAccount.json().error, /публикатора/);
  assert.equal((await onec(h, basic(PUBLISHER.user, secret))('POST', '/update_handlers/set_handlers', body)).statusCode, 401);
  assert.equal((await onec(h, undefined)('POST', '/update_handlers/set_handlers', body)).statusCode, 401);
  assert.equal((await onec(h, basic(PUBLISHER.user, PUBLISHER.password))('POST', '/update_handlers/set_handlers', body)).statusCode, 200);

  const off = await onecHub(t, { env: { ONEC_SYNC_PUBLISHER_USER: '', ONEC_SYNC_PUBLISHER_PASSWORD: '' } });
  const res = await onec(off, basic(PUBLISHER.user, PUBLISHER.password))('POST', '/update_handlers/set_handlers', body);
  assert.equal(res.statusCode, 403);
  assert.deepEqual(res.json(), { success: false, data: null, error: 'Публикация обработчиков на сервере не настроена' });
});

test('admin API: create once (409 again), show, rotate — the old secret stops working; sealed at rest, never logged', async (t) => {
  const h = await onecHub(t);
  const first = await secretOf(h);
  assert.equal((await admin(h, 'POST', `/onec/accounts/${KEY}/secret`)).statusCode, 409);
  assert.equal((await admin(h, 'GET', `/onec/accounts/${KEY}/secret`)).json().secret, first);
  assert.equal((await admin(h, 'GET', `/onec/accounts/${OTHER_KEY}/secret`)).statusCode, 404);
  assert.equal((await admin(h, 'POST', `/onec/accounts/${OTHER_KEY}/secret/rotate`)).statusCode, 404);
  const rotated = (await admin(h, 'POST', `/onec/accounts/${KEY}/secret/rotate`)).json();
  assert.notEqual(rotated.secret, first);
  assert.ok(rotated.rotated_at);
  assert.equal((await onec(h, basic(KEY, first))('GET', CHECK)).statusCode, 401);
  assert.equal((await onec(h, basic(KEY, rotated.secret))('GET', CHECK)).statusCode, 200);
  assert.equal((await onec(h, basic(KEY, rotated.secret))('POST', '/sync/base', h.base)).statusCode, 200);
  assert.equal((await admin(h, 'GET', `/onec/accounts/abc/secret`)).statusCode, 400);
  assert.equal(
    (await h.app.inject({ method: 'GET', url: `/admin/v1/onec/accounts/${KEY}/secret` })).statusCode,
    401,
    'admin token required',
  );

  const stored = JSON.stringify(await h.hub.database.query('select * from onec_sync_secrets'));
  assert.ok(!stored.includes(rotated.secret) && !stored.includes(first), 'the secret is sealed at rest');
  const logged = JSON.stringify(h.logs);
  for (const s of [first, rotated.secret, BASE.param2, PUBLISHER.password]) assert.ok(!logged.includes(s), 'no secret in the log');
});

test('hub onec secret create | show | rotate writes the secret to the command output', async (t) => {
  const h = await onecHub(t);
  await assert.rejects(cli(h, 'onec', 'secret', 'create', '--key', String(KEY)), /Аккаунт amoCRM не подключён к хабу/);
  await connectAccount(h);
  const created = await cli(h, 'onec', 'secret', 'create', '--key', String(KEY));
  const secret = created.out.trim();
  assert.match(secret, /^[A-Za-z0-9_-]{32}$/);
  assert.match(created.err, new RegExp(`логин ${KEY}`));
  assert.equal((await cli(h, 'onec', 'secret', 'show', '--key', String(KEY))).out.trim(), secret);
  const rotated = (await cli(h, 'onec', 'secret', 'rotate', '--key', String(KEY))).out.trim();
  assert.notEqual(rotated, secret);
  assert.equal((await onec(h, basic(KEY, rotated))('GET', CHECK)).statusCode, 200);
  await assert.rejects(cli(h, 'onec', 'secret', 'create', '--key', String(KEY)), /Секрет интеграции уже создан/);
  await assert.rejects(cli(h, 'onec', 'secret', 'create', '--key', 'x1'), /amoCRM account id/);
});

// Source tokens: stored hashed, managed by the admin API and `hub customs token …`, sent as X-Hub-Token, a Bearer
// token or ?token=; a missing, wrong, rotated, revoked or other source's token is 401 in the Error shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, admin, cli, customsHub, exportPtd, tokenOf } from './helpers.js';
import { oneCar } from './requests.js';

test('a missing, malformed, unknown or other source token is 401 in the Error shape, before validation', async (t) => {
  const h = await customsHub(t);
  const amocrm = await tokenOf(h, 'amocrm');
  const alta = await tokenOf(h, 'alta');
  for (const [auth, code] of [
    [{}, 'TOKEN_MISSING'],
    [{ headers: { authorization: 'Basic dXNlcjpwYXNz' } }, 'TOKEN_MISSING'],
    [{ token: 'nonsense' }, 'TOKEN_INVALID'],
    [{ token: `${amocrm.slice(0, -1)}${amocrm.endsWith('A') ? 'B' : 'A'}` }, 'TOKEN_INVALID'],
    [{ token: alta }, 'TOKEN_INVALID'], // alta's token does not open amoCRM's route
  ] as const) {
    const res = await exportPtd(h, { nonsense: true }, auth);
    assert.equal(res.statusCode, 401, JSON.stringify(auth));
    const json = res.json();
    assert.equal(json.success, false);
    assert.equal(json.error.code, code);
    assert.match(json.error.message, /токен/i);
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="customs"');
  }
});

test('the token is accepted in X-Hub-Token, as a Bearer token and as ?token=, which the log masks', async (t) => {
  const h = await customsHub(t);
  const token = await tokenOf(h, 'amocrm');
  assert.equal((await exportPtd(h, oneCar, { token })).statusCode, 200);
  assert.equal((await exportPtd(h, oneCar, { headers: { authorization: `Bearer ${token}` } })).statusCode, 200);
  assert.equal((await exportPtd(h, oneCar, { query: `?token=${encodeURIComponent(token)}` })).statusCode, 200);
  assert.ok(!JSON.stringify(h.logs).includes(token), 'the token never reaches the log');
  const stored = await h.hub.database.query<{ token_hash: string }>('select token_hash from customs_tokens');
  assert.equal(stored.length, 1);
  assert.match(stored[0]!.token_hash, /^[0-9a-f]{64}$/);
  assert.notEqual(stored[0]!.token_hash, token);
});

test('rotate and revoke take effect at once; create refuses a second token; admin lists without tokens', async (t) => {
  const h = await customsHub(t);
  const old = await tokenOf(h, 'amocrm');
  assert.equal((await admin(h, 'POST', '/customs/accounts/29847561/tokens/amocrm')).statusCode, 409);
  const rotated = await admin(h, 'POST', '/customs/accounts/29847561/tokens/amocrm/rotate');
  assert.equal(rotated.statusCode, 201);
  const fresh = rotated.json().token as string;
  assert.match(fresh, /^hc_[A-Za-z0-9_-]{32}$/);
  assert.equal((await exportPtd(h, oneCar, { token: old })).statusCode, 401);
  assert.equal((await exportPtd(h, oneCar, { token: fresh })).statusCode, 200);
  const list = (await admin(h, 'GET', '/customs/tokens')).json();
  assert.deepEqual(Object.keys(list.tokens[0]).sort(), ['account_id', 'created_at', 'prefix', 'rotated_at', 'source']);
  assert.equal(list.tokens[0].account_id, ACCOUNT);
  assert.equal(list.tokens[0].prefix, fresh.slice(0, 8));
  assert.equal((await admin(h, 'DELETE', '/customs/accounts/29847561/tokens/amocrm')).statusCode, 200);
  assert.equal((await exportPtd(h, oneCar, { token: fresh })).statusCode, 401);
  assert.equal((await admin(h, 'POST', '/customs/accounts/29847561/tokens/lab/rotate')).statusCode, 404);
  assert.equal((await admin(h, 'POST', '/customs/accounts/29847561/tokens/nobody')).statusCode, 400);
  // An account nobody connected for customs gets no token.
  const unknown = await admin(h, 'POST', '/customs/accounts/555/tokens/alta');
  assert.equal(unknown.statusCode, 409);
  assert.equal(unknown.json().error.code, 'ACCOUNT_NOT_CONNECTED');
});

test('hub customs token create, rotate, list and revoke', async (t) => {
  const h = await customsHub(t);
  const created = await cli(h, 'customs', 'token', 'create', '--account', String(ACCOUNT), '--source', 'ved-sklad');
  const token = created.out.trim();
  assert.match(token, /^hc_[A-Za-z0-9_-]{32}$/);
  assert.match(created.err, /показывается один раз/);
  const rotated = (await cli(h, 'customs', 'token', 'rotate', '--account', String(ACCOUNT), '--source', 'ved-sklad')).out.trim();
  assert.notEqual(rotated, token);
  await cli(h, 'customs', 'token', 'create', '--account', String(ACCOUNT), '--source', '1c');
  const all = await cli(h, 'customs', 'token', 'list');
  assert.deepEqual(
    all.out
      .trim()
      .split('\n')
      .map((l) => l.split('\t').slice(0, 3).join(' ')),
    [`${ACCOUNT} 1c ${all.out.split('\n')[0]!.split('\t')[2]}`, `${ACCOUNT} ved-sklad ${rotated.slice(0, 8)}…`],
  );
  assert.ok(!all.out.includes(rotated), 'list never shows a token');
  const one = await cli(h, 'customs', 'token', 'list', '--source', 'ved-sklad');
  assert.equal(one.out.split('\n').filter(Boolean).length, 1);
  assert.match(
    (await cli(h, 'customs', 'token', 'revoke', '--account', String(ACCOUNT), '--source', 'ved-sklad')).out,
    new RegExp(`^revoked ${ACCOUNT}\tved-sklad`),
  );
  assert.equal((await cli(h, 'customs', 'token', 'list', '--source', 'ved-sklad')).out, '');
  await assert.rejects(cli(h, 'customs', 'token', 'create', '--account', String(ACCOUNT), '--source', 'nobody'), /--source must be one of/);
  await assert.rejects(cli(h, 'customs', 'token', 'create', '--account', '555', '--source', 'alta'), /не подключён/);
});

test('repeated failures from one address are throttled with 429 and Retry-After, even with the right token', async (t) => {
  const h = await customsHub(t, { AUTH_FAILURE_LIMIT: '3' });
  const token = await tokenOf(h, 'amocrm');
  const codes = [];
  for (let i = 0; i < 4; i++) codes.push((await exportPtd(h, oneCar, { token: 'hc_wrong' })).statusCode);
  assert.deepEqual(codes, [401, 401, 401, 429]);
  const throttled = await exportPtd(h, oneCar, { token });
  assert.equal(throttled.statusCode, 429);
  assert.equal(throttled.json().error.code, 'RATE_LIMITED');
  assert.ok(Number(throttled.headers['retry-after']) >= 1);
});

test('each root of the seed (/alta, /ved-sklad, /1c) answers an unknown path in the module Error shape', async (t) => {
  const h = await customsHub(t);
  for (const url of ['/alta/nothing', '/ved-sklad/nothing', '/1c/nothing']) {
    const res = await h.app.inject({ method: 'POST', url });
    assert.equal(res.statusCode, 404, url);
    assert.equal(res.json().success, false, url);
    assert.match(res.json().error.requestId, /./);
  }
});

// HTTP Basic on every /samba call; users through the admin API and `hub samba user …`; passwords hashed at rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, basic, cli, expect, samba, sambaHub, USER } from './helpers.js';

const denied = { status: 'error', message: 'Неверный логин или пароль', result: null };

test('no credentials, a wrong password or an unknown user: 401 in the seed envelope with a Basic challenge', async (t) => {
  const { h } = await sambaHub(t);
  const none = await samba(h, undefined)('GET', '/finaladv');
  assert.equal(none.statusCode, 401);
  assert.deepEqual(none.json(), { status: 'error', message: 'Требуется авторизация HTTP Basic', result: null });
  assert.match(String(none.headers['www-authenticate']), /^Basic realm="samba"/);
  for (const auth of [
    basic(USER.login, 'wrong-password'),
    basic('nobody', USER.password),
    'Bearer abc',
    basic('x'.repeat(65), USER.password),
  ]) {
    const res = await samba(h, auth)('POST', '/po', { rk_id: 'x', amount: 1 });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(res.json(), auth.startsWith('Bearer') ? { ...denied, message: 'Требуется авторизация HTTP Basic' } : denied, auth);
  }
  // the gate runs before validation: an invalid body without credentials is still a 401
  assert.equal((await samba(h, undefined)('POST', '/finaladv', '{bad')).statusCode, 401);
});

test('admin API: add, list, change the password (the old one stops working), remove; hashed at rest', async (t) => {
  const { h, call } = await sambaHub(t);
  assert.equal((await call('GET', '/customers')).statusCode, 200);
  const second = { login: 'second.user@agency', password: 'второй-пароль-1' };
  assert.equal((await admin(h, 'POST', '/samba/users', second)).statusCode, 201);
  assert.equal((await samba(h, basic(second.login, second.password))('GET', '/brands')).statusCode, 200, 'a Cyrillic password works');
  assert.equal((await admin(h, 'POST', '/samba/users', second)).statusCode, 409);
  assert.equal((await admin(h, 'POST', '/samba/users', { login: 'short', password: '1234567' })).statusCode, 400);
  assert.equal((await admin(h, 'POST', '/samba/users', { login: 'bad login', password: '12345678' })).statusCode, 400);
  const listed = (await admin(h, 'GET', '/samba/users')).json();
  assert.deepEqual(
    listed.users.map((u: { login: string }) => u.login),
    ['samba', 'second.user@agency'],
  );
  assert.ok(!JSON.stringify(listed).includes(USER.password));
  const rows = await h.hub.database.query<{ password_hash: string }>('select password_hash from samba_users');
  for (const r of rows) assert.match(r.password_hash, /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  // a new password: the old one (cached as verified) stops working at once
  assert.equal((await admin(h, 'PUT', `/samba/users/${USER.login}/password`, { password: 'new-password-123' })).statusCode, 200);
  assert.equal((await call('GET', '/customers')).statusCode, 401);
  assert.equal((await samba(h, basic(USER.login, 'new-password-123'))('GET', '/customers')).statusCode, 200);
  assert.equal((await admin(h, 'PUT', '/samba/users/nobody/password', { password: 'new-password-123' })).statusCode, 404);
  assert.deepEqual((await admin(h, 'DELETE', `/samba/users/${USER.login}`)).json(), { removed: USER.login });
  assert.equal((await samba(h, basic(USER.login, 'new-password-123'))('GET', '/customers')).statusCode, 401, 'removed');
  assert.equal((await admin(h, 'DELETE', `/samba/users/${USER.login}`)).statusCode, 404);
  assert.equal(
    (await h.app.inject({ method: 'GET', url: '/admin/v1/samba/users' })).statusCode,
    401,
    'the admin API needs the admin token',
  );
});

test('hub samba user add|passwd|remove|list', async (t) => {
  const { h } = await sambaHub(t);
  const added = await cli(h, 'samba', 'user', 'add', 'cli-user');
  const generated = added.out.trim();
  assert.match(generated, /^[A-Za-z0-9_-]{24}$/, 'no --password: a random one is made and printed');
  assert.match(added.err, /логин cli-user, пароль — строка выше/);
  assert.equal((await samba(h, basic('cli-user', generated))('GET', '/rk')).statusCode, 200);
  const changed = await cli(h, 'samba', 'user', 'passwd', 'cli-user', '--password', 'other-password');
  assert.deepEqual([changed.out, changed.exitCode], ['', 0], 'a given password is not echoed');
  assert.equal((await samba(h, basic('cli-user', generated))('GET', '/rk')).statusCode, 401);
  assert.equal((await samba(h, basic('cli-user', 'other-password'))('GET', '/rk')).statusCode, 200);
  await cli(h, 'samba', 'user', 'add', 'second', '--password', 'second-password');
  const list = await cli(h, 'samba', 'user', 'list');
  assert.deepEqual(
    list.out
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t')[0]),
    ['cli-user', 'samba', 'second'],
  );
  assert.equal((await cli(h, 'samba', 'user', 'remove', 'cli-user')).out, 'cli-user\n');
  assert.equal((await samba(h, basic('cli-user', 'other-password'))('GET', '/rk')).statusCode, 401);
  await assert.rejects(cli(h, 'samba', 'user', 'remove', 'cli-user'), /не найден/);
  await assert.rejects(cli(h, 'samba', 'user', 'add', 'second', '--password', 'another-password'), /уже существует/);
  await assert.rejects(cli(h, 'samba', 'user', 'add', 'bad login', '--password', 'another-password'), /login/);
});

test('repeated failures from one address are throttled with 429 and Retry-After, even with the right password', async (t) => {
  const { h, call } = await sambaHub(t, undefined, { AUTH_FAILURE_LIMIT: '3' });
  const wrong = samba(h, basic(USER.login, 'wrong-password'));
  const codes = [];
  for (let i = 0; i < 4; i++) codes.push((await wrong('GET', '/rk')).statusCode);
  assert.deepEqual(codes, [401, 401, 401, 429]);
  const throttled = await call('GET', '/rk');
  assert.equal(throttled.statusCode, 429);
  assert.match(throttled.json().message, /^Слишком много неудачных попыток авторизации/);
  assert.ok(Number(throttled.headers['retry-after']) > 0);
  await expect(throttled, 429);
});

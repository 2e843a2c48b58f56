// The customs module's 1C base per amoCRM account: set/show/remove through the admin API and the CLI, the address
// checked by the 1C connector, the password sealed — never in an answer, a CLI line, a log line or the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli } from './helpers.js';
import { ACCOUNT, BASE, onecCustomsHub, PASSWORD, putBase } from './onec-helpers.js';

test('admin API: PUT sets the base (password write-only), GET shows it without the password, DELETE forgets it', async (t) => {
  const h = await onecCustomsHub(t);
  const url = `/admin/v1/customs/accounts/${ACCOUNT}/onec`;
  assert.equal((await h.app.inject({ method: 'GET', url, headers: h.admin })).statusCode, 404, 'none yet');

  const set = await putBase(h);
  assert.equal(set.statusCode, 200, set.body);
  assert.deepEqual(Object.keys(set.json()).sort(), ['amo_account_id', 'id_base', 'login', 'updated_at', 'web_address']);
  assert.equal(set.json().web_address, h.webAddress);
  const shown = await h.app.inject({ method: 'GET', url, headers: h.admin });
  assert.equal(shown.statusCode, 200);
  assert.equal(shown.json().login, BASE.login);
  for (const body of [set.body, shown.body]) assert.ok(!body.includes(PASSWORD), 'the password is never returned');

  // Stored sealed, and unsealed only for the connector's target.
  const [row] = await h.hub.database.query<{ password_sealed: string }>('select password_sealed from customs_onec_bases');
  assert.ok(!row!.password_sealed.includes(PASSWORD));
  assert.equal((await h.onecBases.target(ACCOUNT)).password, PASSWORD);

  // Replacing it keeps one row per account.
  assert.equal((await putBase(h, { id_base: 'buh-2' })).json().id_base, 'buh-2');
  assert.equal((await h.hub.database.query('select 1 from customs_onec_bases')).length, 1);

  const removed = await h.app.inject({ method: 'DELETE', url, headers: h.admin });
  assert.equal(removed.statusCode, 200);
  assert.equal((await h.app.inject({ method: 'DELETE', url, headers: h.admin })).statusCode, 404);
  assert.equal((await h.app.inject({ method: 'GET', url, headers: h.admin })).json().error.code, 'ONEC_BASE_NOT_SET');

  assert.equal((await h.app.inject({ method: 'GET', url })).statusCode, 401, 'the admin token is required');
  const logged = JSON.stringify(h.logs);
  assert.ok(!logged.includes(PASSWORD), 'the password is in no log line');
});

test('the address is checked by the 1C connector; bad bodies are refused naming the field', async (t) => {
  const h = await onecCustomsHub(t, { ONEC_ALLOW_PRIVATE_TARGETS: 'false' });
  const refused = await putBase(h);
  assert.equal(refused.statusCode, 400, 'a loopback address without ONEC_ALLOW_PRIVATE_TARGETS');
  assert.equal(refused.json().error.code, 'ONEC_ADDRESS_REFUSED');
  const ftp = await putBase(h, { web_address: 'ftp://1c.example.ru/buh' });
  assert.equal(ftp.json().error.code, 'ONEC_ADDRESS_REFUSED');
  assert.match(ftp.json().error.message, /http\(s\)/);
  const withLogin = await putBase(h, { web_address: 'https://amo:pw@1c.example.ru/buh/hs/amo' });
  assert.equal(withLogin.statusCode, 400);
  const extra = await putBase(h, { url_address: 'x' });
  assert.equal(extra.statusCode, 400);
  const control = await putBase(h, { login: 'amo\u0000' });
  assert.equal(control.statusCode, 400, 'a control character in the login');
  const missing = await putBase(h, { password: undefined });
  assert.equal(missing.statusCode, 400);
  const unknown = await putBase(h, {}, 999_999_001);
  assert.equal(unknown.statusCode, 409, 'an account not connected for customs');
  assert.equal(unknown.json().error.code, 'ACCOUNT_NOT_CONNECTED');
  assert.equal((await h.hub.database.query('select 1 from customs_onec_bases')).length, 0, 'nothing stored');
});

test('CLI: hub customs onec set | show | remove, never printing the password', async (t) => {
  const h = await onecCustomsHub(t);
  const args = ['--account', String(ACCOUNT)];
  const set = await cli(
    h,
    'customs',
    'onec',
    'set',
    ...args,
    '--id-base',
    BASE.idBase,
    '--web-address',
    h.webAddress,
    '--login',
    BASE.login,
    '--password',
    PASSWORD,
  );
  assert.match(set.out, new RegExp(`^set ${ACCOUNT}\\tbuh-main\\t`));
  const shown = await cli(h, 'customs', 'onec', 'show', ...args);
  assert.match(shown.out, /login Администратор/);
  for (const out of [set.out + set.err, shown.out + shown.err]) assert.ok(!out.includes(PASSWORD));
  assert.equal((await h.onecBases.target(ACCOUNT)).password, PASSWORD);
  const removed = await cli(h, 'customs', 'onec', 'remove', ...args);
  assert.match(removed.out, /^removed /);
  await assert.rejects(() => cli(h, 'customs', 'onec', 'show', ...args), /не настроена база 1С/);
  await assert.rejects(() => cli(h, 'customs', 'onec', 'show', '--account', 'abc'), /--account must be an amoCRM account id/);
});

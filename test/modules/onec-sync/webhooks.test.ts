// The account side of amoCRM → 1C: the webhook URL's token, its subscription on connect, the corr_table pushed
// when a base is saved and when a mapping changes (and on demand), 1C refusing the login on sync/base, and an
// account whose connection is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../helpers/hub.js';
import { webhookUrl } from '../../../src/modules/onec-sync/amo-webhooks.js';
import { account, admin, KEY, onecHub } from './helpers.js';
import { outboundBed, quiet, SUB } from './outbound-bed.js';

test('the webhook URL carries an HMAC of the key: a wrong token is 403 and stores nothing; the right one is stored', async (t) => {
  const h = await onecHub(t);
  const url = new URL(webhookUrl(h.hub, String(KEY)));
  assert.match(url.pathname, new RegExp(`^/onec/amo/webhook/${KEY}/[A-Za-z0-9_-]{43}$`));
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const post = (path: string) => h.app.inject({ method: 'POST', url: path, headers: form, payload: `account[id]=${KEY}` });
  const token = url.pathname.split('/').pop()!;
  for (const wrong of [`/onec/amo/webhook/${KEY}/${token.slice(0, -1)}x`, `/onec/amo/webhook/${KEY + 1}/${token}`]) {
    const res = await post(wrong);
    assert.equal(res.statusCode, 403, wrong);
    assert.deepEqual(res.json(), { success: false, data: null, error: 'Неверная ссылка вебхука amoCRM' });
  }
  assert.equal((await h.hub.database.query('select 1 from inbox_messages')).length, 0);
  const ok = await post(url.pathname);
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal((await h.hub.database.query("select 1 from inbox_messages where source = 'onec-sync.amo'")).length, 1);
});

test('connecting subscribes the webhook; saving a base and each mapping change push the corr_table; so does the admin action', async (t) => {
  const { h, call, f } = await outboundBed(t);
  const [hook] = h.amoEmu.control.webhooks.list(SUB);
  assert.equal(hook!.destination, webhookUrl(h.hub, String(KEY)));
  assert.ok(hook!.settings.includes('add_contact') && hook!.settings.includes('status_lead'));
  await quiet(h);
  const table = h.onecEmu.control.corrTable('buh');
  const names = JSON.stringify(table);
  for (const [name, entity] of [
    ['id 1С', 'Контакт'],
    ['ИНН', 'Компания'],
    ['id заказа 1С', 'Сделка'],
  ] as const)
    assert.ok(names.includes(name) && names.includes(entity), `${name} / ${entity}`);
  assert.ok(names.includes('Сотрудник'), 'users go as Сотрудник');
  const sent = () => h.onecEmu.control.requests.list({ type: 'corr_table' }).filter((r) => r.status === 200).length;
  const before = sent();
  assert.ok(before >= 4, `base + three mappings: ${before}`);
  // A new amoCRM field and a mapping change: the table goes again, with the field.
  const added = h.amoEmu.control.addCustomField('contacts', { name: 'Дата рождения 1С', type: 'text' }, SUB);
  assert.equal(
    (await call('POST', '/sync/clients_contacts_save_fields', { key: KEY, id_base: 'buh-main', id_1c: f.contactId1c, p_birth: added }))
      .statusCode,
    200,
  );
  await eventually(async () => sent() === before + 1);
  assert.ok(JSON.stringify(h.onecEmu.control.corrTable('buh')).includes('Дата рождения 1С'));
  assert.equal((await admin(h, 'POST', `/onec/bases/${KEY}/buh-main/corr-table`)).statusCode, 202);
  await eventually(async () => sent() === before + 2);
  // amoCRM lost the webhook (removed by hand, or disabled): the operator subscribes it again.
  h.amoEmu.control.webhooks.remove(hook!.destination, SUB);
  const again = await admin(h, 'POST', `/onec/accounts/${KEY}/webhook`);
  assert.equal(again.statusCode, 202, again.body);
  assert.equal(again.json().destination, hook!.destination);
  await eventually(async () => h.amoEmu.control.webhooks.list(SUB).length === 1);
});

test('sync/base with a login 1C refuses is 424 «1С отклонила логин или пароль»; an unreachable 1C is 424 too', async (t) => {
  const h = await onecHub(t);
  const { call } = await account(h);
  const wrong = await call('POST', '/sync/base', { ...h.base, param2: 'не тот пароль' });
  assert.equal(wrong.statusCode, 424);
  assert.deepEqual(wrong.json(), {
    success: false,
    data: null,
    error: 'Не удалось проверить соединение с 1С: 1С отклонила логин или пароль',
  });
  const nowhere = await call('POST', '/sync/base', { ...h.base, web_address: h.onecEmu.webAddress('nothing-here') });
  assert.equal(nowhere.statusCode, 424);
  assert.match(nowhere.json().error, /ничего не опубликовано \(404\)/);
  h.onecEmu.control.faults.add({ path: '/buh/get_handlers_version', kind: 'not_json' });
  const garbled = await call('POST', '/sync/base', h.base);
  assert.match(garbled.json().error, /не в формате JSON/);
  assert.equal((await h.hub.database.query('select 1 from onec_sync_bases')).length, 0, 'nothing stored');
});

test('a secret needs a connected account; once the account is disconnected every 1C call is a 409 and pushes stop', async (t) => {
  const h = await onecHub(t);
  const refused = await admin(h, 'POST', `/onec/accounts/${KEY}/secret`);
  assert.equal(refused.statusCode, 409);
  assert.match(refused.body, /Аккаунт amoCRM не подключён к хабу/);
  const { call } = await account(h);
  assert.equal((await call('GET', `/sync/check_active?key=${KEY}&id_base=buh-main`)).statusCode, 200);
  assert.equal(await h.connectors.amo.disconnect(KEY), true);
  const gone = await call('GET', `/sync/check_active?key=${KEY}&id_base=buh-main`);
  assert.equal(gone.statusCode, 409);
  assert.deepEqual(gone.json(), { success: false, data: null, error: 'Аккаунт amoCRM отключён от интеграции: подключите его заново' });
  assert.equal((await call('POST', '/sync/base', h.base)).statusCode, 409);
  assert.equal((await admin(h, 'POST', `/onec/accounts/${KEY}/secret/rotate`)).statusCode, 201, 'the operator can still rotate');
});

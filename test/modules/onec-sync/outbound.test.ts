// amoCRM → 1C end to end with both emulators: a contact made in amoCRM reaches 1C through the account's webhook and
// 1C's id and link come back into its fields; the write-back's own webhook pushes nothing; a deal reaching the
// order stage becomes an order; a 1C outage delays a push and loses nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../helpers/hub.js';
import { admin, BASE, cli, KEY } from './helpers.js';
import { amoApi, outboundBed, quiet, SUB, valueIn } from './outbound-bed.js';

test('a contact made in amoCRM becomes a 1C counterparty; id_1c and link are written back; the echo pushes nothing', async (t) => {
  const { h, f } = await outboundBed(t);
  const api = amoApi(h);
  const [made] = await api.contacts.create([
    {
      name: 'Иван Петров',
      custom_fields_values: [
        { field_code: 'PHONE', values: [{ value: '+7 (999) 123-45-67', enum_code: 'WORK' }] },
        { field_code: 'EMAIL', values: [{ value: 'ivan@example.com', enum_code: 'WORK' }] },
        { field_id: f.position, values: [{ value: 'Директор' }] },
      ],
    },
  ]);
  const counterparty = await eventually(async () => h.onecEmu.control.counterparties('buh').find((c) => c.amoId === String(made!.id)));
  assert.equal(counterparty.kind, 'contact');
  assert.equal(counterparty.name, 'Иван Петров');
  assert.equal(counterparty.phone, '+7 (999) 123-45-67');
  assert.equal(counterparty.email, 'ivan@example.com');
  assert.deepEqual(counterparty.custom, { p_position: 'Директор' });
  const written = await eventually(async () => {
    const c = await api.contacts.get(made!.id);
    return valueIn(c, f.contactLink) ? c : undefined;
  });
  assert.equal(valueIn(written, f.contactId1c), counterparty.id_1c);
  assert.equal(valueIn(written, f.contactLink), counterparty.link);
  const [link] = await h.hub.database.query<{ id_1c: string; amo_updated_at: string }>(
    "select id_1c, amo_updated_at from onec_sync_links where entity = 'contacts' and amo_id = $1",
    [made!.id],
  );
  assert.equal(link?.id_1c, counterparty.id_1c);
  assert.equal(Number(link?.amo_updated_at), written!.updated_at, 'stamped with the write-back');
  // The write-back's update_contact webhook arrives and is recognised as the hub's own: 1C is written once.
  await quiet(h);
  const delivered = h.amoEmu.control.webhooks.deliveries().filter((d) => d.body.includes('update'));
  assert.ok(delivered.length >= 1, 'the echo was delivered');
  assert.equal(h.onecEmu.control.counterparties('buh').find((c) => c.amoId === String(made!.id))!.writes, 1);
  // The index learnt the contact's phone and e-mail from the webhook.
  const keys = await h.hub.database.query<{ kind: string; value: string }>(
    'select kind, value from onec_sync_match_keys where amo_id = $1 order by kind',
    [made!.id],
  );
  assert.deepEqual(
    keys.map((k) => `${k.kind}:${k.value}`),
    ['email:ivan@example.com', 'phone:79991234567'],
  );

  // A later change by a user (a new second in amoCRM) is pushed again, as an update of the same counterparty.
  h.amoEmu.control.clock.advance(5);
  await api.contacts.update([{ id: made!.id, name: 'Иван Петрович Петров' }]);
  await eventually(async () => h.onecEmu.control.counterparties('buh').find((c) => c.amoId === String(made!.id) && c.writes === 2));
  assert.equal(h.onecEmu.control.counterparties('buh').length, 1);
  assert.equal(h.onecEmu.control.counterparties('buh')[0]!.name, 'Иван Петрович Петров');

  // A contact deleted in amoCRM leaves the index.
  h.amoEmu.control.webhooks.fire({ fields: { contacts: { delete: [{ id: String(made!.id), type: 'contact' }] } } }, SUB);
  await quiet(h);
  assert.equal((await h.hub.database.query('select 1 from onec_sync_match_keys where amo_id = $1', [made!.id])).length, 0);
});

test('pushCounterparties false: contacts are indexed but not sent; an operator push sends one now', async (t) => {
  const { h, f } = await outboundBed(t);
  const put = await h.app.inject({
    method: 'PUT',
    url: `/admin/v1/onec/bases/${KEY}/buh-main/options`,
    headers: { ...h.admin, 'content-type': 'application/json' },
    payload: { pushCounterparties: false },
  });
  assert.equal(put.statusCode, 200, put.body);
  assert.deepEqual((await admin(h, 'GET', `/onec/bases/${KEY}/buh-main/options`)).json(), { pushCounterparties: false });
  const [made] = await amoApi(h).contacts.create([
    { name: 'Без отправки', custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+79990000001' }] }] },
  ]);
  await quiet(h);
  assert.equal(h.onecEmu.control.counterparties('buh').length, 0);
  assert.equal((await h.hub.database.query('select 1 from onec_sync_match_keys where amo_id = $1', [made!.id])).length, 1, 'indexed');
  const pushed = await admin(h, 'POST', `/onec/bases/${KEY}/buh-main/push/contacts/${made!.id}`);
  assert.equal(pushed.statusCode, 202, pushed.body);
  const c = await eventually(async () => h.onecEmu.control.counterparties('buh').find((x) => x.amoId === String(made!.id)));
  await eventually(async () => valueIn(await amoApi(h).contacts.get(made!.id), f.contactId1c) === c.id_1c);
  assert.equal((await admin(h, 'POST', `/onec/bases/${KEY}/nope/push/contacts/1`)).statusCode, 404);
  // The CLI queues the same job: 1C is written again (an update of the same counterparty).
  const queued = await cli(h, 'onec', 'push', '--key', String(KEY), '--base', 'buh-main', '--entity', 'contacts', '--id', String(made!.id));
  assert.match(queued.out, /^[0-9a-f-]{36}\n$/);
  await eventually(async () => h.onecEmu.control.counterparties('buh').find((x) => x.amoId === String(made!.id))?.writes === 2);
  await assert.rejects(
    cli(h, 'onec', 'push', '--key', String(KEY), '--base', 'buh-main', '--entity', 'deals', '--id', '1'),
    /--entity must be/,
  );
});

test('a deal reaching the order stage becomes a 1C order with its contact and company; documents through the admin API', async (t) => {
  const { h, f } = await outboundBed(t);
  const api = amoApi(h);
  const main = (await api.pipelines()).find((p) => p.is_main)!;
  const [first, second] = main.statuses.filter((s) => s.type === 0 && s.id !== 142 && s.id !== 143);
  const set = await h.app.inject({
    method: 'PUT',
    url: `/admin/v1/onec/bases/${KEY}/buh-main/options`,
    headers: { ...h.admin, 'content-type': 'application/json' },
    payload: { orderStage: { pipeline_id: main.id, status_id: second!.id } },
  });
  assert.equal(set.statusCode, 200, set.body);
  const [company] = await api.companies.create([
    { name: 'ООО Ромашка', custom_fields_values: [{ field_id: f.inn, values: [{ value: '7707083893' }] }] },
  ]);
  const [contact] = await api.contacts.create([{ name: 'Анна' }]);
  const [lead] = await api.leads.create([
    {
      name: 'Поставка',
      price: 150000,
      pipeline_id: main.id,
      status_id: first!.id,
      _embedded: { contacts: [{ id: contact!.id }], companies: [{ id: company!.id }] },
    },
  ]);
  await quiet(h);
  assert.equal(h.onecEmu.control.orders('buh').length, 0, 'not at the order stage yet');
  await api.leads.update([{ id: lead!.id, status_id: second!.id, pipeline_id: main.id }]);
  const order = await eventually(async () => h.onecEmu.control.orders('buh').find((o) => o.amoId === String(lead!.id)));
  assert.equal(order.name, 'Поставка');
  assert.deepEqual(order.custom, { p_budget: '150000' });
  assert.ok(order.contact_id_1c && order.company_id_1c, 'the order names its contact and company');
  const company1c = h.onecEmu.control.counterparties('buh').find((c) => c.amoId === String(company!.id));
  assert.equal(company1c?.inn, '7707083893');
  await eventually(async () => valueIn(await api.leads.get(lead!.id), f.leadId1c) === order.id_1c);
  await quiet(h);
  assert.equal(h.onecEmu.control.orders('buh')[0]!.writes, 1, 'the write-back is no new order');

  const docs = await admin(h, 'GET', `/onec/bases/${KEY}/buh-main/leads/${lead!.id}/documents`);
  assert.equal(docs.statusCode, 200, docs.body);
  assert.match(docs.json().documents[0].title, /^Заказ клиента/);
  const listed = await cli(h, 'onec', 'documents', '--key', String(KEY), '--base', 'buh-main', '--lead', String(lead!.id));
  assert.match(listed.out, /^Заказ клиента .*\t/);
  h.onecEmu.control.faults.add({ path: '/buh/get_orders', status: 401 });
  const refused = await admin(h, 'GET', `/onec/bases/${KEY}/buh-main/leads/${lead!.id}/documents`);
  assert.equal(refused.statusCode, 502);
  assert.match(refused.body, /1С отклонила логин или пароль/);
});

test('1C down (503) when a contact changes: the push is retried and lands exactly once, with its link written back', async (t) => {
  const { h, f } = await outboundBed(t);
  h.onecEmu.control.faults.add({ path: '/buh/new_lead', status: 503, times: 1 });
  const [made] = await amoApi(h).contacts.create([{ name: 'Сквозь сбой' }]);
  const c = await eventually(async () => h.onecEmu.control.counterparties('buh').find((x) => x.amoId === String(made!.id)));
  await eventually(async () => valueIn(await amoApi(h).contacts.get(made!.id), f.contactId1c) === c.id_1c);
  await quiet(h);
  const tried = h.onecEmu.control.requests.list({ type: 'new_lead' });
  assert.equal(tried.filter((r) => r.status === 503).length, 1);
  assert.equal(tried.filter((r) => r.status === 200).length, 1);
  assert.equal(h.onecEmu.control.counterparties('buh').length, 1);
  assert.equal(c.writes, 1);
});

test('1C carries out a push but its answer is lost: the retry updates the same counterparty, and the link comes back', async (t) => {
  const { h, f } = await outboundBed(t);
  h.onecEmu.control.faults.add({ path: '/buh/new_lead', kind: 'answer_lost', times: 1 });
  const [made] = await amoApi(h).contacts.create([{ name: 'Ответ потерян' }]);
  await eventually(async () => valueIn(await amoApi(h).contacts.get(made!.id), f.contactId1c));
  await quiet(h);
  const all = h.onecEmu.control.counterparties('buh');
  assert.equal(all.length, 1, 'one counterparty, not two');
  assert.equal(all[0]!.writes, 2, 'the lost one and the retry');
  assert.equal(valueIn(await amoApi(h).contacts.get(made!.id), f.contactId1c), all[0]!.id_1c);
});

test('two bases of one account: a contact goes to both, each writes its id back, and neither write-back echoes', async (t) => {
  const { h, call, f } = await outboundBed(t);
  h.onecEmu.control.addBase({ idBase: 'buh-2', publication: 'buh2', login: BASE.param1, password: BASE.param2 });
  const second = { ...h.base, id_base: 'buh-2', web_address: h.onecEmu.webAddress('buh2') };
  assert.equal((await call('POST', '/sync/base', second)).statusCode, 200);
  const own = h.amoEmu.control.addCustomField('contacts', { name: 'id 1С (вторая база)', type: 'text' }, SUB);
  const map = { key: KEY, id_base: 'buh-2', id_1c: own };
  assert.equal((await call('POST', '/sync/clients_contacts_save_fields', map)).statusCode, 200);
  await quiet(h);
  const [made] = await amoApi(h).contacts.create([{ name: 'Общий клиент' }]);
  const [one, two] = await eventually(async () => {
    const a = h.onecEmu.control.counterparties('buh').find((c) => c.amoId === String(made!.id));
    const b = h.onecEmu.control.counterparties('buh2').find((c) => c.amoId === String(made!.id));
    return a && b ? [a, b] : undefined;
  });
  const written = await eventually(async () => {
    const c = await amoApi(h).contacts.get(made!.id);
    return valueIn(c, f.contactId1c) && valueIn(c, own) ? c : undefined;
  });
  assert.equal(valueIn(written, f.contactId1c), one!.id_1c);
  assert.equal(valueIn(written, own), two!.id_1c);
  await quiet(h);
  assert.deepEqual([h.onecEmu.control.counterparties('buh')[0]!.writes, h.onecEmu.control.counterparties('buh2')[0]!.writes], [1, 1]);
});

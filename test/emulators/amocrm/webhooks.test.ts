import { test } from 'node:test';
import assert from 'node:assert/strict';
import qs from 'qs';
import { startEmulator, startReceiver } from './helpers.js';

type Form = Record<string, Record<string, Array<Record<string, unknown>>>> & { account: Record<string, unknown> };

test('webhooks registered over the API deliver form-encoded PHP-style keys with legacy names and string values', async (t) => {
  const receiver = await startReceiver(t);
  const s = await startEmulator(t);
  const reg = await s.api('/api/v4/webhooks', {
    body: { destination: receiver.url, settings: ['add_lead', 'status_lead', 'update_contact'] },
  });
  assert.equal(reg.status, 201);
  assert.deepEqual(reg.json().settings, ['add_lead', 'status_lead', 'update_contact']);
  assert.equal((await s.api('/api/v4/webhooks')).json()._total_items, 1);

  const select = s.emu.control.account().customFields.leads.find((f) => f.type === 'select')!;
  const id = (
    await s.api('/api/v4/leads', {
      body: [{ name: 'Hooked', price: 10, custom_fields_values: [{ field_id: select.id, values: [{ enum_id: select.enums![0]!.id }] }] }],
    })
  ).json()._embedded.leads[0].id;
  await s.emu.control.webhooks.settled();
  const add = receiver.hits[0]!;
  assert.equal(add.method, 'POST');
  assert.equal(add.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.match(add.body, /^leads%5Badd%5D%5B0%5D%5Bid%5D=/);
  const parsed = qs.parse(add.body, { depth: 10 }) as unknown as Form;
  const item = parsed.leads!.add![0]!;
  assert.equal(item.id, String(id));
  assert.equal(item.price, '10');
  assert.equal(typeof item.date_create, 'string');
  assert.ok(item.last_modified && item.created_user_id);
  assert.deepEqual(item.custom_fields, [
    { id: String(select.id), name: select.name, values: [{ value: select.enums![0]!.value, enum: String(select.enums![0]!.id) }] },
  ]);
  assert.equal(parsed.account.subdomain, 'testaccount');
  assert.equal(parsed.account.id, '31000001');

  const won = 142;
  const before = s.emu.control.entities.get('leads', id)!;
  await s.api(`/api/v4/leads/${id}`, { method: 'PATCH', body: { status_id: won } });
  await s.emu.control.webhooks.settled();
  const status = qs.parse(receiver.hits[1]!.body) as unknown as Form;
  assert.equal(status.leads!.status![0]!.status_id, '142');
  assert.equal(status.leads!.status![0]!.old_status_id, String(before.status_id));
  assert.equal(status.leads!.update, undefined, 'update_lead was not subscribed');
  assert.equal(receiver.hits.length, 2);
});

test('a failing receiver is retried on the schedule until it answers 2xx', async (t) => {
  const receiver = await startReceiver(t);
  receiver.script = [500, 503];
  const s = await startEmulator(t, { webhooks: { retryDelaysMs: [20, 20, 20] } });
  s.emu.control.webhooks.register({ destination: receiver.url, settings: ['add_contact'] });
  await s.api('/api/v4/contacts', { body: [{ name: 'Retry me' }] });
  await s.emu.control.webhooks.settled();
  assert.equal(receiver.hits.length, 3);
  assert.equal(new Set(receiver.hits.map((h) => h.body)).size, 1, 'the same body is resent');
  const [delivery] = s.emu.control.webhooks.deliveries();
  assert.equal(delivery!.state, 'delivered');
  assert.deepEqual(
    delivery!.attempts.map((a) => a.status),
    [500, 503, 200],
  );

  receiver.script = [500, 500, 500, 500];
  s.emu.control.webhooks.fire({ fields: { leads: { status: [{ id: '1', status_id: '142', pipeline_id: '7' }] } } });
  await s.emu.control.webhooks.settled();
  const manual = s.emu.control.webhooks.deliveries()[1]!;
  assert.equal(manual.state, 'failed', 'gives up after the schedule runs out');
  assert.equal(manual.attempts.length, 4);
  assert.match(manual.body, /leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=142/);
});

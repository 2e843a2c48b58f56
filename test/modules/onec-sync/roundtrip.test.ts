// Both directions on one counterparty: 1C creates it in amoCRM (its create's webhook is the hub's own echo and goes
// nowhere), a manager then edits it in amoCRM and the change reaches 1C under the same id_1c.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../helpers/hub.js';
import { KEY } from './helpers.js';
import { amoApi, outboundBed, quiet, valueIn } from './outbound-bed.js';

test('1C → amoCRM → 1C: the create echoes nowhere; a manager’s edit reaches 1C under the same id_1c', async (t) => {
  const { h, call, f } = await outboundBed(t);
  const pushes = () =>
    h.onecEmu.control.requests.list({ method: 'POST' }).filter((r) => (r.body as { type?: string })?.type === 'new_lead');
  const res = await call('POST', '/sync/clients_contacts', {
    key: KEY,
    id_base: 'buh-main',
    id_1c: 'ФЛ-777',
    link: 'e1cib/data/Справочник.Контрагенты?ref=777',
    name: 'Анна Смирнова',
    phone: '+7 999 777-00-77',
  });
  assert.equal(res.statusCode, 200, res.body);
  const amoId = res.json().data as number;
  assert.equal(valueIn(await amoApi(h).contacts.get(amoId), f.contactId1c), 'ФЛ-777');
  await quiet(h);
  assert.ok(
    h.amoEmu.control.webhooks.deliveries().some((d) => d.body.includes('add')),
    'the create’s webhook reached the hub',
  );
  assert.equal(pushes().length, 0, 'the create is not sent back to 1C');

  await amoApi(h).contacts.update([
    { id: amoId, custom_fields_values: [{ field_id: f.position, values: [{ value: 'Главный бухгалтер' }] }] },
  ]);
  const push = await eventually(async () => pushes()[0]);
  const client = (push.body as { clients: { company: Record<string, unknown> } }).clients.company;
  assert.equal(client.id, amoId);
  assert.equal(client.id_1c, 'ФЛ-777');
  assert.equal(client.p_position, 'Главный бухгалтер');
  await quiet(h);
  assert.equal(pushes().length, 1, 'its write-back echoes nowhere either');
});

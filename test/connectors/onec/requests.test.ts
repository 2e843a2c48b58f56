// Every seed §1 request type sent by the 1C connector to the emulator: the bodies as the seed spells them (key,
// id_base, type, clients.company, p_* values passed through), Basic auth from param1/param2, the answers parsed,
// stable id_1c across repeated creates, and tolerant reading of a BOM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson, shortText } from '../../../src/connectors/onec/index.js';
import { onecTestBed } from './helpers.js';

test('all five request types: seed bodies, Basic auth, parsed answers, stable ids', async (t) => {
  const { emu, onec, target } = await onecTestBed(t);

  assert.deepEqual(await onec.getHandlersVersion(target), { version: '1.0.0' });

  const contact = await onec.upsertCounterparty(target, {
    id: 501,
    name: 'Иван Петров',
    responsible_user_id: 7,
    phone: '+79990000000',
    email: 'ivan@example.com',
    p_1001: 'VIP',
  });
  const company = await onec.upsertCounterparty(target, { id: 601, name: 'ООО Ромашка', responsible_user_id: 7, inn: '7707083893' });
  assert.match(contact.id_1c, /^[0-9a-f-]{36}$/);
  assert.notEqual(contact.id_1c, company.id_1c);
  assert.match(company.link, /e1cib\/data\/Справочник\.Контрагенты\?ref=/);

  // The same amoCRM id again: the same 1C record, updated in place.
  const again = await onec.upsertCounterparty(target, { id: 601, name: 'ООО Ромашка+', responsible_user_id: 8, inn: '7707083893' });
  assert.equal(again.id_1c, company.id_1c);
  const stored = emu.control.counterparties();
  assert.equal(stored.length, 2);
  const romashka = stored.find((c) => c.kind === 'company')!;
  assert.equal(romashka.name, 'ООО Ромашка+');
  assert.equal(romashka.writes, 2);
  assert.equal(stored.find((c) => c.kind === 'contact')!.custom.p_1001, 'VIP');

  const order = await onec.upsertOrder(target, {
    id: 9001,
    name: 'Сделка №1',
    responsible_user_id: 7,
    clients: {
      contact: { id: 501, name: 'Иван Петров', responsible_user_id: 7 },
      company: { id: 601, name: 'ООО Ромашка+', responsible_user_id: 7, inn: '7707083893' },
    },
  });
  const [stOrder] = emu.control.orders();
  assert.equal(stOrder!.id_1c, order.id_1c);
  assert.equal(stOrder!.contact_id_1c, contact.id_1c, 'the order links the existing counterparties');
  assert.equal(stOrder!.company_id_1c, company.id_1c);
  assert.equal((await onec.upsertOrder(target, { id: 9001, name: 'Сделка №1', responsible_user_id: 7 })).id_1c, order.id_1c);

  emu.control.addDocument(9001, { title: 'Счет на оплату № 15 от 06.12.2026' });
  const docs = await onec.getOrders(target, 9001);
  assert.equal(docs.length, 2);
  assert.match(docs[0]!.title, /^Заказ клиента ЗК-\d{6} от /);
  assert.equal(docs[0]!.doc_type, 'leads');
  assert.equal(docs[0]!.link, order.link);
  assert.equal(docs[1]!.parent_link, order.link);
  assert.deepEqual(await onec.getOrders(target, 424242), []);

  emu.control.setVersion('2.3.1');
  const table = { amo_name: 'ИНН', amo_id: 1001, entity_name: 'Компания' };
  assert.deepEqual(await onec.sendCorrTable(target, { user_id: 7, table }), { version: '2.3.1' });
  assert.deepEqual(emu.control.corrTable(), [{ user_id: 7, row: table }]);

  // The wire: seed field names, a contact under clients.company, p_* untouched, the login from param1.
  const sent = emu.control.requests.list();
  assert.deepEqual(
    sent.map((r) => r.type),
    ['get_handlers_version', 'new_lead', 'new_lead', 'new_lead', 'new_order', 'new_order', 'get_orders', 'get_orders', 'corr_table'],
  );
  assert.ok(sent.every((r) => r.login === 'amo' && r.status === 200));
  assert.deepEqual(sent[1]!.body, {
    key: 31_000_001,
    id_base: 'base1',
    type: 'new_lead',
    clients: {
      company: { id: 501, name: 'Иван Петров', responsible_user_id: 7, phone: '+79990000000', email: 'ivan@example.com', p_1001: 'VIP' },
    },
  });
  assert.deepEqual(sent[6]!.body, { key: 31_000_001, id_base: 'base1', type: 'get_orders', id: 9001 });
  assert.deepEqual(sent[8]!.body, { key: 31_000_001, id_base: 'base1', type: 'corr_table', user_id: 7, table });
});

test('a UTF-8 BOM before the JSON is read as JSON, for reads and creates', async (t) => {
  const { emu, onec, target } = await onecTestBed(t);
  emu.control.faults.add({ path: '*', kind: 'bom', times: 2 });
  assert.deepEqual(await onec.getHandlersVersion(target), { version: '1.0.0' });
  const made = await onec.upsertCounterparty(target, { id: 1, name: 'Анна', responsible_user_id: 2 });
  assert.equal(made.id_1c, emu.control.counterparties()[0]!.id_1c);
  assert.equal(emu.control.requests.list().length, 2, 'no retry was needed');
});

test('parsing helpers: BOM, 1C and web-server HTML pages, JSON errors', () => {
  assert.deepEqual(parseJson('\uFEFF {"a":1}\n'), { a: 1 });
  assert.equal(parseJson('<html>'), undefined);
  assert.equal(
    shortText('<html><head><title>Ошибка</title></head><body><h1>Ошибка при выполнении &quot;обработчика&quot;</h1></body></html>'),
    'Ошибка — Ошибка при выполнении "обработчика"',
  );
  assert.equal(shortText('{"error":"нет такой базы"}'), 'нет такой базы');
  assert.equal(shortText('x'.repeat(500)).length, 200);
});

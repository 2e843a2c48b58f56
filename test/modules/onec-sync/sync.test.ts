// 1C → amoCRM entity sync (seed 001 §2.3–2.5) end to end into the amoCRM emulator: counterparties found by link,
// phone, e-mail or ИНН and updated or created; orders with their contact and company; the §2.5 path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldByCode, fieldValues, syncBed } from './sync-bed.js';

test('a 1C counterparty becomes a contact with its link; the same id_1c again updates it', async (t) => {
  const bed = await syncBed(t);
  const before = bed.emu.control.entities.count('contacts');
  const first = await bed.post('clients_contacts', {
    id_1c: 'ФЛ-000123',
    link: 'e1cib/data/Справочник.Контрагенты?ref=8f3a',
    name: 'Иванов Иван',
    phone: '+7 (999) 123-45-67',
    email: 'Ivanov@Example.ru',
  });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.success, true);
  const id = first.body.data as number;
  const contact = bed.emu.control.entities.get('contacts', id);
  assert.equal(contact?.name, 'Иванов Иван');
  assert.deepEqual(fieldValues(contact, bed.fields.contactId1c), ['ФЛ-000123']);
  assert.deepEqual(fieldValues(contact, bed.fields.contactLink), ['e1cib/data/Справочник.Контрагенты?ref=8f3a']);
  assert.deepEqual(fieldByCode(contact, 'PHONE'), ['+7 (999) 123-45-67']);

  const again = await bed.post('clients_contacts', { id_1c: 'ФЛ-000123', name: 'Иванов Иван Петрович', phone: '8 999 123 45 67' });
  assert.equal(again.body.data, id, 'found by the link');
  const updated = bed.emu.control.entities.get('contacts', id);
  assert.equal(updated?.name, 'Иванов Иван Петрович');
  assert.deepEqual(fieldByCode(updated, 'PHONE'), ['+7 (999) 123-45-67'], 'the same number in another form is not added twice');
  assert.equal(bed.emu.control.entities.count('contacts'), before + 1);
});

test('contacts already in amoCRM are matched by phone or e-mail from the index, without a search request', async (t) => {
  const bed = await syncBed(t);
  const api = bed.h.connectors.amo.api(bed.key);
  const [byPhone, byEmail] = await api.contacts.create([
    { name: 'Пётр', custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '8 (912) 000-11-22', enum_code: 'WORK' }] }] },
    { name: 'Мария', custom_fields_values: [{ field_code: 'EMAIL', values: [{ value: 'maria@firm.ru', enum_code: 'WORK' }] }] },
  ] as never);
  const contacts = bed.emu.control.entities.count('contacts');

  const p = await bed.post('clients_contacts', { id_1c: 'ФЛ-1', name: 'Пётр Сидоров', phone: '+79120001122' });
  assert.equal(p.body.data, byPhone!.id);
  const e = await bed.post('clients_contacts', { id_1c: 'ФЛ-2', name: 'Мария', email: ' MARIA@firm.ru ', phone: '+7 913 555 00 00' });
  assert.equal(e.body.data, byEmail!.id);
  assert.equal(bed.emu.control.entities.count('contacts'), contacts, 'nothing created');
  const maria = bed.emu.control.entities.get('contacts', byEmail!.id);
  assert.deepEqual(fieldByCode(maria, 'PHONE'), ['+7 913 555 00 00'], 'the new phone added');
  assert.deepEqual(fieldValues(maria, bed.fields.contactId1c), ['ФЛ-2']);
  assert.equal(
    bed.emu.control.requests.list({ method: 'GET', path: '/api/v4/contacts' }).filter((r) => /[?&]query=/.test(r.path)).length,
    0,
    'no search requests',
  );
});

test('companies are matched by a valid ИНН in any of their fields; an invalid ИНН matches nothing', async (t) => {
  const bed = await syncBed(t);
  const api = bed.h.connectors.amo.api(bed.key);
  const [firm] = await api.companies.create([
    { name: 'Сбер', custom_fields_values: [{ field_id: bed.fields.companyInn, values: [{ value: '7707083893' }] }] },
  ] as never);
  const hit = await bed.post('clients_companies', { id_1c: 'ЮЛ-45', name: 'ПАО Сбербанк', inn: '7707083893' });
  assert.equal(hit.status, 200, JSON.stringify(hit.body));
  assert.equal(hit.body.data, firm!.id);
  assert.equal(bed.emu.control.entities.get('companies', firm!.id)?.name, 'ПАО Сбербанк');

  const miss = await bed.post('clients_companies', { id_1c: 'ЮЛ-46', name: 'Ромашка', inn: '7707083894' });
  assert.notEqual(miss.body.data, firm!.id, 'a wrong control digit is not the same company');
  assert.deepEqual(fieldValues(bed.emu.control.entities.get('companies', miss.body.data as number), bed.fields.companyInn), ['7707083894']);
});

test('an order becomes a deal with budget, number, contact and company; the §2.5 path updates it', async (t) => {
  const bed = await syncBed(t);
  const contact = (await bed.post('clients_contacts', { id_1c: 'ФЛ-9', name: 'Клиент' })).body.data as number;
  const company = (await bed.post('clients_companies', { id_1c: 'ЮЛ-9', name: 'ООО Клиент', inn: '500100732259' })).body.data as number;
  const created = await bed.post('leads', {
    id_1c: 'ЗК-777',
    order_number: 'ЗК-777',
    budget: '125 000,40',
    contact_id: contact,
    company_id: String(company),
    p_places: '3',
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const leadId = created.body.data as number;
  const lead = bed.emu.control.entities.get('leads', leadId)!;
  assert.equal(lead.price, 125000);
  assert.equal(lead.name, 'Заказ ЗК-777');
  assert.deepEqual(fieldValues(lead, bed.fields.leadOrder), ['ЗК-777']);
  assert.deepEqual(fieldValues(lead, bed.fields.leadCount), ['3'], 'amoCRM answers numbers as text');
  const embedded = lead._embedded as { contacts: Array<{ id: number }>; companies: Array<{ id: number }> };
  assert.deepEqual(
    embedded.contacts.map((c) => c.id),
    [contact],
  );
  assert.deepEqual(
    embedded.companies.map((c) => c.id),
    [company],
  );

  // Seed §2.5 documents the order under the companies path: an order-shaped body there is an order.
  const viaCompanies = await bed.post('clients_companies', { id_1c: 'ЗК-777', order_number: 'ЗК-777', budget: 130000 });
  assert.equal(viaCompanies.status, 200, JSON.stringify(viaCompanies.body));
  assert.equal(viaCompanies.body.data, leadId);
  assert.equal(bed.emu.control.entities.get('leads', leadId)?.price, 130000);

  const bad = await bed.post('clients_companies', { order_number: 'ЗК-1', budget: 'сто' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error!, /^Некорректный заказ: .*budget/);
});

test('unknown base, a mapped value the field cannot take, a new record without a name', async (t) => {
  const bed = await syncBed(t);
  const noBase = await bed.post('clients_contacts', { id_base: 'другая', name: 'X' });
  assert.equal(noBase.status, 404);
  assert.match(noBase.body.error!, /База 1С не подключена/);

  const noName = await bed.post('clients_contacts', { id_1c: 'ФЛ-без-имени' });
  assert.equal(noName.status, 400);
  assert.match(noName.body.error!, /нужно имя/);

  const badValue = await bed.post('leads', { id_1c: 'ЗК-8', order_number: '8', p_places: 'три' });
  assert.equal(badValue.status, 400);
  assert.match(badValue.body.error!, /«p_places» → «Количество мест»/);
  assert.equal(badValue.body.data, null);
});

test('a changed field mapping drives the next sync: the 1C id goes to the newly mapped field', async (t) => {
  const bed = await syncBed(t);
  const id = (await bed.post('clients_contacts', { id_1c: 'ФЛ-M', name: 'Маппинг' })).body.data as number;
  const other = bed.emu.control.addCustomField('contacts', { name: 'Код 1С', type: 'text' });
  const saved = await bed.post('clients_contacts_save_fields', { id_1c: other, p_note: bed.fields.contactLink });
  assert.equal(saved.status, 200);
  const again = await bed.post('clients_contacts', { id_1c: 'ФЛ-M', name: 'Маппинг', p_note: 'https://1c.example/ref/1' });
  assert.equal(again.body.data, id, 'still found by the stored link');
  const contact = bed.emu.control.entities.get('contacts', id);
  assert.deepEqual(fieldValues(contact, other), ['ФЛ-M']);
  assert.deepEqual(fieldValues(contact, bed.fields.contactLink), ['https://1c.example/ref/1']);
});

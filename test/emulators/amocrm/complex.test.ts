import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from './helpers.js';

const phone = (value: string) => ({ field_code: 'PHONE', values: [{ value, enum_code: 'WORK' }] });

test('complex leads: plain-array answer with linked contact and company, metadata puts the lead into incoming', async (t) => {
  const s = await startEmulator(t);
  const res = await s.api('/api/v4/leads/complex', {
    body: [
      {
        name: 'Quiz lead',
        price: 1000,
        request_id: 'q1',
        _embedded: {
          tags: [{ name: 'quiz' }],
          metadata: { category: 'forms', form_id: 'x' },
          contacts: [{ first_name: 'Мария', custom_fields_values: [phone('+7 916 000-00-01')] }],
          companies: [{ name: 'ООО Ромашка' }],
        },
      },
      { name: 'No contact' },
    ],
  });
  assert.equal(res.status, 200);
  assert.doesNotMatch(res.headers.get('content-type')!, /hal/);
  const [first, second] = res.json();
  assert.deepEqual(Object.keys(first).sort(), ['company_id', 'contact_id', 'id', 'merged', 'request_id']);
  assert.deepEqual(first.request_id, ['q1']);
  assert.equal(first.merged, false);
  assert.equal(second.contact_id, null);
  const lead = s.emu.control.entities.get('leads', first.id)!;
  const embedded = lead._embedded as {
    contacts: Array<{ id: number; is_main: boolean }>;
    companies: Array<{ id: number }>;
    tags: Array<{ name: string }>;
  };
  assert.deepEqual(
    embedded.contacts.map((c) => [c.id, c.is_main]),
    [[first.contact_id, true]],
  );
  assert.deepEqual(
    embedded.companies.map((c) => c.id),
    [first.company_id],
  );
  const unsorted = s.emu.control
    .account()
    .pipelines.find((p) => p.is_main)!
    .statuses.find((x) => x.type === 1)!.id;
  assert.equal(lead.status_id, unsorted);
  const contact = s.emu.control.entities.get('contacts', first.contact_id)!;
  assert.deepEqual(
    (contact._embedded as { companies: Array<{ id: number }> }).companies.map((c) => c.id),
    [first.company_id],
    'new contact and company are linked',
  );
});

test('complex limits: 50 leads, one contact and one company each, 40 custom field values per entity', async (t) => {
  const s = await startEmulator(t);
  const tooMany = await s.api('/api/v4/leads/complex', { body: Array.from({ length: 51 }, () => ({ name: 'x' })) });
  assert.equal(tooMany.status, 400);
  assert.equal(tooMany.json()['validation-errors'][0].errors[0].code, 'TooManyElements');
  assert.equal((await s.api('/api/v4/leads/complex', { body: Array.from({ length: 50 }, () => ({ name: 'x' })) })).status, 200);

  const twoContacts = await s.api('/api/v4/leads/complex', {
    body: [{ request_id: 'a', _embedded: { contacts: [{ name: 'one' }, { name: 'two' }] } }],
  });
  assert.equal(twoContacts.status, 400);
  assert.deepEqual(twoContacts.json()['validation-errors'][0], {
    request_id: 'a',
    errors: [{ code: 'TooManyElements', path: '_embedded.contacts', detail: 'This collection should contain 1 element or less.' }],
  });

  const text = s.emu.control.account().customFields.contacts.find((f) => f.type === 'text')!;
  const fortyOne = Array.from({ length: 41 }, () => ({ field_id: text.id, values: [{ value: 'v' }] }));
  const tooManyFields = await s.api('/api/v4/leads/complex', {
    body: [{ _embedded: { contacts: [{ name: 'c', custom_fields_values: fortyOne }] } }],
  });
  assert.equal(tooManyFields.status, 400);
  assert.equal(tooManyFields.json()['validation-errors'][0].errors[0].path, '_embedded.contacts.0.custom_fields_values');
  assert.equal(s.emu.control.entities.count('contacts'), 0);
});

test('duplicate control matches existing contacts by normalised phone/email, never within the same batch', async (t) => {
  const s = await startEmulator(t, { duplicateControl: true });
  const existing = (
    await s.api('/api/v4/contacts', {
      body: [
        { name: 'Old', custom_fields_values: [phone('+7 (916) 111-22-33'), { field_code: 'EMAIL', values: [{ value: 'Old@Mail.ru' }] }] },
      ],
    })
  ).json()._embedded.contacts[0].id;

  const res = await s.api('/api/v4/leads/complex', {
    body: [
      { request_id: 'by-phone', _embedded: { contacts: [{ name: 'New name', custom_fields_values: [phone('89161112233')] }] } },
      {
        request_id: 'by-email',
        _embedded: { contacts: [{ name: 'Other', custom_fields_values: [{ field_code: 'EMAIL', values: [{ value: 'old@mail.ru' }] }] }] },
      },
      { request_id: 'fresh-1', _embedded: { contacts: [{ name: 'Twin', custom_fields_values: [phone('+79990000000')] }] } },
      { request_id: 'fresh-2', _embedded: { contacts: [{ name: 'Twin', custom_fields_values: [phone('+79990000000')] }] } },
    ],
  });
  assert.equal(res.status, 200);
  const results = res.json() as Array<{ id: number; contact_id: number; request_id: string[]; merged: boolean }>;
  const merged = results.find((r) => r.merged)!;
  assert.equal(merged.contact_id, existing);
  assert.deepEqual(merged.request_id, ['by-phone', 'by-email'], 'both incoming items merged into one result');
  const fresh = results.filter((r) => !r.merged);
  assert.equal(fresh.length, 2);
  assert.notEqual(fresh[0]!.contact_id, fresh[1]!.contact_id, 'items of one batch are not compared with each other');
  assert.equal(s.emu.control.entities.count('contacts'), 3);

  // Without the switch the same payload creates a new contact.
  s.emu.control.updateIntegration(s.emu.defaults.clientId, { duplicateControl: false });
  const off = (
    await s.api('/api/v4/leads/complex', {
      body: [{ _embedded: { contacts: [{ name: 'x', custom_fields_values: [phone('89161112233')] }] } }],
    })
  ).json();
  assert.equal(off[0].merged, false);
  assert.notEqual(off[0].contact_id, existing);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startEmulator } from './helpers.js';

test('HAL lists page with _page and _links, next is missing on the last page, and empty pages are 204', async (t) => {
  const s = await startEmulator(t);
  assert.equal((await s.api('/api/v4/leads')).status, 204, 'no leads yet');
  const created = await s.api('/api/v4/leads', { body: Array.from({ length: 5 }, (_, i) => ({ name: `Lead ${i}`, request_id: `r${i}` })) });
  assert.equal(created.status, 200);
  assert.match(created.headers.get('content-type')!, /application\/hal\+json/);
  assert.deepEqual(
    created.json()._embedded.leads.map((l: { request_id: string }) => l.request_id),
    ['r0', 'r1', 'r2', 'r3', 'r4'],
  );

  const p1 = await s.api('/api/v4/leads?limit=2&page=1');
  assert.equal(p1.json()._page, 1);
  assert.ok(p1.json()._links.next.href.includes('page=2'));
  assert.equal(p1.json()._links.prev, undefined);
  const p3 = await s.api('/api/v4/leads?limit=2&page=3');
  assert.equal(p3.json()._embedded.leads.length, 1);
  assert.equal(p3.json()._links.next, undefined, 'no next on the last page');
  assert.ok(p3.json()._links.prev.href.includes('page=2'));
  assert.ok(p3.json()._links.first.href.includes('page=1'));
  const past = await s.api('/api/v4/leads?limit=2&page=4');
  assert.equal(past.status, 204);
  assert.equal(past.text, '');
  assert.ok(past.headers.get('x-request-id'));
  assert.equal((await s.api('/api/v4/leads?query=nothing-like-this')).status, 204);
  assert.equal((await s.api('/api/v4/leads?limit=1000')).json()._embedded.leads.length, 5, 'limit is capped, not refused');
});

test('account, users, pipelines with system statuses, custom fields (50 per page), tags', async (t) => {
  const s = await startEmulator(t);
  const account = (await s.api('/api/v4/account?with=amojo_id,is_api_filter_enabled')).json();
  assert.equal(account.subdomain, 'testaccount');
  assert.ok(account.amojo_id);
  const users = (await s.api('/api/v4/users')).json()._embedded.users;
  assert.ok(
    users.some((u: { rights: { is_active: boolean } }) => !u.rights.is_active),
    'one user is inactive',
  );
  const pipelines = (await s.api('/api/v4/leads/pipelines')).json();
  assert.equal(pipelines._total_items, 3);
  const main = pipelines._embedded.pipelines.find((p: { is_main: boolean }) => p.is_main);
  assert.ok(pipelines._embedded.pipelines.some((p: { is_archive: boolean }) => p.is_archive));
  const statuses = (await s.api(`/api/v4/leads/pipelines/${main.id}/statuses`)).json()._embedded.statuses;
  assert.deepEqual(statuses.filter((x: { type: number }) => x.type === 1).length, 1);
  assert.ok(statuses.some((x: { id: number }) => x.id === 142) && statuses.some((x: { id: number }) => x.id === 143));

  const phone = (await s.api('/api/v4/contacts/custom_fields'))
    .json()
    ._embedded.custom_fields.find((f: { code: string }) => f.code === 'PHONE');
  assert.deepEqual(
    phone.enums.map((e: { value: string }) => e.value),
    ['WORK', 'WORKDD', 'MOB', 'FAX', 'HOME', 'OTHER'],
  );
  const leadFields = (await s.api('/api/v4/leads/custom_fields')).json()._embedded.custom_fields.map((f: { name: string }) => f.name);
  assert.ok(leadFields.includes('utm_source'));
  // Custom field lists are paged by 50 whatever the limit asked.
  const before = s.emu.control.account().customFields.companies.length;
  for (let i = 0; i < 60; i++) s.emu.control.addCustomField('companies', { name: `extra ${i}`, type: 'text' });
  const page1 = (await s.api('/api/v4/companies/custom_fields?limit=250')).json();
  assert.equal(page1._embedded.custom_fields.length, 50);
  assert.ok(page1._links.next.href.includes('page=2'));
  const page2 = (await s.api('/api/v4/companies/custom_fields?page=2')).json();
  assert.equal(page2._embedded.custom_fields.length, before + 60 - 50);
  assert.equal(page2._links.next, undefined);
  const tags = await s.api('/api/v4/leads/tags', { body: [{ name: 'brand-new' }] });
  assert.equal(tags.json()._embedded.tags[0].name, 'brand-new');
  assert.equal((await s.api('/api/v4/leads/tags?filter[name]=brand-new')).json()._embedded.tags.length, 1);
});

test('validation errors carry paths per request_id; explicit nulls are accepted; values:null clears a field', async (t) => {
  const s = await startEmulator(t);
  const info = s.emu.control.account();
  const inactive = info.users.find((u) => !u.isActive)!.id;
  const select = info.customFields.leads.find((f) => f.type === 'select')!;
  const numeric = info.customFields.leads.find((f) => f.type === 'numeric')!;

  const bad = await s.api('/api/v4/leads', {
    body: [
      { name: 'ok' },
      {
        request_id: 'x',
        responsible_user_id: inactive,
        custom_fields_values: [
          { field_id: 123, values: [{ value: 'a' }] },
          { field_id: select.id, values: [{ enum_id: 999 }] },
          { field_id: numeric.id, values: [{ value: 'not a number' }] },
        ],
      },
    ],
  });
  assert.equal(bad.status, 400);
  assert.match(bad.headers.get('content-type')!, /application\/problem\+json/);
  assert.equal(bad.json().detail, 'Request validation failed');
  const group = bad.json()['validation-errors'][0];
  assert.equal(group.request_id, 'x');
  assert.deepEqual(
    group.errors.map((e: { code: string; path: string }) => `${e.code} ${e.path}`),
    [
      'NotSupportedChoice responsible_user_id',
      'NotSupportedChoice custom_fields_values.0.field_id',
      'NotSupportedChoice custom_fields_values.1.values.0.enum_id',
      'InvalidType custom_fields_values.2.values.0.value',
    ],
  );
  assert.equal(s.emu.control.entities.count('leads'), 0, 'a failed batch stores nothing');

  const empty = await s.api('/api/v4/leads', { body: [] });
  assert.equal(empty.status, 400);
  assert.equal(empty.json().detail, 'Request data can not be empty');

  const contact = await s.api('/api/v4/contacts', {
    body: [
      {
        first_name: 'Анна',
        custom_fields_values: [
          { field_id: null, field_code: 'PHONE', values: [{ value: '+7 999 000-11-22', enum_id: null, enum_code: 'MOB' }] },
          { field_code: 'EMAIL', values: [{ value: 'a@b.ru' }] },
        ],
      },
    ],
  });
  assert.equal(contact.status, 200, contact.text);
  const id = contact.json()._embedded.contacts[0].id;
  const stored = (await s.api(`/api/v4/contacts/${id}`)).json();
  const phone = stored.custom_fields_values.find((f: { field_code: string }) => f.field_code === 'PHONE');
  assert.equal(phone.values[0].enum_code, 'MOB');
  assert.equal(phone.field_type, 'multitext');

  await s.api(`/api/v4/contacts/${id}`, { method: 'PATCH', body: { custom_fields_values: [{ field_code: 'PHONE', values: null }] } });
  const after = (await s.api(`/api/v4/contacts/${id}`)).json();
  assert.deepEqual(
    after.custom_fields_values.map((f: { field_code: string }) => f.field_code),
    ['EMAIL'],
    'only PHONE was cleared',
  );
  await s.api(`/api/v4/contacts/${id}`, { method: 'PATCH', body: { custom_fields_values: [{ field_code: 'EMAIL', values: null }] } });
  assert.equal((await s.api(`/api/v4/contacts/${id}`)).json().custom_fields_values, null, 'no values → null, not []');
});

test('PATCH: array on /{id} is 405, batch PATCH echoes request_id, status change sets closed_at; 250 limit is 422', async (t) => {
  const s = await startEmulator(t);
  const id = (await s.api('/api/v4/leads', { body: [{ name: 'one' }] })).json()._embedded.leads[0].id;
  const wrongShape = await s.api(`/api/v4/leads/${id}`, { method: 'PATCH', body: [{ name: 'x' }] });
  assert.equal(wrongShape.status, 405);
  const single = await s.api(`/api/v4/leads/${id}`, { method: 'PATCH', body: { name: 'renamed', status_id: 142 } });
  assert.equal(single.status, 200);
  const lead = (await s.api(`/api/v4/leads/${id}`)).json();
  assert.equal(lead.name, 'renamed');
  assert.equal(lead.status_id, 142);
  assert.ok(lead.closed_at > 0);
  const batch = await s.api('/api/v4/leads', { method: 'PATCH', body: [{ id, price: 500, request_id: 'p1' }] });
  assert.equal(batch.json()._embedded.leads[0].request_id, 'p1');
  assert.ok(batch.json()._embedded.leads[0].updated_at);
  const tooMany = await s.api('/api/v4/leads', { body: Array.from({ length: 251 }, () => ({ name: 'x' })) });
  assert.equal(tooMany.status, 422);
  assert.equal(tooMany.json().detail, 'Limit 250 per page');
});

test('tags: _embedded.tags replaces, tags_to_add / tags_to_delete change incrementally, null clears', async (t) => {
  const s = await startEmulator(t);
  const id = (await s.api('/api/v4/leads', { body: [{ name: 't', _embedded: { tags: [{ name: 'quiz' }, { name: 'fresh' }] } }] })).json()
    ._embedded.leads[0].id;
  const tagsOf = async () =>
    (await s.api(`/api/v4/leads/${id}`))
      .json()
      ._embedded.tags.map((x: { name: string }) => x.name)
      .sort();
  assert.deepEqual(await tagsOf(), ['fresh', 'quiz']);
  await s.api(`/api/v4/leads/${id}`, { method: 'PATCH', body: { tags_to_add: [{ name: 'vip' }] } });
  assert.deepEqual(await tagsOf(), ['fresh', 'quiz', 'vip']);
  await s.api(`/api/v4/leads/${id}`, { method: 'PATCH', body: { tags_to_delete: [{ name: 'quiz' }] } });
  assert.deepEqual(await tagsOf(), ['fresh', 'vip']);
  await s.api(`/api/v4/leads/${id}`, { method: 'PATCH', body: { _embedded: { tags: [{ name: 'only' }] } } });
  assert.deepEqual(await tagsOf(), ['only']);
  await s.api(`/api/v4/leads/${id}`, { method: 'PATCH', body: { _embedded: { tags: null } } });
  assert.deepEqual(await tagsOf(), []);
  const unknownId = await s.api(`/api/v4/leads/${id}`, { method: 'PATCH', body: { tags_to_add: [{ id: 1 }] } });
  assert.equal(unknownId.json()['validation-errors'][0].errors[0].path, 'tags_to_add.0.id');
});

test('filters, query over custom values, with=contacts, links with main_contact, notes with validated params', async (t) => {
  const s = await startEmulator(t);
  const [c1, c2] = (
    await s.api('/api/v4/contacts', {
      body: [{ name: 'Иван', custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+79161234567' }] }] }, { name: 'Олег' }],
    })
  )
    .json()
    ._embedded.contacts.map((c: { id: number }) => c.id);
  const second = s.emu.control.account().pipelines.find((p) => !p.is_main && !p.is_archive)!;
  const leads = (
    await s.api('/api/v4/leads', {
      body: [
        { name: 'A', _embedded: { contacts: [{ id: c1 }] } },
        { name: 'B', pipeline_id: second.id },
      ],
    })
  ).json()._embedded.leads;
  const [a, b] = leads.map((l: { id: number }) => l.id);

  assert.deepEqual(
    (await s.api(`/api/v4/leads?filter[pipeline_id][]=${second.id}`)).json()._embedded.leads.map((l: { id: number }) => l.id),
    [b],
  );
  assert.deepEqual(
    (await s.api(`/api/v4/leads?filter[id][]=${a}&filter[id][]=${b}&order[id]=desc`))
      .json()
      ._embedded.leads.map((l: { id: number }) => l.id),
    [b, a],
  );
  const firstStage = second.statuses.find((x) => x.type === 0)!.id;
  assert.equal(
    (await s.api(`/api/v4/leads?filter[statuses][0][pipeline_id]=${second.id}&filter[statuses][0][status_id]=${firstStage}`)).json()
      ._embedded.leads.length,
    1,
  );
  const now = s.emu.control.clock.now();
  assert.equal((await s.api(`/api/v4/leads?filter[updated_at][from]=${now + 10}`)).status, 204);
  assert.equal((await s.api('/api/v4/contacts?query=9161234')).json()._embedded.contacts[0].id, c1);
  assert.equal((await s.api('/api/v4/contacts?query=89161234567')).status, 204, '8… does not match +7…');

  const withContacts = (await s.api(`/api/v4/leads/${a}?with=contacts`)).json();
  assert.deepEqual(
    withContacts._embedded.contacts.map((c: { id: number; is_main: boolean }) => [c.id, c.is_main]),
    [[c1, true]],
  );
  const linked = await s.api(`/api/v4/leads/${a}/link`, {
    body: [{ to_entity_id: c2, to_entity_type: 'contacts', metadata: { main_contact: true } }],
  });
  assert.equal(linked.status, 200);
  const links = (await s.api(`/api/v4/leads/${a}/links?filter[to_entity_type]=contacts`)).json()._embedded.links;
  assert.deepEqual(
    links.map((l: { to_entity_id: number; metadata: { main_contact: boolean } }) => [l.to_entity_id, l.metadata.main_contact]),
    [
      [c1, false],
      [c2, true],
    ],
  );
  const badLink = await s.api(`/api/v4/leads/${a}/link`, { body: [{ to_entity_id: b, to_entity_type: 'leads' }] });
  assert.equal(badLink.status, 400);

  const notes = await s.api('/api/v4/leads/notes', {
    body: [
      { entity_id: a, note_type: 'common', params: { text: 'hello' } },
      { entity_id: a, note_type: 'service_message', params: { service: 'Hub', text: 'sync' } },
    ],
  });
  assert.equal(notes.status, 200);
  assert.equal(notes.json()._embedded.notes.length, 2);
  const badNote = await s.api(`/api/v4/leads/${a}/notes`, {
    body: [
      { note_type: 'extended_service_message', params: { text: 'no service' } },
      { note_type: 'telepathy', params: {} },
    ],
  });
  assert.equal(badNote.status, 400);
  const paths = badNote.json()['validation-errors'].flatMap((g: { errors: Array<{ path: string }> }) => g.errors.map((e) => e.path));
  assert.deepEqual(paths, ['params.service', 'note_type']);
  assert.equal(s.emu.control.entities.notes('leads', a).length, 2);
});

test('Host-header routing serves {sub}.amocrm.ru without the path prefix; unknown paths are problem+json 404', async (t) => {
  const s = await startEmulator(t);
  // fetch() may not override Host; undici.request sends it as given.
  const res = await request(`${s.origin}/api/v4/account`, {
    headers: { host: 'testaccount.amocrm.ru', authorization: `Bearer ${s.token}` },
  });
  assert.equal(res.statusCode, 200);
  const body = (await res.body.json()) as { _links: { self: { href: string } } };
  assert.equal(body._links.self.href, 'http://testaccount.amocrm.ru/api/v4/account');
  const missing = await s.api('/api/v4/nothing-here');
  assert.equal(missing.status, 404);
  assert.match(missing.json().detail, /^Cannot GET/);
});

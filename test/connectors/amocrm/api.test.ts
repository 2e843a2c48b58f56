import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AmoError, buildCustomFieldsValues, createAmoConnector } from '../../../src/connectors/amocrm/index.js';
import { TestClock } from '../../helpers/clock.js';
import { amoTestBed, connect } from './helpers.js';

/** These tests are not about the 7 req/s pacing: its waits go on a test clock, and the emulator does not count. */
const unpaced = { emulator: { rateLimit: { enabled: false } } };

const isAmo = (code: string, retryable?: boolean) => (err: unknown) =>
  err instanceof AmoError && err.code === code && (retryable === undefined || err.retryable === retryable);

test('typed API: catalogues, create/update in batches of 50, get, notes, links, custom field helper', async (t) => {
  const { emu, h, amo } = await amoTestBed(t, unpaced);
  const { account } = await connect(amo);
  const clock = new TestClock();
  const api = createAmoConnector(h.hub, { clock }).api(account.amoAccountId);
  const started = clock.now();

  const [users, pipelines, leadFields, contactFields, tags] = [
    await api.users(),
    await api.pipelines(),
    await api.customFields('leads'),
    await api.customFields('contacts'),
    await api.tags('leads'),
  ];
  assert.ok(users.length >= 2);
  assert.ok(pipelines.find((p) => p.is_main)?.statuses.some((s) => s.type === 1));
  assert.ok(leadFields.some((f) => f.code === 'UTM_SOURCE'));
  assert.ok(tags.some((x) => x.name === 'quiz'));

  const built = buildCustomFieldsValues(contactFields, [
    { field: 'PHONE', value: '+79990001122' },
    { field: 'EMAIL', value: 'ivan@example.com' },
  ]);
  assert.deepEqual(built.errors, []);
  const created = await api.leads.create(Array.from({ length: 120 }, (_, i) => ({ name: `Batch lead ${i}`, price: i })));
  assert.equal(created.length, 120);
  assert.deepEqual(created.map((c) => c.request_id).slice(0, 3), ['0', '1', '2']);
  assert.deepEqual(
    emu.control.requests.list({ method: 'POST', path: '/api/v4/leads' }).map((r) => r.items),
    [50, 50, 20],
  );

  const updated = await api.leads.update(created.slice(0, 60).map((c) => ({ id: c.id, price: 1000 })));
  assert.equal(updated.length, 60);
  assert.deepEqual(
    emu.control.requests.list({ method: 'PATCH', path: '/api/v4/leads' }).map((r) => r.items),
    [50, 10],
  );
  const one = await api.leads.get(created[0]!.id);
  assert.equal(one?.price, 1000);
  assert.equal(await api.leads.get(999_999_999), undefined);

  const [contact] = await api.contacts.create([{ name: 'Иван', custom_fields_values: built.values }]);
  const readBack = await api.contacts.get(contact!.id);
  assert.equal(readBack?.custom_fields_values?.find((v) => v.field_code === 'PHONE')?.values[0]?.value, '+79990001122');
  await api.links.link('leads', created[0]!.id, [
    { to_entity_id: contact!.id, to_entity_type: 'contacts', metadata: { main_contact: true } },
  ]);
  const linked = await api.leads.get(created[0]!.id, ['contacts']);
  assert.equal(linked?._embedded?.contacts?.[0]?.id, contact!.id);
  const notes = await api.notes.add('leads', [{ entity_id: created[0]!.id, note_type: 'common', params: { text: 'из квиза' } }]);
  assert.equal(notes.length, 1);
  await api.notes.add('leads', [
    { entity_id: created[0]!.id, note_type: 'common', params: { text: 'второе' } },
    { entity_id: created[0]!.id, note_type: 'service_message', params: { service: 'hub', text: 'служебное' } },
    { entity_id: created[1]!.id, note_type: 'common', params: { text: 'другая сделка' } },
  ]);
  const recent = await api.notes.recent('leads', created[0]!.id, { noteType: 'common' });
  assert.deepEqual(
    recent.map((n) => n.params.text),
    ['второе', 'из квиза'],
    "newest first, this lead's, of the type asked",
  );
  assert.equal((await api.notes.recent('leads', created[0]!.id, { limit: 1 }))[0]?.note_type, 'service_message');
  assert.deepEqual(await api.notes.recent('leads', created[2]!.id), [], 'none: amoCRM answers 204');
  // 17 calls on the account's schedule: the last slot lies 16 intervals (≈150 ms) after the first, on the test clock.
  assert.ok(clock.now() - started >= 16 * 149, `the calls were paced, on the test clock (${clock.now() - started} ms)`);
});

test('lists follow _links.next and treat 204 as the end', async (t) => {
  const { emu, h, amo } = await amoTestBed(t, unpaced);
  const { account } = await connect(amo);
  const api = createAmoConnector(h.hub, { clock: new TestClock() }).api(account.amoAccountId);
  await api.leads.create(Array.from({ length: 70 }, (_, i) => ({ name: `Paged ${i}` })));
  const all = await api.leads.listAll({ query: 'Paged', limit: 30 });
  assert.equal(all.length, 70);
  assert.equal(new Set(all.map((l) => l.id)).size, 70);
  const pages = emu.control.requests.list({ method: 'GET', path: '/api/v4/leads' });
  assert.ok(pages.length >= 3);
  assert.ok(pages.every((p) => new URL(p.url, 'http://x').searchParams.get('limit') === '30'));

  const none = await api.leads.listAll({ query: 'no such lead anywhere' });
  assert.deepEqual(none, []);
  assert.equal(emu.control.requests.list({ method: 'GET', path: '/api/v4/leads', status: 204 }).length >= 1, true);
  let iterated = 0;
  for await (const lead of api.leads.list({ query: 'Paged', limit: 50 })) if (lead.name.startsWith('Paged')) iterated++;
  assert.equal(iterated, 70);
});

test('validation errors surface with their paths and are not retried', async (t) => {
  const { emu, amo } = await amoTestBed(t);
  const { account } = await connect(amo);
  const api = amo.api(account.amoAccountId);
  const err = await api.leads
    .create([{ name: 'ok' }, { name: 'bad', custom_fields_values: [{ field_id: 1, values: [{ value: 'x' }] }] }])
    .catch((e: unknown) => e);
  assert.ok(err instanceof AmoError);
  assert.equal(err.code, 'VALIDATION_FAILED');
  assert.equal(err.retryable, false);
  assert.ok(
    err.validationErrors?.some(
      (v) => v.request_id === '1' && v.path.includes('custom_fields_values.0.field_id') && v.code === 'NotSupportedChoice',
    ),
    JSON.stringify(err.validationErrors),
  );
  assert.match(err.message, /custom_fields_values\.0\.field_id/);
  assert.equal(emu.control.requests.list({ method: 'POST', path: '/api/v4/leads' }).length, 1);
});

test('reads are retried on 5xx; writes are not; a 403 block pauses the account and alerts', async (t) => {
  const { emu, h, amo } = await amoTestBed(t, unpaced);
  const { account } = await connect(amo);
  const clock = new TestClock();
  const api = createAmoConnector(h.hub, { clock }).api(account.amoAccountId);
  emu.control.faults.add({ path: '/api/v4/account', status: 500, times: 2 });
  assert.equal((await api.account()).id, account.amoAccountId);
  // Backed off 300 ms, then 600 ms, each jittered ±50 %: on the test clock, not in real time.
  const retries = h.logs.filter((l) => /call failed, retrying/.test(String(l.msg)));
  assert.deepEqual(
    retries.map((l) => [l.amoAccountId, l.status, l.attempt]),
    [
      [account.amoAccountId, 500, 1],
      [account.amoAccountId, 500, 2],
    ],
  );
  const [first, second] = retries.map((l) => Number(l.delayMs));
  assert.ok(first! >= 150 && first! <= 450 && second! >= 300 && second! <= 900, `back-offs ${first}, ${second} ms`);
  assert.ok(clock.sleeps.some((ms) => Math.round(ms) === second));
  assert.deepEqual(
    emu.control.requests
      .list({ path: '/api/v4/account' })
      .map((r) => r.status)
      .slice(-3),
    [500, 500, 200],
  );

  emu.control.faults.add({ path: '/api/v4/leads', method: 'POST', status: 503, times: 1 });
  await assert.rejects(api.leads.create([{ name: 'x' }]), isAmo('UNAVAILABLE', true));
  assert.equal(emu.control.requests.list({ method: 'POST', path: '/api/v4/leads' }).length, 1, 'a write is not repeated in-process');

  emu.control.faults.add({ path: '/api/v4/users', status: 403, times: 1 });
  await assert.rejects(api.users(), isAmo('BLOCKED', true));
  assert.match(await h.hub.metrics.registry.metrics(), /hub_alerts_total\{kind="partner_block",partner="amocrm"\} 1/);
  assert.ok(h.logs.some((l) => l.level === 50 && /blocked/.test(String(l.msg))));
  // Every process now waits out the block instead of hammering amoCRM.
  const before = emu.control.requests.list().length;
  const other = createAmoConnector(h.hub);
  await assert.rejects(other.api(account.amoAccountId).account(), isAmo('RATE_LIMITED', true));
  assert.equal(emu.control.requests.list().length, before);
});

test('API calls across connector instances never exceed 7 requests per second', async (t) => {
  const { emu, h, amo } = await amoTestBed(t);
  const { account } = await connect(amo);
  const other = createAmoConnector(h.hub);
  emu.control.requests.clear();
  const calls = Array.from({ length: 40 }, (_, i) => (i % 2 ? amo : other).api(account.amoAccountId).account());
  await Promise.all(calls);
  assert.equal(emu.control.requests.list({ path: '/api/v4/account' }).length, 40);
  assert.ok(
    emu.control.requests.maxPerSecond({ path: '/api/v4/' }) <= 7,
    `max ${emu.control.requests.maxPerSecond({ path: '/api/v4/' })} per second`,
  );
  assert.equal(emu.control.requests.list({ status: 429 }).length, 0);
});

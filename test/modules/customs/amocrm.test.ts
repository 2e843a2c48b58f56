// Alta's notifications all the way into amoCRM (the emulator): the account's mapping moves the lead to its stage,
// fills fields from the notification and adds a note; an older status arriving late changes nothing; a code without
// its own mapping takes the kind's '*'; the deal timeline shows every step. Also: mappings are checked against the
// account before they are saved, a ПТД export leaves a note on the lead, and one account's token never reaches
// another account's deals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../helpers/hub.js';
import { ACCOUNT, admin, connectAccount, exportPtd, OTHER_ACCOUNT, tokenOf } from './helpers.js';
import { bed, lead, notes, post, ptd, settled, timeline } from './amo-bed.js';
import { oneCar } from './requests.js';

test('a mapped ПТД status moves the lead, fills its field and notes it; the timeline shows each step', async (t) => {
  const b = await bed(t);
  const set = await admin(b.h, 'PUT', `/customs/accounts/${ACCOUNT}/mappings/ptd/10`, {
    status_id: b.stage.released,
    fields: [{ field_id: b.field, value: '{registrationNumber}' }],
    note: 'ПТД: {label}. Рег. номер {registrationNumber}, решение от {decisionDate}',
  });
  assert.equal(set.statusCode, 200, set.body);
  const body = { statusName: 'Выпуск разрешен', registrationNumber: '10702070/030325/0012345', decisionDate: '2025-03-03' };
  const res = await ptd(b, 'alta-1', '2025-03-03T12:40:00+03:00', '10', body);
  assert.equal(res.statusCode, 200, res.body);
  await settled(b, 1);
  assert.equal(lead(b).status_id, b.stage.released);
  assert.deepEqual(lead(b).custom_fields_values?.find((f) => f.field_id === b.field)?.values[0]?.value, '10702070/030325/0012345');
  assert.deepEqual(notes(b), ['ПТД: Выпуск без уплаты платежей. Рег. номер 10702070/030325/0012345, решение от 2025-03-03']);
  // The same event again: acknowledged, not applied twice.
  assert.equal((await ptd(b, 'alta-1', '2025-03-03T12:40:00+03:00', '10', body)).json().duplicate, true);
  const events = await timeline(b);
  assert.deepEqual(
    events.map((e) => [e.kind, e.step, e.code]),
    [
      ['ptd', 'received', '10'],
      ['ptd', 'recorded', '10'],
      ['ptd', 'amo_updated', '10'],
    ],
  );
  assert.match(events[0]!.raw!, /^\/admin\/v1\/inbox\/\d+$/);
  const raw = await admin(b.h, 'GET', events[0]!.raw!.replace('/admin/v1', ''));
  assert.equal(raw.statusCode, 200);
  assert.equal(JSON.parse(raw.json().body).eventId, 'alta-1', 'the raw request is one link away');
  assert.equal(notes(b).length, 1);
});

test('an older status arriving late is recorded as stale and does not move the lead back; unknown codes take "*"', async (t) => {
  const b = await bed(t);
  await admin(b.h, 'PUT', `/customs/accounts/${ACCOUNT}/mappings/ptd/inspection`, { status_id: b.stage.other });
  await admin(b.h, 'PUT', `/customs/accounts/${ACCOUNT}/mappings/ptd/registered`, { status_id: b.stage.released });
  const fallback = await admin(b.h, 'PUT', `/customs/accounts/${ACCOUNT}/mappings/ptd/*`, { note: '{title}: {label} ({code})' });
  assert.equal(fallback.statusCode, 200, fallback.body);
  await ptd(b, 'e2', '2025-03-03T12:00:00Z', 'inspection');
  await settled(b, 1);
  await ptd(b, 'e1', '2025-03-03T10:00:00Z', 'registered');
  const steps = await settled(b, 2);
  assert.deepEqual(
    steps.map((s) => [s.code, s.step]),
    [
      ['registered', 'stale'],
      ['inspection', 'amo_updated'],
    ],
    'ordered by when each status was set',
  );
  assert.equal(lead(b).status_id, b.stage.other, 'the older status did not move the lead back');
  await ptd(b, 'e3', '2025-03-03T13:00:00Z', 'NEW_ALTA_STATE');
  await settled(b, 3);
  assert.deepEqual(notes(b), ['Статус ПТД: NEW_ALTA_STATE (NEW_ALTA_STATE)']);
  const statuses = (await admin(b.h, 'GET', `/customs/leads/${b.leadId}/statuses`)).json().statuses;
  assert.deepEqual(
    statuses.map((s: { code: string; label: string | null }) => [s.code, s.label]),
    [['NEW_ALTA_STATE', null]],
  );
});

test('a status without a mapping is recorded and amoCRM is left alone; a transit status has its own mapping', async (t) => {
  const b = await bed(t);
  await admin(b.h, 'PUT', `/customs/accounts/${ACCOUNT}/mappings/transit/TR_ALLOWED`, {
    pipeline_id: b.stage.pipeline,
    status_id: b.stage.other,
    note: 'Транзит {number}: {label}, до {dateLimit}',
  });
  await ptd(b, 'p1', '2025-03-01T10:00:00Z', '31');
  const transit = {
    eventId: 'td-1',
    leadId: b.leadId,
    occurredAt: '2025-02-28T09:00:00+03:00',
    status: 'TR_ALLOWED',
    number: '10716050/280225/0034567',
    dateLimit: '2025-03-10',
  };
  assert.equal((await post(b, '/alta/transit-declaration/status-webhook', transit)).statusCode, 200);
  const steps = await settled(b, 2);
  assert.deepEqual(steps.map((s) => [s.kind, s.step]).sort(), [
    ['ptd', 'no_mapping'],
    ['transit', 'amo_updated'],
  ]);
  assert.equal(lead(b).status_id, b.stage.other);
  assert.deepEqual(notes(b), ['Транзит 10716050/280225/0034567: Выпуск для транзита разрешён, до 2025-03-10']);
});

test('a mapping is checked against the account and the kind before it is saved', async (t) => {
  const b = await bed(t);
  const bad = await admin(b.h, 'PUT', `/customs/accounts/${ACCOUNT}/mappings/ptd/10`, {
    pipeline_id: b.stage.pipeline,
    status_id: 999999,
    fields: [{ field_id: 424242, value: '{registrationNumbr}' }],
    note: '{nope}',
  });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.code, 'MAPPING_INVALID');
  assert.deepEqual(
    bad
      .json()
      .error.details.map((p: { field: string; code: string }) => `${p.field}:${p.code}`)
      .sort(),
    ['fields.0.field_id:UNKNOWN_FIELD', 'fields.0.value:UNKNOWN_PLACEHOLDER', 'note:UNKNOWN_PLACEHOLDER', 'status_id:UNKNOWN_STATUS'],
  );
  assert.equal((await admin(b.h, 'PUT', `/customs/accounts/${ACCOUNT}/mappings/nothing/10`, {})).statusCode, 400);
  assert.equal(
    (await admin(b.h, 'PUT', `/customs/accounts/555/mappings/ptd/10`, { note: 'x' })).json().error.code,
    'ACCOUNT_NOT_CONNECTED',
  );
  assert.equal((await admin(b.h, 'PUT', `/customs/accounts/${ACCOUNT}/mappings/ptd/10`, { note: 'ok {label}' })).statusCode, 200);
  const list = (await admin(b.h, 'GET', `/customs/accounts/${ACCOUNT}/mappings`)).json().mappings;
  assert.deepEqual(
    list.map((m: { kind: string; code: string; note: string }) => [m.kind, m.code, m.note]),
    [['ptd', '10', 'ok {label}']],
  );
  assert.equal((await admin(b.h, 'DELETE', `/customs/accounts/${ACCOUNT}/mappings/ptd/10`)).statusCode, 200);
  assert.equal((await admin(b.h, 'DELETE', `/customs/accounts/${ACCOUNT}/mappings/ptd/10`)).statusCode, 404);
  const kinds = (await admin(b.h, 'GET', '/customs/kinds')).json().kinds;
  assert.ok(kinds.find((k: { kind: string; placeholders: string[] }) => k.kind === 'ptd').placeholders.includes('registrationNumber'));
});

test('a ПТД export leaves a note on the lead and a line on the timeline', async (t) => {
  const b = await bed(t);
  const amocrm = await tokenOf(b.h, 'amocrm');
  const res = await exportPtd(b.h, { ...oneCar, leadId: b.leadId }, { token: amocrm });
  assert.equal(res.statusCode, 200, res.body);
  const documentId = String(res.headers['x-ptd-document-id']);
  const [note] = await eventually(async () => (notes(b).length ? notes(b) : undefined));
  assert.match(note!, /^Сформирован XML ПТД для Альты/);
  assert.ok(note!.includes(`DocumentID: ${documentId}`));
  const events = await eventually(async () => {
    const e = await timeline(b);
    return e.some((x) => x.step === 'amo_noted') ? e : undefined;
  });
  assert.deepEqual(
    events.map((e) => [e.kind, e.step]),
    [
      ['ptd_export', 'exported'],
      ['ptd_export', 'amo_noted'],
    ],
  );
  const exports = (await admin(b.h, 'GET', `/customs/leads/${b.leadId}/ptd-exports`)).json().exports;
  assert.equal(exports[0].account_id, ACCOUNT);
});

test("one account's token reaches its own deals only", async (t) => {
  const b = await bed(t);
  await connectAccount(b.h, OTHER_ACCOUNT);
  const otherAlta = await tokenOf(b.h, 'alta', OTHER_ACCOUNT);
  await admin(b.h, 'PUT', `/customs/accounts/${ACCOUNT}/mappings/ptd/*`, { status_id: b.stage.released });
  // The other account's Alta reports on a lead id that exists in this account: it lands in the other account only.
  assert.equal((await ptd(b, 'x-1', '2025-03-03T12:00:00Z', '10')).statusCode, 200);
  assert.equal(
    (
      await post(
        b,
        '/alta/ptd/status-webhook',
        { eventId: 'x-1', leadId: b.leadId, occurredAt: '2025-03-03T13:00:00Z', status: '90' },
        otherAlta,
      )
    ).json().duplicate,
    false,
  );
  await eventually(async () =>
    (await timeline(b)).filter((e) => e.step === 'amo_updated' || e.step === 'no_mapping').length === 2 ? true : undefined,
  );
  const mine = (await admin(b.h, 'GET', `/customs/leads/${b.leadId}/statuses?account=${ACCOUNT}`)).json().statuses;
  const theirs = (await admin(b.h, 'GET', `/customs/leads/${b.leadId}/statuses?account=${OTHER_ACCOUNT}`)).json().statuses;
  assert.deepEqual([mine.map((s: { code: string }) => s.code), theirs.map((s: { code: string }) => s.code)], [['10'], ['90']]);
  assert.equal(lead(b).status_id, b.stage.released, "the other account's status did not touch this account's lead");
  const otherTimeline = (await admin(b.h, 'GET', `/deals/${b.leadId}/timeline?account=${OTHER_ACCOUNT}`)).json().events;
  assert.deepEqual(
    otherTimeline.map((e: { step: string }) => e.step),
    ['received', 'recorded', 'no_mapping'],
  );
});

test('amoCRM failing for a while delays the update, never drops or doubles it', async (t) => {
  const b = await bed(t);
  await admin(b.h, 'PUT', `/customs/accounts/${ACCOUNT}/mappings/ptd/10`, { status_id: b.stage.released, note: '{label}' });
  const rule = b.h.amoEmu.control.faults.add({ path: '/api/v4/leads', method: 'PATCH', status: 503 });
  assert.equal((await ptd(b, 'o-1', '2025-03-03T12:00:00Z', '10')).statusCode, 200, 'accepted while amoCRM is down');
  const failed = await eventually(async () => {
    const [row] = await b.h.hub.database.query<{ attempts: number; status: string }>(
      "select attempts, status from inbox_messages where source = 'alta'",
    );
    return row && row.attempts >= 2 ? row : undefined;
  });
  assert.notEqual(failed.status, 'processed');
  assert.equal(lead(b).status_id, b.stage.first, 'nothing applied while amoCRM refuses');
  b.h.amoEmu.control.faults.remove(rule);
  await settled(b, 1);
  assert.equal(lead(b).status_id, b.stage.released);
  assert.deepEqual(notes(b), ['Выпуск без уплаты платежей'], 'one note after the retries');
  assert.deepEqual(
    (await timeline(b)).map((e) => e.step),
    ['received', 'recorded', 'amo_updated'],
    'each step written once across the attempts',
  );
});

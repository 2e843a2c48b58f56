// ВЭД-склад's webhooks end to end through the amoCRM emulator: /ved-sklad/svh-release-webhook (goods at the СВХ)
// and /ved-sklad/lab-documents-webhook (ЭПТС, СБКТС, files — the lab's token or the warehouse's, forwarding). Each is
// stored before the 200, recorded by a worker and applied to the lead by the account's mapping: stage, fields, note.
// A repeat is acknowledged once; an older status arriving late is only written down; an unknown code is kept and
// takes the '*' mapping; a wrong token is 401, a malformed body or a Latin look-alike in the СБКТС number 400.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../helpers/hub.js';
import { admin, customsHub, tokenOf, type CustomsTestHub } from './helpers.js';

// Cyrillic letters spelled as escapes, so the test cannot pass by a swapped script: ТС RU А-DE.НУ08.71226
const SBKTS = '\u0422\u0421 RU \u0410-DE.\u041D\u0423\u0030\u0038.71226';
const FILES = [
  { name: 'ЭПТС.pdf', url: 'https://lab.example.ru/files/epts-164301000123456.pdf', kind: 'epts' },
  { name: 'СБКТС.pdf', url: 'https://lab.example.ru/files/sbkts-71226.pdf', kind: 'sbkts' },
];

async function bed(t: TestContext) {
  const h = await customsHub(t);
  const account = h.amoEmu.control.accounts().find((a) => a.id === h.accountId)!;
  const stages = account.pipelines.find((p) => p.is_main)!.statuses.filter((s) => s.id !== 142 && s.id !== 143);
  assert.ok(stages.length >= 3, 'the emulator seeds a main pipeline with stages');
  const field = (name: string) => h.amoEmu.control.addCustomField('leads', { name, type: 'text' }, account.subdomain);
  const fields = { declaration: field('Номер ДТ'), epts: field('Номер ЭПТС'), sbkts: field('Номер СБКТС') };
  const [lead] = await h.connectors.amo.api(h.accountId).leads.create([{ name: 'x' }]);
  const tokens = { vedSklad: await tokenOf(h, 'ved-sklad'), lab: await tokenOf(h, 'lab'), alta: await tokenOf(h, 'alta') };
  // The emulator's views of the lead, in the test account (its control defaults to another one).
  const view = {
    lead: () => h.amoEmu.control.entities.get('leads', lead!.id, account.subdomain)!,
    notes: () => h.amoEmu.control.entities.notes('leads', lead!.id, account.subdomain).map((n) => (n.params as { text: string }).text),
  };
  return { h, stages, fields, leadId: lead!.id, tokens, ...view };
}

function post(h: CustomsTestHub, path: string, body: unknown, token?: string) {
  return h.app.inject({
    method: 'POST',
    url: `/ved-sklad${path}`,
    headers: { 'content-type': 'application/json', ...(token ? { 'x-hub-token': token } : {}) },
    payload: JSON.stringify(body),
  });
}

async function map(h: CustomsTestHub, kind: string, code: string, mapping: object) {
  const res = await admin(h, 'PUT', `/customs/accounts/${h.accountId}/mappings/${kind}/${encodeURIComponent(code)}`, mapping);
  assert.equal(res.statusCode, 200, res.body);
}

/** Waits until `n` notifications of the source have been processed (the worker's job done). */
const processed = (h: CustomsTestHub, source: string, n: number) =>
  eventually(async () => {
    const [row] = await h.hub.database.query<{ n: number }>(
      "select count(*)::int as n from inbox_messages where source = $1 and status = 'processed'",
      [source],
    );
    return row!.n >= n ? row!.n : undefined;
  });
const stored = async (h: CustomsTestHub) =>
  (await h.hub.database.query<{ n: number }>('select count(*)::int as n from inbox_messages'))[0]!.n;
const statusOf = async (h: CustomsTestHub, leadId: number, kind: string) =>
  ((await admin(h, 'GET', `/customs/leads/${leadId}/statuses`)).json().statuses as Array<Record<string, unknown>>).find(
    (s) => s.kind === kind,
  );
const fieldValue = (entity: Record<string, unknown>, id: number) =>
  (entity.custom_fields_values as Array<{ field_id: number; values: Array<{ value: unknown }> }> | null)?.find((f) => f.field_id === id)
    ?.values[0]?.value;
const steps = async (h: CustomsTestHub, leadId: number) =>
  ((await admin(h, 'GET', `/deals/${leadId}/timeline`)).json().events as Array<{ step: string; kind: string }>).map((e) => e.step);

const svh = (leadId: number, eventId: string, occurredAt: string, status: string, extra: object = {}) => ({
  eventId,
  leadId,
  occurredAt,
  status,
  ...extra,
});

test('СВХ release: stored, recorded, the lead moved to the mapped stage with the number and a note; a repeat once', async (t) => {
  const { h, stages, fields, leadId, tokens, lead, notes } = await bed(t);
  await map(h, 'svh', 'release_permitted', {
    status_id: stages[2]!.id,
    fields: [{ field_id: fields.declaration, value: '{registrationNumber}' }],
    note: '{title}: {label}. ДО-1 {reportNumber} от {reportDate}, СВХ {svhLicenceNumber}',
  });
  const body = svh(leadId, 'svh-1', '2025-03-04T10:15:00+03:00', 'release_permitted', {
    reportNumber: '10702030/040325/0001234',
    reportDate: '2025-03-04',
    registrationNumber: '10702070/030325/0012345',
    releaseDate: '2025-03-03',
    svhLicenceNumber: '10702/250322/10012/1',
    vin: 'WVWZZZ1KZAW123456',
  });
  const res = await post(h, '/svh-release-webhook', body, tokens.vedSklad);
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { success: true, message: 'Уведомление принято', duplicate: false });
  await processed(h, 'ved-sklad', 1);
  const status = await statusOf(h, leadId, 'svh');
  assert.equal(status!.code, 'release_permitted');
  assert.equal(status!.label, 'Выпуск разрешён, товар можно выдавать (WHGoodOut)');
  assert.equal((status!.details as Record<string, unknown>).svhLicenceNumber, '10702/250322/10012/1');
  const after = lead();
  assert.equal(after.status_id, stages[2]!.id);
  assert.equal(fieldValue(after, fields.declaration), '10702070/030325/0012345');
  assert.deepEqual(notes(), [
    'Товар на СВХ: Выпуск разрешён, товар можно выдавать (WHGoodOut). ДО-1 10702030/040325/0001234 от 2025-03-04, СВХ 10702/250322/10012/1',
  ]);

  const again = await post(h, '/svh-release-webhook', body, tokens.vedSklad);
  assert.deepEqual(again.json(), { success: true, message: 'Уведомление принято', duplicate: true });
  assert.equal(await stored(h), 1, 'the repeat is not stored again');
  assert.equal(notes().length, 1, 'nor processed again');
});

test('СВХ: an older status arriving late is stale (the stage stays); an unknown code is kept and takes the * mapping', async (t) => {
  const { h, stages, leadId, tokens, lead, notes } = await bed(t);
  await map(h, 'svh', 'arrived', { status_id: stages[1]!.id, note: 'Размещён на СВХ' });
  await map(h, 'svh', 'released', { status_id: stages[3]!.id });
  await map(h, 'svh', '*', { note: 'Склад: {code} ({label}) {comment}' });
  assert.equal(
    (await post(h, '/svh-release-webhook', svh(leadId, 'e2', '2025-03-05T12:00:00Z', 'released'), tokens.vedSklad)).statusCode,
    200,
  );
  await processed(h, 'ved-sklad', 1);
  assert.equal(lead().status_id, stages[3]!.id);
  assert.equal(
    (await post(h, '/svh-release-webhook', svh(leadId, 'e1', '2025-03-04T09:00:00Z', 'arrived'), tokens.vedSklad)).statusCode,
    200,
  );
  await processed(h, 'ved-sklad', 2);
  assert.equal(lead().status_id, stages[3]!.id, 'not moved back to «arrived»');
  assert.equal((await statusOf(h, leadId, 'svh'))!.code, 'released');
  assert.ok((await steps(h, leadId)).includes('stale'));
  assert.deepEqual(notes(), [], 'the stale status left no note');

  const unknown = svh(leadId, 'e3', '2025-03-06T08:00:00Z', 'customs_hold', { comment: 'Повторный досмотр' });
  assert.equal((await post(h, '/svh-release-webhook', unknown, tokens.vedSklad)).statusCode, 200);
  await processed(h, 'ved-sklad', 3);
  const status = await statusOf(h, leadId, 'svh');
  assert.deepEqual([status!.code, status!.label], ['customs_hold', null]);
  assert.deepEqual(notes(), ['Склад: customs_hold (customs_hold) Повторный досмотр']);
  assert.equal(lead().status_id, stages[3]!.id, 'the * mapping names no stage');
});

test('СВХ: another source token is 401, a malformed body 400 by field; nothing is stored', async (t) => {
  const { h, leadId, tokens } = await bed(t);
  const body = svh(leadId, 'x', '2025-03-04T10:00:00Z', 'arrived');
  for (const token of [undefined, tokens.alta, tokens.lab]) {
    const res = await post(h, '/svh-release-webhook', body, token);
    assert.equal(res.statusCode, 401, `token ${token?.slice(0, 6)}`);
    assert.equal(res.json().success, false);
  }
  const bad = await post(
    h,
    '/svh-release-webhook',
    { ...body, registrationNumber: '10702070/030325/0012345/9', svhLicenceNumber: 'СВХ №1', extra: 1 },
    tokens.vedSklad,
  );
  assert.equal(bad.statusCode, 400, bad.body);
  assert.equal(bad.json().error.code, 'VALIDATION_FAILED');
  const fieldsNamed = (bad.json().error.problems as Array<{ field: string }>).map((p) => p.field);
  assert.ok(
    fieldsNamed.length >= 1 && fieldsNamed.every((f) => ['registrationNumber', 'svhLicenceNumber', 'extra'].includes(f)),
    fieldsNamed.join(),
  );
  assert.equal(await stored(h), 0);
});

test('lab documents forwarded by ВЭД-склад: numbers in lead fields as sent (Cyrillic kept), a note with the file links', async (t) => {
  const { h, stages, fields, leadId, tokens, lead, notes } = await bed(t);
  await map(h, 'lab', 'documents_ready', {
    status_id: stages[2]!.id,
    fields: [
      { field_id: fields.epts, value: '{eptsNumber}' },
      { field_id: fields.sbkts, value: '{sbktsNumber}' },
    ],
    note: 'Документы лаборатории готовы:\n{files}',
  });
  const body = {
    eventId: 'lab-1',
    leadId,
    occurredAt: '2025-03-12T16:05:00+03:00',
    status: 'documents_ready',
    eptsNumber: '164301000123456',
    sbktsNumber: SBKTS,
    files: FILES,
  };
  const res = await post(h, '/lab-documents-webhook', body, tokens.vedSklad);
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().duplicate, false);
  await processed(h, 'lab', 1);
  const after = lead();
  assert.equal(after.status_id, stages[2]!.id);
  assert.equal(fieldValue(after, fields.epts), '164301000123456');
  assert.equal(fieldValue(after, fields.sbkts), SBKTS, 'the СБКТС number reaches amoCRM letter for letter');
  assert.deepEqual(notes(), [
    'Документы лаборатории готовы:\nЭПТС.pdf: https://lab.example.ru/files/epts-164301000123456.pdf\nСБКТС.pdf: https://lab.example.ru/files/sbkts-71226.pdf',
  ]);
  const status = await statusOf(h, leadId, 'lab');
  assert.equal(status!.label, 'Документы лаборатории готовы');
  assert.equal((status!.details as { warnings?: unknown }).warnings, undefined, 'an EEC-form ЭПТС number is not flagged');

  // The lab sends the same event itself: one notification, whoever sent it.
  const again = await post(h, '/lab-documents-webhook', body, tokens.lab);
  assert.equal(again.json().duplicate, true);
  assert.equal(await stored(h), 1);
  assert.equal(notes().length, 1);
});

test('lab: an older status is stale, an unknown code takes *, an ЭПТС number not in the EEC form is a warning in the note', async (t) => {
  const { h, stages, leadId, tokens, lead, notes } = await bed(t);
  await map(h, 'lab', 'sbkts_issued', { status_id: stages[3]!.id, note: 'СБКТС {sbktsNumber}' });
  await map(h, 'lab', 'eptc_issued', { status_id: stages[1]!.id });
  await map(h, 'lab', '*', { note: 'Лаборатория: {code}, {label}' });
  const lab = (eventId: string, occurredAt: string, status: string, extra: object = {}) => ({
    eventId,
    leadId,
    occurredAt,
    status,
    ...extra,
  });
  const first = lab('l2', '2025-03-12T12:00:00Z', 'sbkts_issued', { sbktsNumber: SBKTS, eptsNumber: '964301000123456' });
  assert.equal((await post(h, '/lab-documents-webhook', first, tokens.lab)).statusCode, 200);
  await processed(h, 'lab', 1);
  assert.equal(lead().status_id, stages[3]!.id);
  const warnings = ((await statusOf(h, leadId, 'lab'))!.details as { warnings: Array<{ field: string; code: string; message: string }> })
    .warnings;
  assert.deepEqual(
    warnings.map((w) => [w.field, w.code]),
    [['eptsNumber', 'EPTS_EEC_FORMAT']],
  );
  assert.deepEqual(notes(), [`СБКТС ${SBKTS}\n\nЗамечания:\n${warnings[0]!.message}`]);

  assert.equal((await post(h, '/lab-documents-webhook', lab('l1', '2025-03-11T12:00:00Z', 'eptc_issued'), tokens.lab)).statusCode, 200);
  await processed(h, 'lab', 2);
  assert.equal(lead().status_id, stages[3]!.id, 'not moved back');
  assert.equal((await statusOf(h, leadId, 'lab'))!.code, 'sbkts_issued');

  assert.equal((await post(h, '/lab-documents-webhook', lab('l3', '2025-03-13T12:00:00Z', 'recalled'), tokens.lab)).statusCode, 200);
  await processed(h, 'lab', 3);
  const status = await statusOf(h, leadId, 'lab');
  assert.deepEqual([status!.code, status!.label], ['recalled', null]);
  assert.equal(notes().at(-1), 'Лаборатория: recalled, recalled');
  assert.equal(notes().length, 2);
});

test('lab: alta’s token is 401; a malformed body and a Latin look-alike in the СБКТС number are 400; nothing stored', async (t) => {
  const { h, leadId, tokens } = await bed(t);
  const body = { eventId: 'x', leadId, occurredAt: '2025-03-12T12:00:00Z', status: 'documents_ready', sbktsNumber: SBKTS };
  assert.equal((await post(h, '/lab-documents-webhook', body, tokens.alta)).statusCode, 401);

  const malformed = await post(
    h,
    '/lab-documents-webhook',
    { ...body, eptsNumber: '16430100012345', files: [{ name: 'a.pdf', url: 'http://lab.example.ru/a.pdf' }] },
    tokens.lab,
  );
  assert.equal(malformed.statusCode, 400, malformed.body);
  assert.equal(malformed.json().error.code, 'VALIDATION_FAILED');
  assert.ok((malformed.json().error.problems as Array<{ field: string }>).length >= 1);

  const latin = await post(h, '/lab-documents-webhook', { ...body, sbktsNumber: SBKTS.replace('\u0410', 'A') }, tokens.vedSklad);
  assert.equal(latin.statusCode, 400, latin.body);
  const { error } = latin.json();
  assert.equal(error.code, 'VALIDATION_FAILED');
  assert.deepEqual(
    (error.problems as Array<{ field: string; code: string }>).map((p) => [p.field, p.code]),
    [['sbktsNumber', 'SBKTS_LATIN_LETTER']],
  );
  assert.match(error.problems[0].message, /sbktsNumber.*«A».*латинская, нужна кириллическая «\u0410»/);
  assert.match(error.message, /кириллическая/);
  assert.equal(await stored(h), 0);
});

// The three /1c endpoints end to end, against the 1C and amoCRM emulators: stored in the inbox before the 200, a
// job performs the 1C action and applies the account's mapping of its result to the amoCRM lead (fields, stage,
// note), the timeline shows each step; a duplicate is acknowledged and not processed again; a wrong token is 401, a
// malformed body 400 (nothing stored); 1C down → the job retries → one counterparty, one invoice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, tokenOf } from './helpers.js';
import { fieldValue, leadField, leadOf, mapping, onecCustomsHub, post1c, processed, withBase } from './onec-helpers.js';

const clientData = (leadId: number, eventId = 'amo-evt-1') => ({
  eventId,
  leadId,
  responsibleUserId: 8812345,
  client: { kind: 'contact', id: 4410021, name: 'Иванов Иван Иванович', phone: '+7 999 123-45-67', inn: '500100732259' },
});

const services = (leadId: number, eventId = 'amo-evt-2', date = '2026-02-10') => ({
  eventId,
  leadId,
  date,
  client: { name: 'Иванов Иван Иванович' },
  vatIncluded: true,
  lines: [
    { name: 'Таможенное оформление', quantity: 2, unit: 'усл', price: '305.00' },
    { name: 'Госпошлина (возмещение)', quantity: 1, price: 100, withoutVat: true },
  ],
});

test('client-data: a counterparty in 1C, its id_1c and link written to the lead; a repeat is a duplicate', async (t) => {
  const h = await onecCustomsHub(t);
  await withBase(h);
  const token = await tokenOf(h, 'amocrm');
  const { leadId } = await leadOf(h);
  const id1c = leadField(h, 'id 1С');
  await mapping(h, 'onec_client', 'linked', { fields: [{ field_id: id1c, value: '{id_1c}' }], note: 'Контрагент в 1С: {link}' });

  const res = await post1c(h, '/client-data', clientData(leadId), token);
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { success: true, message: 'Уведомление принято', duplicate: false });
  await processed(h, 'amocrm', 1);
  const [counterparty] = h.emu.control.counterparties();
  assert.equal(counterparty!.name, 'Иванов Иван Иванович');
  assert.equal(fieldValue(h, leadId, id1c), counterparty!.id_1c, 'id_1c written to the lead');
  const notes = h.amoEmu.control.entities.notes('leads', leadId, h.amoEmu.control.accounts().find((a) => a.id === h.accountId)!.subdomain);
  assert.equal(notes.length, 1);
  assert.match(JSON.stringify(notes[0]), /Справочник\.Контрагенты/);

  const again = await post1c(h, '/client-data', clientData(leadId), token);
  assert.equal(again.json().duplicate, true);
  assert.equal(h.emu.control.requests.list({ type: 'new_lead' }).length, 1, 'not sent to 1C again');

  const timeline = (await admin(h, 'GET', `/deals/${leadId}/timeline`)).json().events as Array<{
    step: string;
    kind: string;
    code: string | null;
  }>;
  assert.deepEqual(
    timeline.map((e) => e.step),
    ['received', 'performed', 'amo_updated'],
  );
  assert.equal(timeline[1]!.code, 'linked');
});

test('service-data-for-invoice: an invoice in 1C with VAT by date; number and sums to the lead; stage moved', async (t) => {
  const h = await onecCustomsHub(t);
  await withBase(h);
  const token = await tokenOf(h, 'amocrm');
  const { leadId, pipelineId, stages } = await leadOf(h);
  const number = leadField(h, 'Счёт 1С');
  const total = leadField(h, 'Сумма счёта');
  await mapping(h, 'onec_invoice', '*', {
    pipeline_id: pipelineId,
    status_id: stages[1],
    fields: [
      { field_id: number, value: '{number}' },
      { field_id: total, value: '{total} (НДС {vat})' },
    ],
    note: 'Счёт {number} на {total} ₽, в т. ч. НДС {vat} ₽',
  });
  assert.equal((await post1c(h, '/service-data-for-invoice', services(leadId), token)).statusCode, 200);
  await processed(h, 'amocrm', 1);
  const [invoice] = h.emu.control.invoices();
  assert.equal(invoice!.total, '710.00');
  assert.equal(invoice!.vat_total, '110.00', '22 % from 2026-01-01');
  assert.equal(fieldValue(h, leadId, number), '0000-000001');
  assert.equal(fieldValue(h, leadId, total), '710.00 (НДС 110.00)');
  const subdomain = h.amoEmu.control.accounts().find((a) => a.id === h.accountId)!.subdomain;
  assert.equal(h.amoEmu.control.entities.get('leads', leadId, subdomain)!.status_id, stages[1]);

  // A 2025 invoice of another event: 20 %.
  assert.equal((await post1c(h, '/service-data-for-invoice', services(leadId, 'amo-evt-3', '2025-12-31'), token)).statusCode, 200);
  await processed(h, 'amocrm', 2);
  assert.equal(h.emu.control.invoices()[1]!.vat_total, '101.67');
});

test('invoice-payment-webhook (source 1c): partial then full → paid sum and stage; older and duplicate change nothing', async (t) => {
  const h = await onecCustomsHub(t);
  await withBase(h);
  const amocrm = await tokenOf(h, 'amocrm');
  const onec = await tokenOf(h, '1c');
  const { leadId, pipelineId, stages } = await leadOf(h);
  const paid = leadField(h, 'Оплачено');
  await mapping(h, 'onec_payment', 'partially_paid', {
    fields: [{ field_id: paid, value: '{paid}' }],
    note: 'Частичная оплата {amount} ₽',
  });
  await mapping(h, 'onec_payment', 'paid', {
    pipeline_id: pipelineId,
    status_id: stages[2],
    fields: [{ field_id: paid, value: '{paid}' }],
  });
  await post1c(h, '/service-data-for-invoice', services(leadId), amocrm);
  await processed(h, 'amocrm', 1);
  const inv = h.emu.control.invoices()[0]!;
  const pay = (eventId: string, paidAt: string, amount: string, totalPaid: string, kind: string) => ({
    eventId,
    leadId,
    invoice: { id1c: inv.id_1c, number: inv.number },
    paidAt,
    amount,
    totalPaid,
    kind,
  });
  assert.equal(
    (await post1c(h, '/invoice-payment-webhook', pay('p1', '2026-02-11T10:00:00+03:00', '300.00', '300.00', 'partial'), amocrm)).statusCode,
    401,
    "amoCRM's token does not open 1C's webhook",
  );
  assert.equal(
    (await post1c(h, '/invoice-payment-webhook', pay('p1', '2026-02-11T10:00:00+03:00', '300.00', '300.00', 'partial'), onec)).statusCode,
    200,
  );
  await processed(h, '1c', 1);
  assert.equal(fieldValue(h, leadId, paid), '300.00');
  await post1c(h, '/invoice-payment-webhook', pay('p2', '2026-02-12T10:00:00+03:00', '410.00', '710.00', 'full'), onec);
  await processed(h, '1c', 2);
  await post1c(h, '/invoice-payment-webhook', pay('p0', '2026-02-10T10:00:00+03:00', '300.00', '300.00', 'partial'), onec);
  await processed(h, '1c', 3);
  assert.equal(fieldValue(h, leadId, paid), '710.00', 'the older notification did not lower the sum');
  const subdomain = h.amoEmu.control.accounts().find((a) => a.id === h.accountId)!.subdomain;
  assert.equal(h.amoEmu.control.entities.get('leads', leadId, subdomain)!.status_id, stages[2]);
  const dup = await post1c(h, '/invoice-payment-webhook', pay('p2', '2026-02-12T10:00:00+03:00', '410.00', '710.00', 'full'), onec);
  assert.equal(dup.json().duplicate, true);
  const [row] = await h.hub.database.query<{ paid_kopecks: string; status: string }>('select paid_kopecks, status from customs_invoices');
  assert.deepEqual([Number(row!.paid_kopecks), row!.status], [71_000, 'paid']);
});

test('bad token → 401, malformed body or a wrong ИНН → 400 naming the field; nothing stored or sent', async (t) => {
  const h = await onecCustomsHub(t);
  await withBase(h);
  const token = await tokenOf(h, 'amocrm');
  const { leadId } = await leadOf(h);
  for (const bad of [undefined, `${token}x`, await tokenOf(h, 'alta')]) {
    const res = await post1c(h, '/client-data', clientData(leadId), bad);
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().success, false);
  }
  const malformed = await post1c(h, '/client-data', { ...clientData(leadId), leadId: 'x', extra: 1 }, token);
  assert.equal(malformed.statusCode, 400);
  assert.equal(malformed.json().error.code, 'VALIDATION_FAILED');
  const inn = await post1c(h, '/client-data', clientData(leadId, 'e-inn'), token);
  const badInn = { ...clientData(leadId, 'e-inn'), client: { ...clientData(leadId).client, inn: '500100732258' } };
  assert.equal(inn.statusCode, 200);
  const refused = await post1c(h, '/client-data', badInn, token);
  assert.equal(refused.statusCode, 400);
  assert.deepEqual(
    refused.json().error.problems.map((p: { field: string; code: string }) => `${p.field}:${p.code}`),
    ['client.inn:INN_CHECKSUM'],
  );
  const money = await post1c(
    h,
    '/service-data-for-invoice',
    { ...services(leadId), lines: [{ name: 'x', quantity: 1, price: '1.005' }] },
    token,
  );
  assert.equal(money.statusCode, 400);
  const noDay = await post1c(h, '/service-data-for-invoice', services(leadId, 'e-day', '2026-02-30'), token);
  assert.equal(noDay.statusCode, 400, 'a day that does not exist');
  assert.ok(noDay.json().error.problems.some((p: { field: string }) => p.field === 'date'));
  const control = await post1c(
    h,
    '/client-data',
    { ...clientData(leadId, 'e-ctl'), client: { ...clientData(leadId).client, name: 'Иванов\u0007' } },
    token,
  );
  assert.equal(control.statusCode, 400, 'a control character in a name');
  const notJson = await post1c(h, '/service-data-for-invoice', '{"eventId":', token);
  assert.equal(notJson.statusCode, 400);
  assert.equal(notJson.json().success, false);
  const [row] = await h.hub.database.query<{ n: number }>("select count(*)::int as n from inbox_messages where source = 'amocrm'");
  assert.equal(row!.n, 1, 'only the one accepted request is stored');
});

test('1C down: the job is retried once 1C is back, and delivers exactly one counterparty and one invoice', async (t) => {
  const h = await onecCustomsHub(t);
  await withBase(h);
  const token = await tokenOf(h, 'amocrm');
  const { leadId } = await leadOf(h);
  const number = leadField(h, 'Счёт 1С');
  await mapping(h, 'onec_invoice', 'invoice_created', { fields: [{ field_id: number, value: '{number}' }] });
  // The first job attempt meets 1C down (all three in-call attempts); the second, a second later, gets through —
  // after one more lost answer, which the connector retries on its own.
  h.emu.control.faults.add({ path: '*/new_invoice', status: 503, times: 3 });
  h.emu.control.faults.add({ path: '*/new_lead', status: 502, times: 1 });
  assert.equal((await post1c(h, '/service-data-for-invoice', services(leadId), token)).statusCode, 200);
  assert.equal((await post1c(h, '/client-data', clientData(leadId), token)).statusCode, 200);
  await processed(h, 'amocrm', 2);
  assert.equal(h.emu.control.invoices().length, 1);
  assert.equal(h.emu.control.counterparties().length, 1);
  assert.ok(h.emu.control.requests.list({ type: 'new_invoice' }).length >= 4, 'tried while 1C was down');
  assert.equal(fieldValue(h, leadId, number), '0000-000001');
  const steps = ((await admin(h, 'GET', `/deals/${leadId}/timeline`)).json().events as Array<{ step: string; kind: string }>)
    .filter((e) => e.kind === 'onec_invoice')
    .map((e) => e.step);
  assert.deepEqual(steps, ['received', 'retrying', 'performed', 'amo_updated']);
});

test('the OpenAPI document publishes the three 1C operations and their schemas with Russian descriptions and examples', async (t) => {
  const h = await onecCustomsHub(t);
  const doc = (await h.app.inject({ url: '/openapi.json' })).json();
  const ops: Record<string, string> = {
    '/1c/client-data': 'ClientDataFor1C',
    '/1c/service-data-for-invoice': 'ServiceDataFor1CInvoice',
    '/1c/invoice-payment-webhook': 'InvoicePaymentNotification',
  };
  for (const [path, title] of Object.entries(ops)) {
    const op = doc.paths[path]?.post;
    assert.ok(op, `${path} is published`);
    assert.deepEqual(op.tags, ['1С']);
    assert.match(JSON.stringify(op.requestBody.content['application/json'].schema), new RegExp(title), `${path} takes ${title}`);
    // Published by name, as the seed refers to it (#/components/schemas/ClientDataFor1C).
    const named = doc.components.schemas[title];
    assert.ok(named, `components.schemas.${title}`);
    assert.match(named.description, /[а-яё]/i, 'described in Russian');
    assert.ok(named.examples?.length, 'with an example');
    for (const status of ['200', '400', '401']) assert.ok(op.responses[status], `${path} documents ${status}`);
  }
});

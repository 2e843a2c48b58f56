// The customs module's 1C services against the 1C emulator: the client as a counterparty (new_lead), invoices
// with VAT per line by the invoice date (20 % in 2025, 22 % from 2026), idempotent by event, 1C down → a retryable
// error and one invoice once it is back, and payments (partial, full, late and older, duplicate).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientDataFor1C, InvoicePaymentNotification, ServiceDataFor1CInvoice } from '../../../src/modules/customs/onec-contract.js';
import { ACCOUNT, failure, onecCustomsHub, withBase } from './onec-helpers.js';

const clientData = (over: Partial<ClientDataFor1C['client']> = {}): ClientDataFor1C => ({
  eventId: 'evt-client-1',
  leadId: 31245987,
  responsibleUserId: 8812345,
  client: { kind: 'contact', id: 4410021, name: 'Иванов Иван Иванович', phone: '+7 999 123-45-67', inn: '500100732259', ...over },
});

const services = (over: Partial<ServiceDataFor1CInvoice> = {}): ServiceDataFor1CInvoice => ({
  eventId: 'evt-inv-1',
  leadId: 31245987,
  date: '2026-02-10',
  client: { name: 'Иванов Иван Иванович' },
  vatIncluded: true,
  lines: [
    { name: 'Таможенное оформление', quantity: 2, unit: 'усл', price: '305.00' },
    { name: 'Госпошлина (возмещение)', quantity: 1, price: 100, withoutVat: true },
  ],
  ...over,
});

test('sendClient: the contact or company becomes a 1C counterparty; its id_1c and link come back', async (t) => {
  const h = await onecCustomsHub(t);
  assert.equal((await failure(() => h.onec.sendClient(ACCOUNT, clientData()))).code, 'ONEC_BASE_NOT_SET');
  await withBase(h);
  const contact = await h.onec.sendClient(ACCOUNT, clientData({ passport: { series: '4510', number: '123456' } }));
  assert.equal(contact.code, 'linked');
  const [stored] = h.emu.control.counterparties();
  assert.equal(contact.values.id_1c, stored!.id_1c);
  assert.equal(contact.values.link, stored!.link);
  assert.equal(stored!.kind, 'contact', "a person's ИНН does not make a company");
  assert.equal(stored!.custom.p_inn, '500100732259');
  assert.equal(stored!.custom.p_passport, '4510 123456');
  assert.equal(stored!.custom.p_lead_id, '31245987');

  const again = await h.onec.sendClient(ACCOUNT, clientData({ name: 'Иванов И. И.' }));
  assert.equal(again.values.id_1c, contact.values.id_1c, 'the same amoCRM contact: the same counterparty, updated');
  assert.equal(h.emu.control.counterparties()[0]!.name, 'Иванов И. И.');

  const company = await h.onec.sendClient(
    ACCOUNT,
    clientData({ kind: 'company', id: 77, name: 'ООО Ромашка', inn: '7707083893', kpp: '770701001' }),
  );
  const c = h.emu.control.counterparties().find((x) => x.id_1c === company.values.id_1c)!;
  assert.equal(c.kind, 'company');
  assert.equal(c.inn, '7707083893');
  assert.equal(c.custom.p_kpp, '770701001');
});

test('sendClient refuses what the schema cannot see, naming each field, before calling 1C', async (t) => {
  const h = await onecCustomsHub(t);
  await withBase(h);
  const err = await failure<{ code: string; details: Array<{ field: string; code: string }> }>(() =>
    h.onec.sendClient(ACCOUNT, clientData({ kind: 'company', inn: '500100732258', kpp: '770701001' })),
  );
  assert.equal(err.code, 'VALIDATION_FAILED');
  assert.deepEqual(
    err.details.map((p) => `${p.field}:${p.code}`),
    ['client.inn:INN_CHECKSUM', 'client.kpp:KPP_NOT_ALLOWED'],
  );
  const noInn = await failure<{ details: Array<{ code: string }> }>(() =>
    h.onec.sendClient(ACCOUNT, clientData({ kind: 'company', inn: undefined })),
  );
  assert.equal(noInn.details[0]!.code, 'INN_REQUIRED');
  assert.equal(h.emu.control.requests.list({ type: 'new_lead' }).length, 0);
});

test('createInvoice: VAT per line at 22 % from 2026-01-01 and 20 % before; totals are sums of lines', async (t) => {
  const h = await onecCustomsHub(t);
  await withBase(h);
  const in2026 = await h.onec.createInvoice(ACCOUNT, services());
  assert.equal(in2026.code, 'invoice_created');
  assert.equal(in2026.values.number, '0000-000001');
  assert.equal(in2026.values.total, '710.00');
  assert.equal(in2026.values.vat, '110.00', '2 × 305 ₽ incl. 22 % → 2 × 55 ₽; the «без НДС» line adds none');
  const [inv] = h.emu.control.invoices();
  assert.equal(inv!.request_id, `customs:${ACCOUNT}:evt-inv-1`);
  assert.deepEqual(
    inv!.lines.map((l) => [l.vat_rate, l.amount, l.vat_amount]),
    [
      [22, '610.00', '110.00'],
      [null, '100.00', '0.00'],
    ],
  );

  const in2025 = await h.onec.createInvoice(ACCOUNT, services({ eventId: 'evt-inv-2', date: '2025-12-31' }));
  assert.equal(in2025.values.vat, '101.67', '610 · 20/120 = 101.666… → 101.67');
  assert.equal(h.emu.control.invoices()[1]!.lines[0]!.vat_rate, 20);

  // VAT on top, rounded per line: three lines of 0.03 ₽ at 20 % (a 2025 date) are 0.006 → 0.01 each, 0.03 in all,
  // where rounding the document's 0.09 ₽ would give 0.018 → 0.02.
  const onTop = await h.onec.createInvoice(
    ACCOUNT,
    services({
      eventId: 'evt-inv-3',
      date: '2025-06-01',
      vatIncluded: false,
      lines: [1, 2, 3].map((i) => ({ name: `Услуга ${i}`, quantity: 1, price: '0.03' })),
    }),
  );
  assert.equal(onTop.values.vat, '0.03');
  assert.equal(onTop.values.total, '0.12');

  const [row] = await h.hub.database.query<{ total_kopecks: string; vat_kopecks: string; status: string; lead_id: string }>(
    `select total_kopecks, vat_kopecks, status, lead_id from customs_invoices where event_id = 'evt-inv-1'`,
  );
  assert.deepEqual(
    [Number(row!.total_kopecks), Number(row!.vat_kopecks), row!.status, Number(row!.lead_id)],
    [71_000, 11_000, 'issued', 31245987],
  );
});

test('createInvoice is idempotent by event: the same eventId twice makes one invoice in 1C', async (t) => {
  const h = await onecCustomsHub(t);
  await withBase(h);
  const first = await h.onec.createInvoice(ACCOUNT, services());
  const second = await h.onec.createInvoice(ACCOUNT, services());
  assert.deepEqual(second, first);
  assert.equal(h.emu.control.invoices().length, 1);
  assert.equal(h.emu.control.requests.list({ type: 'new_invoice' }).length, 1, 'the stored invoice is answered without calling 1C');

  // The hub lost its row after 1C made the invoice (a crash between the two): 1C answers the same invoice.
  await h.hub.database.query('delete from customs_invoices');
  const third = await h.onec.createInvoice(ACCOUNT, services());
  assert.equal(third.values.number, first.values.number);
  assert.equal(h.emu.control.invoices().length, 1);
  assert.equal(h.emu.control.invoices()[0]!.requests, 2);

  const bad = await failure<{ code: string; details: Array<{ field: string }> }>(() =>
    h.onec.createInvoice(ACCOUNT, services({ eventId: 'evt-bad', lines: [{ name: 'x', quantity: '1.0005', price: '1.005' }] })),
  );
  assert.equal(bad.code, 'VALIDATION_FAILED');
  assert.deepEqual(
    bad.details.map((p) => p.field),
    ['lines.0.price', 'lines.0.quantity'],
  );
});

test('1C down: the service throws a retryable error; once 1C is back the retry makes exactly one invoice', async (t) => {
  const h = await onecCustomsHub(t);
  await withBase(h);
  h.emu.control.faults.add({ path: '*/new_invoice', status: 503 });
  const err = await failure(() => h.onec.createInvoice(ACCOUNT, services()));
  assert.equal(err.code, 'UNAVAILABLE');
  assert.equal(err.retryable, true);
  assert.equal((await h.hub.database.query('select 1 from customs_invoices')).length, 0);

  h.emu.control.faults.clear();
  h.emu.control.faults.add({ path: '*/new_invoice', kind: 'answer_lost', times: 1 });
  const made = await h.onec.createInvoice(ACCOUNT, services());
  assert.equal(made.values.number, '0000-000001');
  assert.equal(h.emu.control.invoices().length, 1, 'the lost answer was retried and found the same invoice');

  h.emu.control.faults.add({ path: '*/new_lead', reset: true });
  const down = await failure(() => h.onec.sendClient(ACCOUNT, clientData()));
  assert.equal(down.retryable, true);
});

test('recordPayment: partial then full; a late older notification never lowers the sum; a duplicate is a no-op', async (t) => {
  const h = await onecCustomsHub(t);
  await withBase(h);
  const inv = await h.onec.createInvoice(ACCOUNT, services());
  const pay = (
    eventId: string,
    paidAt: string,
    amount: string,
    totalPaid: string,
    kind: 'full' | 'partial',
  ): InvoicePaymentNotification => ({
    eventId,
    leadId: 31245987,
    invoice: { id1c: inv.values.id_1c!, number: inv.values.number! },
    paidAt,
    amount,
    totalPaid,
    kind,
  });
  const part = await h.onec.recordPayment(ACCOUNT, pay('p1', '2026-02-11T10:00:00+03:00', '300.00', '300.00', 'partial'));
  assert.deepEqual(part, {
    code: 'partially_paid',
    values: { id_1c: inv.values.id_1c, number: '0000-000001', paid: '300.00', total: '710.00' },
  });
  const full = await h.onec.recordPayment(ACCOUNT, pay('p2', '2026-02-12T10:00:00+03:00', '410.00', '710.00', 'full'));
  assert.equal(full.code, 'paid');
  assert.equal(full.values.paid, '710.00');
  // The first notification redelivered late under another event id: older, smaller — changes nothing.
  const late = await h.onec.recordPayment(ACCOUNT, pay('p0', '2026-02-10T10:00:00+03:00', '300.00', '300.00', 'partial'));
  assert.deepEqual([late.code, late.values.paid], ['paid', '710.00']);
  const dup = await h.onec.recordPayment(ACCOUNT, pay('p2', '2026-02-12T10:00:00+03:00', '410.00', '710.00', 'full'));
  assert.deepEqual(dup, full, 'a duplicate answers the invoice as it stands');
  const rows = await h.hub.database.query('select event_id from customs_invoice_payments order by event_id');
  assert.deepEqual(
    rows.map((r) => r.event_id),
    ['p0', 'p1', 'p2'],
  );

  // An invoice the accountant made in 1C: recorded on its first payment, paid in full by the sums.
  const other = await h.onec.recordPayment(ACCOUNT, {
    ...pay('p9', '2026-03-01T09:00:00Z', '500', '500', 'partial'),
    invoice: { id1c: 'acc-made-1', number: '0000-000077', total: 500 },
  });
  assert.deepEqual([other.code, other.values.total, other.values.number], ['paid', '500.00', '0000-000077']);
  const bad = await failure<{ code: string }>(() =>
    h.onec.recordPayment(ACCOUNT, pay('p10', '2026-03-01T09:00:00Z', '500.001', '100', 'partial')),
  );
  assert.equal(bad.code, 'VALIDATION_FAILED');
});

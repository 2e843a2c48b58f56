// new_invoice (the hub's extension of seed §1): the connector's body and answer, the emulator's numbering, its
// dedupe by request_id (a repeat answers the same invoice, even after a lost answer the connector retried), and its
// 400s for missing fields and sums that are not its own recomputation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import type { OnecError, OnecInvoiceInput } from '../../../src/connectors/onec/index.js';
import { failure, onecTestBed } from './helpers.js';

/** 2 × 305 ₽ incl. 22 % (110 ₽ VAT) and 1 × 100 ₽ без НДС. */
const invoice = (over: Partial<OnecInvoiceInput> = {}): OnecInvoiceInput => ({
  request_id: 'customs:31000001:evt-1',
  lead_id: 9001,
  date: '2026-02-10',
  currency: 'RUB',
  client: { name: 'Иван Петров' },
  vat_included: true,
  lines: [
    { name: 'Таможенное оформление', quantity: 2, unit: 'усл', price: '305.00', amount: '610.00', vat_rate: 22, vat_amount: '110.00' },
    { name: 'Госпошлина (возмещение)', quantity: 1, price: '100.00', amount: '100.00', vat_rate: null, vat_amount: '0.00' },
  ],
  total: '710.00',
  vat_total: '110.00',
  ...over,
});

test('new_invoice: the body as documented, the answer parsed, numbered per base, deduped by request_id', async (t) => {
  const { emu, onec, target } = await onecTestBed(t);
  const made = await onec.createInvoice(target, invoice());
  assert.equal(made.number, '0000-000001');
  assert.equal(made.date, '2026-02-10');
  assert.equal(made.total, '710.00');
  assert.match(made.id_1c, /^[0-9a-f-]{36}$/);
  assert.match(made.link, /Документ\.СчетНаОплатуПокупателю\?ref=/);

  const [sent] = emu.control.requests.list({ type: 'new_invoice' });
  const body = sent!.body as Record<string, unknown>;
  assert.equal(body.key, target.key);
  assert.equal(body.id_base, target.idBase);
  assert.equal(body.request_id, 'customs:31000001:evt-1');
  assert.equal(body.currency, 'RUB');

  const again = await onec.createInvoice(target, invoice());
  assert.deepEqual(again, made, 'the same request_id: the same invoice');
  const other = await onec.createInvoice(target, invoice({ request_id: 'customs:31000001:evt-2' }));
  assert.equal(other.number, '0000-000002');
  const stored = emu.control.invoices();
  assert.equal(stored.length, 2);
  assert.equal(stored[0]!.requests, 2);
  assert.equal(stored[0]!.lines[1]!.vat_rate, null);
  assert.equal(stored[0]!.lines[1]!.unit, 'шт', "1C's default unit");
});

test('new_invoice is idempotent, so a lost answer or a 503 is retried in the call and makes one invoice', async (t) => {
  const { emu, onec, target } = await onecTestBed(t);
  emu.control.faults.add({ path: '*/new_invoice', kind: 'answer_lost', times: 1 });
  emu.control.faults.add({ path: '*/new_invoice', status: 503, times: 1 });
  const made = await onec.createInvoice(target, invoice());
  assert.equal(made.number, '0000-000001');
  assert.equal(emu.control.invoices().length, 1);
  assert.ok(emu.control.requests.list({ type: 'new_invoice' }).length >= 2, 'sent again');

  emu.control.faults.add({ path: '*/new_invoice', status: 503 });
  const down = await failure<OnecError>(() => onec.createInvoice(target, invoice({ request_id: 'r-2' })));
  assert.equal(down.code, 'UNAVAILABLE', 'not AMBIGUOUS: the request can be sent again as it is');
  assert.equal(down.retryable, true);
});

test('the emulator refuses missing fields and sums that are not its own, in Russian, as a permanent REJECTED', async (t) => {
  const { emu, onec, target } = await onecTestBed(t);
  const cases: Array<[Partial<OnecInvoiceInput> | Record<string, unknown>, RegExp]> = [
    [{ request_id: '' }, /не заполнены обязательные поля request_id/],
    [{ vat_total: '109.99' }, /НДС 109\.99 не равен сумме НДС строк \(110\.00\)/],
    [{ total: '700.00' }, /итог 700\.00 не равен сумме строк \(710\.00\)/],
    [{ currency: 'USD' }, /только RUB/],
    [{ date: '10.02.2026' }, /ГГГГ-ММ-ДД/],
    [
      {
        lines: [{ name: 'x', quantity: 1, price: '305.00', amount: '305.00', vat_rate: 22, vat_amount: '55.01' }],
        total: '305.00',
        vat_total: '55.01',
      },
      /сумма НДС 55\.01 не совпадает с расчётом 1С \(55\.00\)/,
    ],
    [
      { lines: [{ name: 'x', quantity: 1.5, price: '333.33', amount: '499.99', vat_rate: 20, vat_amount: '83.33' }] },
      /не равна цене × количество \(500\.00\)/,
    ],
    [{ lines: [{ name: 'x', quantity: 1, price: '1.00', amount: '1.00', vat_rate: 18, vat_amount: '0.15' }] }, /ставка НДС 18 неизвестна/],
  ];
  for (const [over, message] of cases) {
    const err = await failure<OnecError>(() =>
      onec.createInvoice(target, invoice({ request_id: `bad-${String(message)}`, ...over } as Partial<OnecInvoiceInput>)),
    );
    assert.equal(err.code, 'REJECTED', String(message));
    assert.equal(err.httpStatus, 400);
    assert.match(err.message, message);
  }
  assert.equal(emu.control.invoices().length, 0, 'nothing made');

  // The same over plain HTTP: a 400 `{ error }` in Russian.
  const res = await request(target.webAddress, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('amo:secret').toString('base64')}` },
    body: JSON.stringify({ key: 1, id_base: 'base1', type: 'new_invoice', request_id: 'x' }),
  });
  assert.equal(res.statusCode, 400);
  assert.match(((await res.body.json()) as { error: string }).error, /^new_invoice: не заполнены обязательные поля lead_id, date/);
  // And the control API lists the invoices of a base.
  await onec.createInvoice(target, invoice());
  const listed = await request(`${new URL(target.webAddress).origin}/_emulator/bases/base1/invoices`);
  const json = (await listed.body.json()) as unknown;
  const list = (Array.isArray(json) ? json : (json as { data: unknown[] }).data) as Array<{ number: string }>;
  assert.equal(list[0]!.number, '0000-000001');
});

// Seed 002 §6–7 replayed: invoices, payments and acts (the first half, §1–5, is seed.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, expect, sambaHub, tornadoWorld } from './helpers.js';

test('§6 invoices: create as the example (60000 → VAT 10000, УЛУ number), list, update by number+date, delete refused', async (t) => {
  const bed = await sambaHub(t);
  const { h, call } = bed;
  const w = await tornadoWorld(bed, { advance: true });
  const created = await expect(call('POST', '/po', { number: 'TEST PO #11', date: '20241008', rk_id: 'У191994', amount: 60000 }), 200);
  const uuid = created.result.uuid;
  assert.deepEqual(created, {
    status: 'ok',
    message: 'Счет на оплату покупателю успешно создан',
    result: { uuid, number: 'УЛУ000001/01', date: '2024-10-09T16:57:01', amount: 60000, vat: 10000 },
  });
  assert.deepEqual(await expect(call('GET', '/po?numberMF=%D0%A3000001'), 200), {
    status: 'ok',
    message: null,
    result: [
      {
        uuid,
        number: 'УЛУ000001/01',
        date: '2024-10-09T16:57:01',
        advance: true,
        amount: 60000,
        vat: 10000,
        uuid_rk: w.rk.uuid,
        rk_id: 'У191994',
        numberMF: 'У000001',
      },
    ],
  });
  // §6.4's example: uuid empty, found by the number and date the caller sent at creation
  const updated = await expect(
    call('PUT', '/po', { uuid: '', number: 'TEST PO #11', date: '20241008', rk_id: 'У191994', amount: 19729.97 }),
    200,
  );
  assert.deepEqual(updated, {
    status: 'ok',
    message: 'Счет на оплату покупателю обновлен',
    result: { uuid, number: 'УЛУ000001/01', date: '2024-10-09T16:57:01', amount: 19729.97, vat: 3288.33 },
  });
  // §7.1 / §6.5: a payment, then the deletion is refused listing it
  const pay = await admin(h, 'POST', '/samba/payments', {
    number_po: 'УЛУ000001/01',
    numberMF: 'БМ000003417',
    number: '145',
    date: '2024-09-17T23:53:18',
    amount: '10000.00',
    payment_details: 'ОПЛАТА ПО СЧЕТУ №УЛУ000001/01',
  });
  assert.equal(pay.statusCode, 201, pay.body);
  const refused = await expect(call('DELETE', '/po', { number: 'УЛУ000001/01', date: '20241009' }), 409);
  assert.deepEqual(refused, {
    status: 'error',
    message: 'Найдены документы по счету. Удаление невозможно',
    result: [
      {
        uuid,
        number: 'УЛУ000001/01',
        date: '2024-10-09T16:57:01',
        uuid_doc: pay.json().uuid,
        name_doc: 'Платежное поручение входящее БМ000003417 от 17.09.2024 23:53:18',
      },
    ],
  });
  assert.deepEqual(await expect(call('GET', `/payment/po?uuid=${uuid}`), 200), {
    status: 'ok',
    message: null,
    result: [
      {
        uuid: pay.json().uuid,
        doctype: 'Платежное поручение входящее',
        numberMF: 'БМ000003417',
        status: 'Частично оплачено',
        number: '145',
        date: '2024-09-17T23:53:18',
        paymentdate: '2024-09-17T23:53:18',
        amount: 10000,
        payment_details: 'ОПЛАТА ПО СЧЕТУ №УЛУ000001/01',
        uuid_po: uuid,
        number_po: 'УЛУ000001/01',
        date_po: '2024-10-09T16:57:01',
      },
    ],
  });
});

test("§7.2, §7.3 acts: sums per campaign and the two arrays with the example's field names", async (t) => {
  const bed = await sambaHub(t);
  const { h, call } = bed;
  const { rk } = await tornadoWorld(bed);
  const [p1, p2] = ['{8e9a83af-fe7e-4d4d-8642-ca6f01a395be}', '{081f755a-25ed-42cb-bdb2-a9faec51a725}'];
  for (const [placement, amount] of [
    [p1, 358709.16],
    [p2, 77995.22],
  ] as const)
    assert.equal((await admin(h, 'POST', '/samba/placements', { rk_id: 'У191994', placement, amount })).statusCode, 201);
  const acts = [
    [p1, 'Реализация товаров и услуг УМ0711/0001 от 07.11.2024 14:55:08', 179354.58],
    [p2, 'Реализация товаров и услуг УМ3108/0329 от 31.08.2024 0:00:00', 38997.61],
  ] as const;
  for (const [placement, document, amount] of acts)
    assert.equal((await admin(h, 'POST', '/samba/acts', { uuid_rk: rk.uuid, placement, document, amount })).statusCode, 201);
  const sums = { status: 'ok', message: null, result: [{ uuid_rk: rk.uuid, placements_amount: 436704.38, acts_amount: 218352.19 }] };
  assert.deepEqual(await expect(call('GET', `/acts/rk?uuid=${rk.uuid}`), 200), sums);
  assert.deepEqual(await expect(call('GET', '/acts/rk?rk_id=%D0%A3191994'), 200), sums);
  assert.deepEqual(await expect(call('GET', '/acts/rk'), 200), sums, 'no campaign named: every campaign with placements or acts');
  assert.deepEqual(await expect(call('GET', `/acts/rk/details?uuid=${rk.uuid}`), 200), {
    status: 'ok',
    message: null,
    result: [
      [
        { uuid_rk: rk.uuid, placement: p1, placement_amount: 358709.16 },
        { uuid_rk: rk.uuid, placement: p2, placement_amount: 77995.22 },
      ],
      acts.map(([placement, document, act_amount]) => ({ uuid_rk: rk.uuid, placement, document, act_amount })),
    ],
  });
});

// Invoices: VAT on both sides of 2026-01-01 (Moscow time), numbering under concurrent creation, campaign numbering
// under concurrency, payment statuses, list filters, and advance following the campaign.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, customer, expect, sambaHub, TestClock, TORNADO, tornadoWorld } from './helpers.js';

test("VAT: 20/120 up to 2025-12-31 23:59:59 Moscow time, 22/122 from 2026-01-01 00:00:00; PUT keeps the invoice date's rate", async (t) => {
  const clock = new TestClock(new Date('2025-12-31T20:59:59Z'));
  const bed = await sambaHub(t, clock);
  const { call } = bed;
  await tornadoWorld(bed);
  const before = (await expect(call('POST', '/po', { rk_id: 'У191994', amount: 12000 }), 200)).result;
  assert.deepEqual([before.date, before.amount, before.vat], ['2025-12-31T23:59:59', 12000, 2000]);
  clock.set('2025-12-31T21:00:00Z');
  const after = (await expect(call('POST', '/po', { rk_id: 'У191994', amount: 12200 }), 200)).result;
  assert.deepEqual([after.date, after.amount, after.vat], ['2026-01-01T00:00:00', 12200, 2200]);
  // kopeck rounding on both sides: 100.01 → 16.67 at 20 %, 18.03 at 22 %
  const odd = (await expect(call('POST', '/po', { rk_id: 'У191994', amount: 100.01 }), 200)).result;
  assert.equal(odd.vat, 18.03);
  const old = (await expect(call('PUT', '/po', { uuid: before.uuid, rk_id: 'У191994', amount: 100.01 }), 200)).result;
  assert.equal(old.vat, 16.67, 'the 2025 invoice keeps 20 % after an update in 2026');
  const listed = (await expect(call('GET', '/po?rk_id=%D0%A3191994'), 200)).result;
  assert.deepEqual(
    listed.map((i: { number: string; vat: number }) => [i.number, i.vat]),
    [
      ['УЛУ000001/01', 16.67],
      ['УЛУ000001/02', 2200],
      ['УЛУ000001/03', 18.03],
    ],
  );
});

test('concurrent invoices of one campaign get distinct consecutive numbers', async (t) => {
  const bed = await sambaHub(t);
  const { call } = bed;
  await tornadoWorld(bed);
  const N = 24;
  const answers = await Promise.all(
    Array.from({ length: N }, (_, i) => expect(call('POST', '/po', { rk_id: 'У191994', amount: 1000 + i }), 200)),
  );
  const numbers = answers.map((a) => a.result.number as string).sort();
  assert.deepEqual(
    numbers,
    Array.from({ length: N }, (_, i) => `УЛУ000001/${String(i + 1).padStart(2, '0')}`),
  );
  const listed = (await expect(call('GET', '/po'), 200)).result;
  assert.equal(new Set(listed.map((i: { number: string }) => i.number)).size, N);
});

test('concurrent campaigns: sequential numberMF without gaps; the same rk_id at once is created once', async (t) => {
  const bed = await sambaHub(t);
  const { h, call } = bed;
  await customer(h, TORNADO);
  const made = await Promise.all(
    Array.from({ length: 12 }, (_, i) => expect(call('POST', '/rk', { rk_id: `R${i}`, inn_contractor: TORNADO.inn }), 200)),
  );
  assert.deepEqual(
    made.map((m) => m.result.numberMF).sort(),
    Array.from({ length: 12 }, (_, i) => `У${String(i + 1).padStart(6, '0')}`),
  );
  const same = await Promise.all(Array.from({ length: 6 }, () => call('POST', '/rk', { rk_id: 'SAME', inn_contractor: TORNADO.inn })));
  assert.deepEqual(same.map((r) => r.statusCode).sort(), [200, 409, 409, 409, 409, 409]);
  const winner = same.find((r) => r.statusCode === 200)!.json().result;
  for (const r of same.filter((x) => x.statusCode === 409)) assert.deepEqual(r.json().result, winner);
  // the refused ones took no number: the next campaign continues the sequence
  const next = await expect(call('POST', '/rk', { rk_id: 'NEXT', inn_contractor: TORNADO.inn }), 200);
  assert.deepEqual([winner.numberMF, next.result.numberMF], ['У000013', 'У000014']);
});

test("/payment/po status: Не оплачено, Частично оплачено, Оплачено, Переплата; the seed's numbers", async (t) => {
  const bed = await sambaHub(t);
  const { h, call } = bed;
  await tornadoWorld(bed);
  const po = (await expect(call('POST', '/po', { rk_id: 'У191994', amount: 68714.65 }), 200)).result;
  const pay = async (amount: number | string, number: string) => {
    const res = await admin(h, 'POST', '/samba/payments', {
      uuid_po: po.uuid,
      number,
      date: '11.03.2024',
      amount,
      numberMF: '0Л000000023',
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json();
  };
  const status = async () => [
    ...new Set((await expect(call('GET', `/payment/po?uuid=${po.uuid}`), 200)).result.map((p: { status: string }) => p.status)),
  ];
  assert.equal((await pay(30000, '1')).status, 'Частично оплачено');
  await pay(-30000, '2');
  assert.deepEqual(await status(), ['Не оплачено'], 'paid back in full');
  await pay('68714.65', '3');
  assert.deepEqual(await status(), ['Оплачено']);
  await pay(0.01, '4');
  assert.deepEqual(await status(), ['Переплата']);
  const bad = await admin(h, 'POST', '/samba/payments', { uuid_po: po.uuid, number: '5', date: '20240231', amount: 1 });
  assert.equal(bad.statusCode, 400);
  const missing = await admin(h, 'POST', '/samba/payments', { number_po: 'nope', number: '5', date: '20240311', amount: 1 });
  assert.equal(missing.statusCode, 404);
});

test("GET /po filters: period, day, advance (from the campaign), number (1C's or the caller's), numberMF", async (t) => {
  const clock = new TestClock(new Date('2024-10-09T10:00:00Z'));
  const bed = await sambaHub(t, clock);
  const { call } = bed;
  await tornadoWorld(bed);
  const a = (await expect(call('POST', '/po', { rk_id: 'У191994', amount: 1, number: 'SAMBA-1' }), 200)).result;
  await expect(call('PUT', '/rk', { rk_id: 'У191994', advance: true }), 200);
  clock.set('2024-10-12T10:00:00Z');
  const b = (await expect(call('POST', '/po', { rk_id: 'У191994', amount: 2 }), 200)).result;
  const numbers = async (q: string) => (await expect(call('GET', `/po?${q}`), 200)).result.map((i: { number: string }) => i.number);
  assert.deepEqual(await numbers(''), [a.number, b.number]);
  assert.deepEqual(await numbers('date_start=20241010'), [b.number]);
  assert.deepEqual(await numbers('date_end=09.10.2024'), [a.number]);
  assert.deepEqual(await numbers('date_start=2024-10-09&date_end=2024-10-12'), [a.number, b.number]);
  assert.deepEqual(await numbers('date=20241012'), [b.number]);
  assert.deepEqual(await numbers('advance=true'), [b.number]);
  assert.deepEqual(await numbers('advance=false'), [a.number]);
  assert.deepEqual(await numbers('advance=&date='), [a.number, b.number], 'empty strings are absent');
  assert.deepEqual(await numbers('number=SAMBA-1'), [a.number]);
  assert.deepEqual(await numbers('numberMF=%D0%A3000002'), []);
  assert.deepEqual(await numbers(`uuid=${b.uuid}`), [b.number]);
});

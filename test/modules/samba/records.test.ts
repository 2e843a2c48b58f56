// The operator's listing, correction and removal of customers, placements, acts and payments
// (/admin/v1/samba/<kind>, `hub samba <kind> list`): pages and filters, PATCH checked as creation, DELETE refused
// with 409 only where a foreign key points at the record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestHub } from '../../helpers/hub.js';
import { ALD, cli, customer, expect, sambaHub, TORNADO, TRADITION, tornadoWorld } from './helpers.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
function op(h: TestHub, method: Method, url: string, body?: unknown) {
  return h.app.inject({
    method,
    url: `/admin/v1${url}`,
    headers: { ...h.admin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}
const codeOf = (res: { json(): { error: { code: string; message: string; details?: unknown } } }) => res.json().error;

test('customers: pages and filters, GET one, PATCH checked as on creation, DELETE refused while a contract names it', async (t) => {
  const bed = await sambaHub(t);
  const { tornado } = await tornadoWorld(bed);
  const tradition = await customer(bed.h, TRADITION);
  const ald = await customer(bed.h, ALD);

  const first = (await op(bed.h, 'GET', '/samba/customers?page_size=2')).json();
  assert.deepEqual(
    first.items.map((c: { name: string }) => c.name),
    [ALD.name, TORNADO.name],
  );
  assert.deepEqual([first.total, first.page, first.page_size], [3, 1, 2]);
  const second = (await op(bed.h, 'GET', '/samba/customers?page=2&page_size=2')).json();
  assert.deepEqual(
    second.items.map((c: { uuid: string }) => c.uuid),
    [tradition.uuid],
  );
  const zero = (await op(bed.h, 'GET', '/samba/customers?page=0&page_size=1000')).json();
  assert.deepEqual([zero.items.length, zero.page, zero.page_size], [3, 1, 100], 'page 0 is the first, a size over 100 is read as 100');
  const byInn = (await op(bed.h, 'GET', `/samba/customers?inn=${TRADITION.inn}`)).json();
  assert.deepEqual([byInn.total, byInn.items[0].name], [1, TRADITION.name]);
  const byName = (await op(bed.h, 'GET', `/samba/customers?name=${encodeURIComponent('торнадо')}`)).json();
  assert.deepEqual([byName.total, byName.items[0].uuid], [1, tornado.uuid]);
  assert.equal((await op(bed.h, 'GET', '/samba/customers?status=x')).statusCode, 400, 'an unknown filter is refused');
  assert.equal((await op(bed.h, 'GET', '/samba/customers?page=-1')).statusCode, 400);
  const badInn = await op(bed.h, 'GET', '/samba/customers?inn=3526019522');
  assert.deepEqual([badInn.statusCode, codeOf(badInn).code], [400, 'BAD_INN']);

  const got = await op(bed.h, 'GET', `/samba/customers/${ald.uuid}`);
  assert.deepEqual(got.json(), { uuid: ald.uuid, name: ALD.name, fullName: ALD.fullName, inn: ALD.inn, kpp: ALD.kpp });
  const missing = await op(bed.h, 'GET', '/samba/customers/nope');
  assert.deepEqual([missing.statusCode, codeOf(missing).code], [404, 'NOT_FOUND']);

  const renamed = await op(bed.h, 'PATCH', `/samba/customers/${ald.uuid}`, { name: 'АЛД НОВОЕ ООО' });
  assert.equal(renamed.statusCode, 200, renamed.body);
  assert.deepEqual([renamed.json().name, renamed.json().fullName, renamed.json().inn], ['АЛД НОВОЕ ООО', ALD.fullName, ALD.inn]);
  const wrongInn = await op(bed.h, 'PATCH', `/samba/customers/${ald.uuid}`, { inn: '7725514968' });
  assert.deepEqual([wrongInn.statusCode, codeOf(wrongInn).code], [400, 'BAD_INN']);
  // A 12-digit ИНН (ИП) with the КПП the record already has: refused, as creation refuses the pair.
  const person = await op(bed.h, 'PATCH', `/samba/customers/${ald.uuid}`, { inn: '500100732259' });
  assert.deepEqual([person.statusCode, codeOf(person).code], [400, 'BAD_KPP']);
  const asPerson = await op(bed.h, 'PATCH', `/samba/customers/${ald.uuid}`, { inn: '500100732259', kpp: '' });
  assert.deepEqual([asPerson.statusCode, asPerson.json().inn, asPerson.json().kpp], [200, '500100732259', '']);
  const clash = await op(bed.h, 'PATCH', `/samba/customers/${ald.uuid}`, { inn: TRADITION.inn, kpp: TRADITION.kpp });
  assert.deepEqual([clash.statusCode, codeOf(clash).code], [409, 'EXISTS']);
  assert.match(codeOf(clash).message, /ТРАДИЦИЯ ООО/);
  assert.equal((await op(bed.h, 'PATCH', `/samba/customers/${ald.uuid}`, {})).statusCode, 400, 'an empty correction');
  const noName = await op(bed.h, 'PATCH', `/samba/customers/${ald.uuid}`, { name: '' });
  assert.deepEqual([noName.statusCode, codeOf(noName).code], [400, 'REQUIRED']);
  assert.equal((await op(bed.h, 'PATCH', `/samba/customers/${ald.uuid}`, { colour: 'red' })).statusCode, 400);

  const inUse = await op(bed.h, 'DELETE', `/samba/customers/${tornado.uuid}`);
  assert.equal(inUse.statusCode, 409);
  assert.equal(codeOf(inUse).code, 'IN_USE');
  assert.match(codeOf(inUse).message, /ТОРНАДО ООО .*используется: договоров 1, брендов 1, РК 1\. Удаление невозможно/);
  assert.deepEqual(codeOf(inUse).details, { contracts: 1, brands: 1, campaigns: 1 });
  const removed = await op(bed.h, 'DELETE', `/samba/customers/${tradition.uuid}`);
  assert.deepEqual([removed.statusCode, removed.json().uuid], [200, tradition.uuid]);
  assert.equal((await op(bed.h, 'GET', `/samba/customers/${tradition.uuid}`)).statusCode, 404);
  assert.equal((await op(bed.h, 'DELETE', `/samba/customers/${tradition.uuid}`)).statusCode, 404);
  assert.equal((await op(bed.h, 'GET', '/samba/customers')).json().total, 2);
});

test('placements, acts and payments: filters by campaign and invoice, corrections, removal; the CLI lists them', async (t) => {
  const bed = await sambaHub(t);
  const { rk } = await tornadoWorld(bed);
  const po = (await expect(bed.call('POST', '/po', { number: 'TEST PO #11', date: '20241008', rk_id: 'У191994', amount: 60000 }), 200))
    .result;
  const po2 = (await expect(bed.call('POST', '/po', { rk_id: 'У191994', amount: 1000 }), 200)).result;
  for (const [placement, amount] of [
    ['Баннер / главная', 100],
    ['Видео', 200.5],
  ] as const) {
    assert.equal((await op(bed.h, 'POST', '/samba/placements', { rk_id: 'У191994', placement, amount })).statusCode, 201);
  }
  const act = async (placement: string, document: string, amount: number) =>
    assert.equal((await op(bed.h, 'POST', '/samba/acts', { rk_id: 'У191994', placement, document, amount })).statusCode, 201);
  await act('Видео', 'Реализация 1', 50);
  await act('Видео', 'Реализация 2', 60);
  const pay = async (number: string, amount: number, number_po = po.number) => {
    const res = await op(bed.h, 'POST', '/samba/payments', { number_po, number, date: '20241010', amount });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { uuid: string };
  };
  const p1 = await pay('101', 20000);
  const p2 = await pay('102', 40000);
  await pay('103', 500, po2.number);

  // Placements: by campaign, one by its URL-encoded name, renamed, a clash, removed.
  const placements = (await op(bed.h, 'GET', '/samba/placements?rk_id=У191994'.replace('У', '%D0%A3'))).json();
  assert.deepEqual(
    placements.items.map((p: { placement: string; placement_amount: number; rk_id: string }) => [p.placement, p.placement_amount, p.rk_id]),
    [
      ['Баннер / главная', 100, 'У191994'],
      ['Видео', 200.5, 'У191994'],
    ],
  );
  assert.equal((await op(bed.h, 'GET', '/samba/placements?rk_id=nope')).json().total, 0);
  const path = `/samba/placements/${rk.uuid}/${encodeURIComponent('Баннер / главная')}`;
  assert.equal((await op(bed.h, 'GET', path)).json().placement_amount, 100);
  const corrected = await op(bed.h, 'PATCH', path, { placement: 'Баннер', amount: '150,25' });
  assert.deepEqual([corrected.statusCode, corrected.json().placement, corrected.json().placement_amount], [200, 'Баннер', 150.25]);
  assert.equal((await op(bed.h, 'GET', path)).statusCode, 404, 'the old name is gone');
  const newPath = `/samba/placements/${rk.uuid}/${encodeURIComponent('Баннер')}`;
  const taken = await op(bed.h, 'PATCH', newPath, { placement: 'Видео' });
  assert.deepEqual([taken.statusCode, codeOf(taken).code], [409, 'EXISTS']);
  const badSum = await op(bed.h, 'PATCH', newPath, { amount: -5 });
  assert.deepEqual([badSum.statusCode, codeOf(badSum).code], [400, 'BAD_AMOUNT']);
  assert.equal((await op(bed.h, 'DELETE', newPath)).statusCode, 200);
  const sums = (await expect(bed.call('GET', `/acts/rk?rk_id=${encodeURIComponent('У191994')}`), 200)).result;
  assert.deepEqual([sums[0].placements_amount, sums[0].acts_amount], [200.5, 110]);

  // Acts: filter by placement, correct a sum, a duplicate document, remove.
  const acts = (await op(bed.h, 'GET', `/samba/acts?placement=${encodeURIComponent('Видео')}&page_size=1`)).json();
  assert.deepEqual([acts.total, acts.items.length, acts.items[0].document], [2, 1, 'Реализация 1']);
  const actPath = `/samba/acts/${acts.items[0].uuid}`;
  const actFixed = await op(bed.h, 'PATCH', actPath, { amount: 55 });
  assert.deepEqual([actFixed.statusCode, actFixed.json().act_amount, actFixed.json().document], [200, 55, 'Реализация 1']);
  const dup = await op(bed.h, 'PATCH', actPath, { document: 'Реализация 2' });
  assert.deepEqual([dup.statusCode, codeOf(dup).code], [409, 'EXISTS']);
  assert.equal((await op(bed.h, 'DELETE', actPath)).statusCode, 200);
  assert.equal((await op(bed.h, 'GET', actPath)).statusCode, 404);
  assert.equal((await op(bed.h, 'GET', '/samba/acts')).json().total, 1);

  // Payments: by invoice number (1C's or the caller's), with the invoice's status; corrected, moved, removed.
  const byInvoice = (await op(bed.h, 'GET', `/samba/payments?number_po=${encodeURIComponent('TEST PO #11')}`)).json();
  assert.deepEqual(
    byInvoice.items.map((p: { number: string; status: string; number_po: string }) => [p.number, p.status, p.number_po]),
    [
      ['101', 'Оплачено', po.number],
      ['102', 'Оплачено', po.number],
    ],
  );
  assert.equal((await op(bed.h, 'GET', `/samba/payments?inn=${TORNADO.inn}`)).json().total, 3);
  const lowered = await op(bed.h, 'PATCH', `/samba/payments/${p2.uuid}`, { amount: 30000, payment_details: 'исправлено' });
  assert.deepEqual(
    [lowered.statusCode, lowered.json().amount, lowered.json().status, lowered.json().payment_details],
    [200, 30000, 'Частично оплачено', 'исправлено'],
  );
  const noNumber = await op(bed.h, 'PATCH', `/samba/payments/${p2.uuid}`, { number: '' });
  assert.deepEqual([noNumber.statusCode, codeOf(noNumber).code], [400, 'REQUIRED']);
  const badDate = await op(bed.h, 'PATCH', `/samba/payments/${p2.uuid}`, { date: '20240231' });
  assert.deepEqual([badDate.statusCode, codeOf(badDate).code], [400, 'BAD_DATE']);
  const moved = await op(bed.h, 'PATCH', `/samba/payments/${p1.uuid}`, { uuid_po: po2.uuid });
  assert.deepEqual([moved.json().uuid_po, moved.json().status], [po2.uuid, 'Переплата']);
  assert.equal((await op(bed.h, 'DELETE', `/samba/payments/${p2.uuid}`)).statusCode, 200);
  assert.deepEqual((await expect(bed.call('GET', `/payment/po?uuid=${po.uuid}`), 200)).result, []);
  // With no payment left the invoice itself can go (its foreign key no longer holds it).
  await expect(bed.call('DELETE', '/po', { uuid: po.uuid }), 200);

  const listed = await cli(bed.h, 'samba', 'payments', 'list', '--invoice', po2.number);
  assert.equal(listed.exitCode, 0);
  const lines = listed.out.split('\n');
  assert.match(lines[0]!, /^uuid +number +date +amount +number_po +status$/);
  assert.equal(lines.length, 5, listed.out);
  assert.match(listed.out, /2 of 2 \(page 1, 50 per page\)\n$/);
  const customers = await cli(bed.h, 'samba', 'customers', 'list', '--inn', TORNADO.inn);
  assert.match(customers.out, new RegExp(`^uuid +inn +kpp +name\\n\\S+ +${TORNADO.inn} +${TORNADO.kpp} +ТОРНАДО ООО\\n1 of 1 `));
  const placementsCli = await cli(bed.h, 'samba', 'placements', 'list', '--rk-id', 'У191994');
  assert.match(placementsCli.out, /Видео +200\.5 /);
  const bad = await cli(bed.h, 'samba', 'acts', 'list', '--page', 'x');
  assert.equal(bad.exitCode, 2);
});

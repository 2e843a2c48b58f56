// The seed's "or" groups: each resolves to exactly one record, or fails saying which is missing (400), not found
// (404) or ambiguous (409) — in the seed's envelope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { customer, expect, ITARGET, LIDCOM, sambaHub, TORNADO, tornadoWorld } from './helpers.js';

const fail = (status: number, message: string | RegExp) => (body: { status: string; message: string; result: unknown }) => {
  assert.equal(body.status, 'error');
  if (typeof message === 'string') assert.equal(body.message, message);
  else assert.match(body.message, message);
  return body;
};

test('PUT /finaladv: uuid or ИНН (+КПП) — missing, not found, ambiguous, and uuid then changes ИНН/КПП', async (t) => {
  const { call } = await sambaHub(t);
  const a = (await expect(call('POST', '/finaladv', { inn: '7717707438', kpp: '771701001', name: 'Карат 1' }), 200)).result;
  await expect(call('POST', '/finaladv', { inn: '7717707438', kpp: '771701002', name: 'Карат 2' }), 200);
  fail(400, 'Не заполнен ни один из параметров: «uuid» или «inn»')(await expect(call('PUT', '/finaladv', { uuid: '', name: 'x' }), 400));
  fail(
    404,
    'Конечный рекламодатель не найден: ИНН 7707083893',
  )(await expect(call('PUT', '/finaladv', { inn: '7707083893', name: 'x' }), 404));
  const amb = await expect(call('PUT', '/finaladv', { inn: '7717707438', name: 'x' }), 409);
  fail(409, 'Найдено несколько конечных рекламодателей: ИНН 7717707438. Укажите КПП или uuid')(amb);
  assert.equal(amb.result, null);
  // by uuid, ИНН/КПП are new values; taking another's pair is the 409 with that one
  const clash = await expect(call('PUT', '/finaladv', { uuid: a.uuid, kpp: '771701002' }), 409);
  assert.equal(clash.result.name, 'Карат 2');
  const moved = await expect(call('PUT', '/finaladv', { uuid: a.uuid, inn: '7707083893', kpp: '773601001' }), 200);
  const same = await expect(call('PUT', '/finaladv', { uuid: a.uuid, kpp: '', inn: '', fullName: 'ООО «Карат 1»' }), 200);
  assert.deepEqual(same.result, moved.result, 'empty ИНН/КПП are absent, not cleared');
  const ip = await expect(call('POST', '/finaladv', { inn: '500100732259', name: 'ИП Иванов' }), 200);
  assert.equal(ip.result.kpp, '', 'an individual without КПП');
  assert.deepEqual(moved.result, { uuid: a.uuid, inn: '7707083893', kpp: '773601001', name: 'Карат 1' });
});

test('POST/PUT /finalcontracts: advertiser and contractor groups, number+date lookup', async (t) => {
  const { h, call } = await sambaHub(t);
  const itarget = await customer(h, ITARGET);
  await customer(h, { ...ITARGET, kpp: '772601002', name: 'АЙТАРГЕТ филиал' });
  const adv = (await expect(call('POST', '/finaladv', LIDCOM), 200)).result;
  const adv2 = (await expect(call('POST', '/finaladv', { inn: '7707083893', name: 'Второй' }), 200)).result;
  const base = { number: '1-Test', date: '2022-07-21' };
  fail(
    400,
    'Не заполнен ни один из параметров: «inn_finaladv» или «uuid_finaladv»',
  )(await expect(call('POST', '/finalcontracts', { ...base, uuid_contractor: itarget.uuid }), 400));
  fail(
    400,
    'Не заполнен ни один из параметров: «inn_contractor» или «uuid_contractor»',
  )(await expect(call('POST', '/finalcontracts', { ...base, uuid_finaladv: adv.uuid }), 400));
  fail(
    400,
    'Не заполнен обязательный параметр: «number», «date»',
  )(await expect(call('POST', '/finalcontracts', { number: '', uuid_finaladv: adv.uuid, uuid_contractor: itarget.uuid }), 400));
  fail(
    404,
    'Конечный рекламодатель не найден: ИНН 7725514969',
  )(await expect(call('POST', '/finalcontracts', { ...base, inn_finaladv: '7725514969', uuid_contractor: itarget.uuid }), 404));
  fail(
    409,
    'Найдено несколько юр. лиц: ИНН 7726472670. Укажите КПП или uuid',
  )(await expect(call('POST', '/finalcontracts', { ...base, uuid_finaladv: adv.uuid, inn_contractor: ITARGET.inn }), 409));
  const made = await expect(
    call('POST', '/finalcontracts', { ...base, uuid_finaladv: adv.uuid, inn_contractor: ITARGET.inn, kpp_contractor: ITARGET.kpp }),
    200,
  );
  const dup = await expect(call('POST', '/finalcontracts', { ...base, uuid_finaladv: adv.uuid, uuid_contractor: itarget.uuid }), 409);
  assert.deepEqual(dup, {
    status: 'error',
    message: 'Конечный договор рекламодателя уже существует: № 1-Test от 21.07.2022',
    result: made.result,
  });
  // PUT without uuid finds by number and date (any of the three spellings)
  fail(400, 'Не заполнен обязательный параметр: «date»')(await expect(call('PUT', '/finalcontracts', { number: '1-Test' }), 400));
  fail(
    404,
    'Конечный договор рекламодателя не найден: номер 1-Test, дата 22.07.2022',
  )(await expect(call('PUT', '/finalcontracts', { number: '1-Test', date: '22.07.2022' }), 404));
  const put = await expect(call('PUT', '/finalcontracts', { number: '1-Test', date: '21.07.2022', uuid_finaladv: adv2.uuid }), 200);
  assert.equal(put.result.uuid, made.result.uuid);
  await expect(call('POST', '/finalcontracts', { ...base, uuid_finaladv: adv.uuid, uuid_contractor: itarget.uuid }), 200);
  fail(
    409,
    /Найдено несколько конечных договоров: номер 1-Test, дата 21.07.2022. Укажите uuid договора/,
  )(await expect(call('PUT', '/finalcontracts', { number: '1-Test', date: '20220721' }), 409));
  fail(
    404,
    /Конечный договор рекламодателя не найден: uuid nope/,
  )(await expect(call('PUT', '/finalcontracts', { uuid: 'nope', number: 'x' }), 404));
});

test('POST /rk: contractor (or_1), advertiser (or_2), contract (or_3) and the brand rule', async (t) => {
  const bed = await sambaHub(t);
  const { h, call } = bed;
  const w = await tornadoWorld(bed);
  const rk = (rk_id: string, extra: Record<string, unknown>) => call('POST', '/rk', { rk_id, ...extra });
  fail(400, 'Не заполнен ни один из параметров: «inn_contractor» или «uuid_contractor»')(await expect(rk('R1', {}), 400));
  fail(
    400,
    'Не заполнен обязательный параметр: «rk_id»',
  )(await expect(call('POST', '/rk', { rk_id: '', inn_contractor: TORNADO.inn }), 400));
  fail(404, 'Юр. лицо не найдено: ИНН 7725514969')(await expect(rk('R1', { inn_contractor: '7725514969' }), 404));
  fail(
    404,
    'Конечный рекламодатель не найден: uuid nope',
  )(await expect(rk('R1', { inn_contractor: TORNADO.inn, uuid_finaladv: 'nope' }), 404));
  // the contract alone names the advertiser too
  const byContract = await expect(rk('R1', { uuid_contractor: w.tornado.uuid, uuid_contract: w.contract.uuid }), 200);
  assert.deepEqual([byContract.result.uuid_finaladv, byContract.result.numberMF, byContract.result.name], [w.lidcom.uuid, 'У000002', 'R1']);
  const other = (await expect(call('POST', '/finaladv', { inn: '7707083893', name: 'Другой' }), 200)).result;
  fail(
    404,
    'Конечный договор рекламодателя не найден: номер № 135/19',
  )(await expect(rk('R2', { inn_contractor: TORNADO.inn, uuid_finaladv: other.uuid, number_contract: '№ 135/19' }), 404));
  // a second brand: the campaign must name one
  const second = (await expect(call('POST', '/brands', { name: 'Adidas', uuid_contractor: w.tornado.uuid }), 200)).result;
  fail(
    409,
    'У юр. лица РК несколько брендов (Adidas, NIKE JUST DO IT): укажите uuid_brand или name_brand',
  )(await expect(rk('R2', { inn_contractor: TORNADO.inn }), 409));
  assert.equal((await expect(rk('R2', { inn_contractor: TORNADO.inn, name_brand: 'adidas' }), 200)).result.uuid_brand, second.uuid);
  assert.equal(
    (await expect(rk('R3', { inn_contractor: TORNADO.inn, uuid_brand: w.brand.uuid }), 200)).result.name_brand,
    'NIKE JUST DO IT',
  );
  // a brand of another contractor is not this campaign's
  const ald = await customer(h, { inn: '7725514969', kpp: '772501001', name: 'АЛД' });
  fail(
    404,
    `Бренд не найден у юр. лица РК: uuid ${w.brand.uuid}`,
  )(await expect(rk('R4', { uuid_contractor: ald.uuid, uuid_brand: w.brand.uuid }), 404));
  const noBrand = await expect(rk('R4', { uuid_contractor: ald.uuid, advance: true }), 200);
  assert.deepEqual(
    [noBrand.result.uuid_brand, noBrand.result.name_brand, noBrand.result.uuid_finaladv, noBrand.result.advance],
    ['', '', '', true],
  );
  // PUT: uuid or rk_id; a taken rk_id is the 409 with that campaign
  fail(400, 'Не заполнен ни один из параметров: «uuid» или «rk_id»')(await expect(call('PUT', '/rk', { uuid: '', rk_id: '' }), 400));
  fail(404, 'РК не найдена: rk_id R9')(await expect(call('PUT', '/rk', { rk_id: 'R9' }), 404));
  const taken = await expect(call('PUT', '/rk', { uuid: noBrand.result.uuid, rk_id: 'R1' }), 409);
  assert.deepEqual([taken.message, taken.result.uuid], ['РК уже существует', byContract.result.uuid]);
  // moving a campaign to another contractor re-applies the brand rule
  const moved = await expect(
    call('PUT', '/rk', {
      rk_id: 'R4',
      uuid_contractor: w.tornado.uuid,
      name_brand: 'Adidas',
      date_start: '2024-11-01',
      date_end: '2024-11-30T00:00:00',
    }),
    200,
  );
  assert.deepEqual(
    [moved.result.name_contractor, moved.result.name_brand, moved.result.date_end],
    ['ТОРНАДО ООО', 'Adidas', '2024-11-30T00:00:00'],
  );
  fail(
    409,
    'Дата окончания РК раньше даты начала',
  )(await expect(call('PUT', '/rk', { rk_id: 'R4', date_start: '20241201', date_end: '20241101' }), 409));
});

test('/po, /payment/po, /acts: the campaign and invoice groups (rk_uuid and uuid_rk both taken)', async (t) => {
  const bed = await sambaHub(t);
  const { call } = bed;
  const { rk } = await tornadoWorld(bed);
  fail(
    400,
    'Не заполнен ни один из параметров: «rk_id» или «rk_uuid» или «uuid_rk»',
  )(await expect(call('POST', '/po', { amount: 1 }), 400));
  fail(400, 'Не заполнен обязательный параметр: «amount»')(await expect(call('POST', '/po', { rk_id: 'У191994' }), 400));
  fail(404, 'РК не найдена: rk_id nope')(await expect(call('POST', '/po', { rk_id: 'nope', amount: 1 }), 404));
  fail(
    409,
    'rk_uuid и uuid_rk указывают на разные РК',
  )(await expect(call('POST', '/po', { rk_uuid: rk.uuid, uuid_rk: 'x', amount: 1 }), 409));
  const a = (await expect(call('POST', '/po', { rk_uuid: rk.uuid, amount: 100 }), 200)).result;
  const b = (await expect(call('POST', '/po', { uuid_rk: rk.uuid, amount: '200,50' }), 200)).result;
  assert.deepEqual([a.number, b.number, b.amount], ['УЛУ000001/01', 'УЛУ000001/02', 200.5]);
  assert.deepEqual(
    (await expect(call('GET', `/po?rk_uuid=${rk.uuid}&number=${encodeURIComponent(b.number)}`), 200)).result.map(
      (i: { uuid: string }) => i.uuid,
    ),
    [b.uuid],
  );
  fail(
    400,
    'Не заполнен ни один из параметров: «uuid» или «number»',
  )(await expect(call('PUT', '/po', { uuid: '', rk_id: 'У191994', amount: 1 }), 400));
  fail(
    404,
    'Счет на оплату покупателю не найден: номер УЛУ000001/09',
  )(await expect(call('PUT', '/po', { number: 'УЛУ000001/09', rk_id: 'У191994', amount: 1 }), 404));
  fail(
    404,
    'Счет на оплату покупателю не найден: номер УЛУ000001/01, дата 10.10.2024',
  )(await expect(call('GET', '/payment/po?number=%D0%A3%D0%9B%D0%A3000001%2F01&date=20241010'), 404));
  fail(400, 'Не заполнен ни один из параметров: «uuid» или «number»')(await expect(call('GET', '/payment/po?date=20241009'), 400));
  assert.deepEqual((await expect(call('GET', `/payment/po?uuid=${a.uuid}`), 200)).result, [], 'no payments yet: an empty list');
  fail(400, 'Не заполнен ни один из параметров: «uuid» или «number»')(await expect(call('DELETE', '/po', {}), 400));
  // DELETE by body, or by query string for clients that send no body
  const deleted = await expect(call('DELETE', '/po', { uuid: a.uuid }), 200);
  assert.deepEqual(deleted, {
    status: 'ok',
    message: 'Счет на оплату покупателю удален',
    result: { uuid: a.uuid, number: a.number, date: a.date },
  });
  assert.equal((await expect(call('DELETE', `/po?number=${encodeURIComponent(b.number)}&date=09.10.2024`), 200)).result.uuid, b.uuid);
  fail(404, `Счет на оплату покупателю не найден: uuid ${a.uuid}`)(await expect(call('DELETE', '/po', { uuid: a.uuid }), 404));
  fail(400, 'Не заполнен ни один из параметров: «uuid» или «rk_id»')(await expect(call('GET', '/acts/rk/details'), 400));
  fail(409, 'uuid и uuid_rk указывают на разные РК')(await expect(call('GET', `/acts/rk?uuid=${rk.uuid}&uuid_rk=x`), 409));
  assert.deepEqual((await expect(call('GET', `/acts/rk?uuid_rk=${rk.uuid}`), 200)).result, [
    { uuid_rk: rk.uuid, placements_amount: 0, acts_amount: 0 },
  ]);
  assert.deepEqual((await expect(call('GET', '/acts/rk'), 200)).result, [], 'no campaign with placements or acts');
  assert.deepEqual((await expect(call('GET', `/acts/rk/details?rk_id=${encodeURIComponent('У191994')}`), 200)).result, [[], []]);
});

test('POST/PUT /brands: the contractor group, required name and uuid', async (t) => {
  const { h, call } = await sambaHub(t);
  const tornado = await customer(h, TORNADO);
  fail(
    400,
    'Не заполнен ни один из параметров: «inn_contractor» или «uuid_contractor»',
  )(await expect(call('POST', '/brands', { name: 'B', kpp_contractor: TORNADO.kpp }), 400));
  fail(
    400,
    'Не заполнен обязательный параметр: «name»',
  )(await expect(call('POST', '/brands', { name: '', uuid_contractor: tornado.uuid }), 400));
  fail(
    404,
    'Юр. лицо не найдено: ИНН 3526019521, КПП 352601002',
  )(await expect(call('POST', '/brands', { name: 'B', inn_contractor: TORNADO.inn, kpp_contractor: '352601002' }), 404));
  fail(
    404,
    'Юр. лицо не найдено: uuid x, ИНН 3526019521',
  )(await expect(call('POST', '/brands', { name: 'B', uuid_contractor: 'x', inn_contractor: TORNADO.inn }), 404));
  const b = (await expect(call('POST', '/brands', { name: 'B', uuid_contractor: tornado.uuid, inn_contractor: TORNADO.inn }), 200)).result;
  await expect(call('POST', '/brands', { name: 'C', uuid_contractor: tornado.uuid }), 200);
  fail(400, 'Не заполнен обязательный параметр: «uuid»')(await expect(call('PUT', '/brands', { name: 'D' }), 400));
  fail(400, 'Не заполнен обязательный параметр: «name», «uuid»')(await expect(call('PUT', '/brands', {}), 400));
  fail(404, 'Бренд не найден: uuid nope')(await expect(call('PUT', '/brands', { name: 'D', uuid: 'nope' }), 404));
  const clash = await expect(call('PUT', '/brands', { name: 'c', uuid: b.uuid }), 409);
  assert.deepEqual([clash.message, clash.result.name], ['Бренд уже существует: C', 'C']);
});

// Every request/response example of seed 002 §1–5 replayed against the hub (§6–7: seed-po.test.ts): same request,
// same answer (the record ids are the hub's own, so they are taken from the answers where the example shows 1C's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALD, customer, expect, ITARGET, sambaHub, TORNADO, tornadoWorld, TRADITION } from './helpers.js';

const KARAT = { inn: '7717707438', name: 'Карат Рус Медиа ООО' };

test('§1 final advertisers: list, create (existing ИНН+КПП → 409 with it), update by ИНН+КПП', async (t) => {
  const { call } = await sambaHub(t);
  const forTest = (await expect(call('POST', '/finaladv', { ...KARAT, kpp: '771701002', name: 'Карат Рус Медиа ООО FOR TEST' }), 200))
    .result;
  const created = await expect(call('POST', '/finaladv', { ...KARAT, kpp: '771701001', fullName: 'Карат Рус Медиа ООО' }), 200);
  assert.equal(created.message, 'Конечный рекламодатель успешно создан');
  const karat = created.result;
  // §1.1 — the example's list
  const list = await expect(call('GET', '/finaladv?inn=7717707438'), 200);
  assert.deepEqual(list, {
    status: 'ok',
    message: 'seccess',
    result: [
      { uuid: karat.uuid, name: 'Карат Рус Медиа ООО', fullName: 'Карат Рус Медиа ООО', inn: '7717707438', kpp: '771701001' },
      {
        uuid: forTest.uuid,
        name: 'Карат Рус Медиа ООО FOR TEST',
        fullName: 'Карат Рус Медиа ООО FOR TEST',
        inn: '7717707438',
        kpp: '771701002',
      },
    ],
  });
  // §1.2 — the example's request answers the example's error, with the existing record
  const again = await expect(
    call('POST', '/finaladv', { inn: '7717707438', kpp: '771701001', name: 'Карат Рус Медиа ООО', fullName: 'ООО "Карат Рус Медиа"' }),
    409,
  );
  assert.deepEqual(again, {
    status: 'error',
    message: 'Конечный рекламодатель с таким ИНН уже существует: Карат Рус Медиа ООО',
    result: { name: 'Карат Рус Медиа ООО', uuid: karat.uuid },
  });
  // §1.3 — found by ИНН+КПП, names replaced
  const updated = await expect(
    call('PUT', '/finaladv', {
      inn: '7717707438',
      kpp: '771701002',
      name: 'Карат Рус Медиа ООО FOR TEST 3',
      fullName: 'ООО "Карат Рус Медиа"',
    }),
    200,
  );
  assert.deepEqual(updated, {
    status: 'ok',
    message: 'Конечный рекламодатель обновлен.',
    result: { uuid: forTest.uuid, inn: '7717707438', kpp: '771701002', name: 'Карат Рус Медиа ООО FOR TEST 3' },
  });
  const read = await expect(call('GET', `/finaladv?uuid=${forTest.uuid}`), 200);
  assert.equal(read.result[0].fullName, 'ООО "Карат Рус Медиа"');
});

test('§2 final contracts: create from the example, list it, update it by uuid with another advertiser and contractor', async (t) => {
  const { h, call } = await sambaHub(t);
  const itarget = await customer(h, ITARGET);
  const adv = (await expect(call('POST', '/finaladv', { ...KARAT, kpp: '771701004', name: 'Карат Рус Медиа ООО FOR TEST 22' }), 200))
    .result;
  const created = await expect(
    call('POST', '/finalcontracts', {
      number: '1-Test',
      date: '20220721',
      inn_finaladv: '7717707438',
      kpp_finaladv: '771701004',
      inn_contractor: '7726472670',
    }),
    200,
  );
  const uuid = created.result.uuid;
  assert.deepEqual(created, {
    status: 'ok',
    message: 'Конечный договор рекламодателя успешно создан',
    result: { uuid, number: '1-Test', date: '2022-07-21T00:00:00' },
  });
  assert.deepEqual(await expect(call('GET', '/finalcontracts?inn_finaladv=7717707438&date=21.07.2022'), 200), {
    status: 'ok',
    message: 'seccess',
    result: [
      {
        uuid,
        number: '1-Test',
        date: '2022-07-21T00:00:00',
        inn_finaladv: '7717707438',
        kpp_finaladv: '771701004',
        name_finaladv: 'Карат Рус Медиа ООО FOR TEST 22',
        uuid_finaladv: adv.uuid,
        inn_contractor: '7726472670',
        kpp_contractor: '772601001',
        name_contractor: '1001101 ООО ( до 31.01.2023 АЙТАРГЕТ ТЕХНОЛОГИИ)',
        uuid_contractor: itarget.uuid,
      },
    ],
  });
  // §2.3: the example moves the contract to another advertiser (by uuid) and contractor (by ИНН)
  const other = (await expect(call('POST', '/finaladv', { inn: '7707083893', name: 'Сбербанк' }), 200)).result;
  const kuban = await customer(h, { inn: '2309115177', kpp: '230901001', name: 'КУБАНЬ ООО' });
  const updated = await expect(
    call('PUT', '/finalcontracts', { uuid, number: '44-Test', date: '20220721', uuid_finaladv: other.uuid, inn_contractor: '2309115177' }),
    200,
  );
  assert.deepEqual(updated, {
    status: 'ok',
    message: 'Конечный договор рекламодателя обновлен',
    result: { uuid, number: '44-Test', date: '2022-07-21T00:00:00' },
  });
  const [row] = (await expect(call('GET', `/finalcontracts?uuid=${uuid}`), 200)).result;
  assert.deepEqual([row.uuid_finaladv, row.uuid_contractor, row.number], [other.uuid, kuban.uuid, '44-Test']);
});

test('§3 customers: the example record; name is a case-insensitive part, the other filters exact', async (t) => {
  const { h, call } = await sambaHub(t);
  const ald = await customer(h, ALD);
  await customer(h, TORNADO);
  const expected = { status: 'ok', message: 'seccess', result: [{ uuid: ald.uuid, ...ALD }] };
  assert.deepEqual(await expect(call('GET', '/customers?name=%D0%B0%D0%BB%D0%B4%20%D0%B0%D0%B2%D1%82%D0%BE'), 200), expected); // «алд авто»
  assert.deepEqual(await expect(call('GET', '/customers?inn=7725514969&kpp=772501001'), 200), expected);
  assert.deepEqual((await expect(call('GET', '/customers?inn=772551496'), 400)).status, 'error');
  assert.deepEqual((await expect(call('GET', '/customers?kpp=772501002'), 200)).result, []);
  assert.equal((await expect(call('GET', '/customers?name=&inn='), 200)).result.length, 2, 'empty filters are absent');
});

test('§4 brands: the example list, create and update', async (t) => {
  const { h, call } = await sambaHub(t);
  const tradition = await customer(h, TRADITION);
  await customer(h, TORNADO);
  const lt = (await expect(call('POST', '/brands', { name: 'SAMBA (ЛТ)', uuid_contractor: tradition.uuid }), 200)).result;
  const rt = (
    await expect(call('POST', '/brands', { name: 'Русские традиции ', inn_contractor: TRADITION.inn, kpp_contractor: TRADITION.kpp }), 200)
  ).result;
  const contractor = {
    name_contractor: 'ТРАДИЦИЯ ООО',
    inn_contractor: '7810751880',
    kpp_contractor: '781001001',
    uuid_contractor: tradition.uuid,
  };
  const expected = {
    status: 'ok',
    message: 'seccess',
    result: [
      { uuid: lt.uuid, name: 'SAMBA (ЛТ)', ...contractor },
      { uuid: rt.uuid, name: 'Русские традиции ', ...contractor },
    ],
  };
  assert.deepEqual(await expect(call('GET', '/brands?inn=7810751880'), 200), expected);
  assert.deepEqual(
    await expect(call('GET', '/brands?inn_contractor=7810751880&kpp_contractor=781001001'), 200),
    expected,
    'both spellings',
  );
  const created = await expect(call('POST', '/brands', { name: 'My brand NIKE', inn_contractor: '3526019521' }), 200);
  assert.deepEqual(created, {
    status: 'ok',
    message: 'Бренд успешно создан.',
    result: { uuid: created.result.uuid, name: 'My brand NIKE' },
  });
  const updated = await expect(call('PUT', '/brands', { name: 'NIKE NIKE', uuid: created.result.uuid }), 200);
  assert.deepEqual(updated, { status: 'ok', message: 'Бренд обновлен', result: { uuid: created.result.uuid, name: 'NIKE NIKE' } });
  assert.deepEqual(
    (await expect(call('GET', '/brands?name=nike'), 200)).result.map((b: { name: string }) => b.name),
    ['NIKE NIKE'],
  );
  const dup = await expect(call('POST', '/brands', { name: 'nike nike', inn_contractor: '3526019521' }), 409);
  assert.deepEqual(dup, {
    status: 'error',
    message: 'Бренд уже существует: NIKE NIKE',
    result: { uuid: created.result.uuid, name: 'NIKE NIKE' },
  });
});

test('§5 campaigns: the example list, "РК уже существует" with the record, update by uuid', async (t) => {
  const bed = await sambaHub(t);
  const { call } = bed;
  const w = await tornadoWorld(bed);
  const record = {
    uuid: w.rk.uuid,
    name: 'SAMBA|TORNADO|Oct - 2024',
    rk_id: 'У191994',
    numberMF: 'У000001',
    date_start: '2024-10-01T00:00:00',
    date_end: '2024-10-31T00:00:00',
    advance: false,
    name_brand: 'NIKE JUST DO IT',
    uuid_brand: w.brand.uuid,
    name_contractor: 'ТОРНАДО ООО',
    inn_contractor: '3526019521',
    kpp_contractor: '352601001',
    uuid_contractor: w.tornado.uuid,
    name_finaladv: '«ЛИДКОМ ИНВЕСТМЕНТС ЛИМИТЕД»',
    inn_finaladv: '9909369754',
    kpp_finaladv: '774751001',
    uuid_finaladv: w.lidcom.uuid,
    number_contract: '№ 135/19',
    date_contract: '2019-10-01T00:00:00',
    uuid_contract: w.contract.uuid,
  };
  assert.deepEqual(await expect(call('GET', '/rk?rk_id=%D0%A3191994'), 200), { status: 'ok', message: 'seccess', result: [record] });
  // §5.2's example request again: the seed's error answer, carrying the campaign
  const example = {
    rk_id: 'У191994',
    inn_contractor: '3526019521',
    kpp_contractor: '352601001',
    advance: false,
    date_start: '20241001',
    date_end: '20241031',
    inn_finaladv: '9909369754',
    kpp_finaladv: '',
    number_contract: '№ 135/19',
    date_contract: '01.10.2019',
  };
  assert.deepEqual(await expect(call('POST', '/rk', example), 409), { status: 'error', message: 'РК уже существует', result: record });
  // §5.3: found by uuid, rk_id replaced
  const updated = await expect(call('PUT', '/rk', { uuid: w.rk.uuid, ...example, rk_id: 'У191997' }), 200);
  assert.deepEqual(updated, { status: 'ok', message: 'РК обновлена', result: { ...record, rk_id: 'У191997' } });
  assert.equal((await expect(call('GET', '/rk?numberMF=%D0%A3000001&name=tornado'), 200)).result[0].rk_id, 'У191997');
});

// Validation branches: ИНН (format and check digits, 10 and 12 digits), КПП, the three date spellings and impossible
// days, sums, required fields, types — each a 400 in the seed's envelope naming the field, in Russian.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expect, sambaHub, TORNADO, tornadoWorld } from './helpers.js';
import { innValid, kppValid, parseDate, toKopecks, vatIncluded } from '../../../src/modules/samba/values.js';

test('ИНН and КПП: check digits and formats', () => {
  assert.ok(innValid('7707083893') && innValid('3526019521'), '10 digits');
  assert.ok(innValid('500100732259'), '12 digits');
  assert.ok(!innValid('7707083894'), 'wrong check digit');
  assert.ok(!innValid('500100732258') && !innValid('500100732249'), 'wrong 12th / 11th digit');
  assert.ok(!innValid('0000000000') && !innValid('77070838') && !innValid('77070838931'), 'zeros, lengths');
  assert.ok(kppValid('771701001') && kppValid('7717AB001'));
  assert.ok(!kppValid('771700001') && !kppValid('77170100') && !kppValid('7717ab001'), 'reason 00, length, lower case');
});

test('dates: YYYYMMDD, DD.MM.YYYY and ISO in; 1C form out; impossible days refused', () => {
  assert.equal(parseDate('20240229', 'd'), '2024-02-29T00:00:00');
  assert.equal(parseDate('29.02.2024', 'd'), '2024-02-29T00:00:00');
  assert.equal(parseDate('2024-02-29', 'd'), '2024-02-29T00:00:00');
  assert.equal(parseDate('2024-02-29T10:11:12', 'd'), '2024-02-29T10:11:12');
  assert.equal(parseDate('2024-12-31T22:30:00Z', 'd'), '2025-01-01T01:30:00', 'a zoned time moves to Moscow time');
  assert.equal(parseDate('2024-12-31T22:30:00+0300', 'd'), '2024-12-31T22:30:00');
  for (const bad of ['20230229', '31.04.2024', '2024-13-01', '2024-01-01T24:00:00', '2024-02-30T10:00:00Z'])
    assert.throws(() => parseDate(bad, 'date_start'), /Некорректная дата в поле «date_start»/, bad);
});

test('sums in kopecks; VAT included, half away from zero, integers only', () => {
  assert.equal(toKopecks(60000, 'amount'), 6_000_000);
  assert.equal(toKopecks('0.1', 'amount'), 10);
  assert.equal(toKopecks(' 19729,97 ', 'amount'), 1_972_997);
  assert.equal(toKopecks(-5, 'amount', { allowNegative: true }), -500);
  for (const bad of [0, -1, 1.001, '1.234', 'abc', 1e15])
    assert.throws(() => toKopecks(bad, 'amount'), /Некорректная сумма в поле «amount»/, String(bad));
  assert.equal(vatIncluded(6_000_000, 20), 1_000_000);
  assert.equal(vatIncluded(30_500, 22), 5_500, '305 ₽ at 22/122 → 55 ₽');
  assert.equal(vatIncluded(3, 20), 1, '0.5 kopeck rounds up');
  assert.equal(vatIncluded(-3, 20), -1, 'and away from zero below it');
  assert.equal(vatIncluded(2, 20), 0);
});

test('the API refuses each bad field with 400 naming it', async (t) => {
  const bed = await sambaHub(t);
  const { call } = bed;
  await tornadoWorld(bed);
  const refused = async (method: 'GET' | 'POST' | 'PUT', url: string, body: unknown, message: RegExp) => {
    const res = await expect(call(method, url, body), 400);
    assert.equal(res.status, 'error');
    assert.equal(res.result, null);
    assert.match(res.message, message, JSON.stringify(body));
  };
  await refused('POST', '/finaladv', { inn: '7707083894', name: 'x' }, /^Некорректный ИНН в поле «inn»: 7707083894/);
  await refused('POST', '/finaladv', { inn: '77070838', name: 'x' }, /поле «inn»/);
  await refused('POST', '/finaladv', { inn: '7707083893', kpp: '771700001', name: 'x' }, /^Некорректный КПП в поле «kpp»/);
  await refused('POST', '/finaladv', { inn: '7707083893', kpp: '7717-0001', name: 'x' }, /поле «kpp»/);
  await refused('POST', '/finaladv', { inn: '7707083893' }, /«name»/);
  await refused(
    'POST',
    '/finaladv',
    { inn: '500100732259', kpp: '771701001', name: 'ИП' },
    /^КПП в поле «kpp» не указывается для ИНН из 12 цифр/,
  );
  await refused('POST', '/rk', { rk_id: 'R', inn_contractor: '500100732259', kpp_contractor: '771701001' }, /«kpp_contractor»/);
  await refused('POST', '/finaladv', { inn: '', name: 'x' }, /«inn»/);
  await refused('POST', '/finaladv', { inn: 7707083893, name: 'x' }, /поле «inn»/);
  await refused('POST', '/brands', { name: 'b', inn_contractor: '3526019522' }, /^Некорректный ИНН в поле «inn_contractor»/);
  await refused('POST', '/rk', { rk_id: 'R', inn_contractor: TORNADO.inn, kpp_finaladv: '77475100X' }, /поле «kpp_finaladv»/);
  await refused(
    'POST',
    '/rk',
    { rk_id: 'R', inn_contractor: TORNADO.inn, date_start: '20240231' },
    /^Некорректная дата в поле «date_start»: 20240231/,
  );
  await refused('POST', '/rk', { rk_id: 'R', inn_contractor: TORNADO.inn, date_end: '2024/10/31' }, /поле «date_end»/);
  await refused('POST', '/rk', { rk_id: 'R', inn_contractor: TORNADO.inn, advance: 'yes' }, /поле «advance»/);
  await refused('POST', '/rk', { rk_id: 'R', inn_contractor: TORNADO.inn, name: 'a\u0000b' }, /поле «name»/);
  await refused(
    'POST',
    '/finalcontracts',
    { number: '1', date: '31.02.2022', inn_finaladv: '9909369754', inn_contractor: TORNADO.inn },
    /«date»/,
  );
  await refused('POST', '/po', { rk_id: 'У191994', amount: 100.005 }, /^Некорректная сумма в поле «amount»/);
  await refused('POST', '/po', { rk_id: 'У191994', amount: -1 }, /^Некорректная сумма в поле «amount»: -1 \(должна быть больше нуля\)/);
  await refused('POST', '/po', { rk_id: 'У191994', amount: '1e5' }, /поле «amount»/);
  await refused('POST', '/po', { rk_id: 'У191994', amount: true }, /поле «amount»/);
  await refused('POST', '/po', { rk_id: 'У191994', amount: 1, date: '2024-10-8' }, /поле «date»/);
  await refused('GET', '/po?date_start=2024', undefined, /поле «date_start»/);
  await refused('GET', '/po?advance=yes', undefined, /поле «advance»/);
  await refused('GET', '/finaladv?inn=7707083894', undefined, /^Некорректный ИНН в поле «inn»/);
  const badJson = await call('POST', '/finaladv', '{"inn":');
  assert.equal(badJson.statusCode, 400);
  assert.deepEqual(badJson.json(), { status: 'error', message: 'Тело запроса не является корректным JSON', result: null });
  const unknown = await call('GET', '/nothing');
  assert.equal(unknown.statusCode, 404);
  assert.deepEqual(unknown.json(), { status: 'error', message: 'Не найдено', result: null });
});

// Requests that cannot make a valid ПТД are 400 in the Error shape, listing every problem by request field: schema
// violations (all of them, not the first), the module's own checks (VIN, ИНН, codes, broker fields) and what only
// the XSD sees. Nothing is recorded for a refused request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, customsHub, exportPtd, tokenOf } from './helpers.js';
import { broker, goodsOnly, oneCar } from './requests.js';

type Problem = { field: string; code: string; message: string };
const problemsOf = (res: { json(): unknown }) => (res.json() as { error: { problems: Problem[] } }).error.problems;
const fields = (res: { json(): unknown }) => problemsOf(res).map((p) => `${p.field}:${p.code}`);

test('schema violations are all listed, each by field, in Russian', async (t) => {
  const h = await customsHub(t);
  const token = await tokenOf(h, 'amocrm');
  const body = {
    ...oneCar,
    movingCode: '7',
    declarant: { ...oneCar.declarant, inn: '12345', identityDoc: { number: '1', country: 'ru' }, extra: true },
    vehicles: { purpose: '1', items: [{ ...oneCar.vehicles!.items[0]!, price: { amount: -1, currency: 'JPY' } }] },
  };
  const { filledBy: _dropped, ...withoutFilledBy } = body;
  const res = await exportPtd(h, withoutFilledBy, { token });
  assert.equal(res.statusCode, 400);
  const json = res.json();
  assert.equal(json.success, false);
  assert.equal(json.error.code, 'VALIDATION_FAILED');
  assert.match(json.error.requestId, /^[0-9a-f-]{36}$/);
  assert.deepEqual(fields(res).sort(), [
    'declarant.extra:SCHEMA_ADDITIONALPROPERTIES',
    'declarant.identityDoc.country:SCHEMA_PATTERN',
    'declarant.inn:SCHEMA_PATTERN',
    'filledBy:SCHEMA_REQUIRED',
    'movingCode:SCHEMA_ENUM',
    'vehicles.items.0.price.amount:SCHEMA_MINIMUM',
  ]);
  assert.match(json.error.message, /^Некорректный запрос: /);
  assert.ok(problemsOf(res).some((p) => p.message === 'отсутствует обязательное поле «filledBy»'));
  assert.deepEqual((await admin(h, 'GET', `/customs/leads/${oneCar.leadId}/ptd-exports`)).json(), { exports: [] });
});

test("the module's own checks refuse what the schema lets through, each by field", async (t) => {
  const h = await customsHub(t);
  const token = await tokenOf(h, 'amocrm');
  const car = oneCar.vehicles!.items[0]!;
  const res = await exportPtd(
    h,
    {
      ...oneCar,
      declarant: { ...oneCar.declarant, inn: '500100732250', addresses: [{ kind: '1', country: 'XX' }] },
      vehicles: {
        purpose: '1',
        items: [
          { ...car, vin: 'JTDBR32E72O123456', price: { amount: 10.001, currency: 'ABC' } },
          { make: 'TOYOTA', model: 'COROLLA', manufactureDate: '2004-05-01', powerKw: 72.123, price: { amount: 1, currency: 'RUB' } },
        ],
      },
      filledBy: { ...broker.filledBy, brokerRegistryNumber: undefined },
    },
    { token },
  );
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().error.code, 'PTD_INVALID');
  assert.deepEqual(fields(res), [
    'declarant.inn:INN_CHECKSUM',
    'declarant.addresses.0.country:COUNTRY_UNKNOWN',
    'vehicles.items.0.vin:VIN_FORMAT',
    'vehicles.items.0.price.currency:CURRENCY_UNKNOWN',
    'vehicles.items.0.price.amount:AMOUNT_DECIMALS',
    'vehicles.items.1:VEHICLE_ID_MISSING',
    'vehicles.items.1.powerKw:DECIMALS',
    'filledBy.brokerRegistryNumber:BROKER_REQUIRED',
  ]);
  const nothing = await exportPtd(h, { ...oneCar, vehicles: undefined }, { token });
  assert.equal(nothing.statusCode, 400);
  assert.deepEqual(fields(nothing), ['vehicles:NOTHING_DECLARED']);
});

test('control characters are refused by field; line breaks and tabs in a description are folded', async (t) => {
  const h = await customsHub(t);
  const token = await tokenOf(h, 'amocrm');
  for (const [bad, label] of [
    ['Ива\u0000нов', 'NUL'],
    ['Ива\u0007нов', 'BEL'],
    ['Ива\u0085нов', 'C1 NEL'],
    ['Ива\uFFFEнов', 'U+FFFE'],
    ['Ива\uD800нов', 'a lone surrogate'],
    ['Ива\nнов', 'a line break in a one-line field'],
  ]) {
    const res = await exportPtd(h, { ...oneCar, declarant: { ...oneCar.declarant, lastName: bad } }, { token });
    assert.equal(res.statusCode, 400, label);
    assert.deepEqual(fields(res), ['declarant.lastName:SCHEMA_PATTERN'], label);
  }
  const item = { description: 'строка 1\r\n\tстрока 2', price: { amount: 1, currency: 'RUB' } };
  const ok = await exportPtd(h, { ...goodsOnly, goods: { purpose: '1', items: [item] } }, { token });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.ok(ok.body.includes('<pas_d:GoodsDescription>строка 1 строка 2</pas_d:GoodsDescription>'));
  const blank = await exportPtd(h, { ...goodsOnly, goods: { purpose: '1', items: [{ ...item, description: ' \n\t ' }] } }, { token });
  assert.deepEqual(fields(blank), ['goods.items.0.description:EMPTY']);
});

test('what only the XSD sees is reported against the field its element came from; an unknown album is 400', async (t) => {
  const h = await customsHub(t);
  const token = await tokenOf(h, 'amocrm');
  // A surname of spaces passes the schema (minLength 1) but folds to nothing: the album's NameType refuses it.
  const res = await exportPtd(h, { ...oneCar, declarant: { ...oneCar.declarant, lastName: '   ' } }, { token });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().error.code, 'PTD_INVALID');
  const [problem, ...rest] = problemsOf(res);
  assert.deepEqual(rest, []);
  assert.equal(problem!.field, 'declarant.lastName');
  assert.equal(problem!.code, 'XSD');
  assert.match(problem!.message, /^Не проходит XSD-схему ПТД: Element 'PersonSurname': \[facet 'minLength'\]/);

  const album = await exportPtd(h, { ...oneCar, albumVersion: '9.99.0' }, { token });
  assert.equal(album.statusCode, 400);
  assert.equal(album.json().error.code, 'ALBUM_UNKNOWN');
  assert.deepEqual(fields(album), ['albumVersion:ALBUM_UNKNOWN']);

  const notJson = await exportPtd(h, '{"leadId": 1,', { token });
  assert.equal(notJson.statusCode, 400);
  assert.equal(notJson.json().success, false);
  assert.equal(notJson.json().error.code, 'BAD_REQUEST');

  // The platform's nesting limit answers before any schema, in this module's shape, its detail as a problem.
  const deep = await exportPtd(h, `{"leadId":${'['.repeat(100)}${']'.repeat(100)}}`, { token });
  assert.equal(deep.statusCode, 400);
  assert.equal(deep.json().success, false);
  assert.equal(problemsOf(deep).length, 1, deep.body);
  assert.equal(problemsOf(deep)[0]!.code, 'SCHEMA');
});

// Hostile input to the tracking API (issue #19, findings 3 and 6): each of these answered 500 or was stored
// silently altered. Now every one is a 400 in the seed's {detail} envelope, and values at the limits are stored
// exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trackingHub, provision, api, admin } from './helpers.js';
import { MAX_PRICE_PER_KG_USD, MAX_TOTAL_COST_USD, MAX_WEIGHT_KG } from '../../../src/modules/tracking/contract.js';

const refused = (res: { statusCode: number; json(): unknown; body: string }, what: string) => {
  assert.equal(res.statusCode, 400, `${what}: ${res.body}`);
  const body = res.json() as { detail?: unknown };
  assert.deepEqual(Object.keys(body), ['detail'], `${what}: the {detail} envelope`);
  assert.equal(typeof body.detail, 'string');
};

test('NUL and control characters in stored or filtered strings are 400s', async (t) => {
  const h = await trackingHub(t);
  const { botId, key } = await provision(h);
  const call = api(h, key);
  const base = { tracking_number: 'NUL-1', client_code: 'C1' };
  for (const [field, value] of [
    ['tracking_number', 'A\u0000B'],
    ['client_code', 'C\u0000'],
    ['client_code', 'C\u001b[31m'],
    ['note', 'note\u0000'],
    ['note', 'bell\u0007'],
    ['note', 'half \ud83d of an emoji'],
  ] as const) {
    refused(await call('POST', `/tracking/${botId}`, { ...base, [field]: value }), `${field} ${JSON.stringify(value)}`);
  }
  const multiline = await call('POST', `/tracking/${botId}`, { ...base, note: 'две\nстроки\tи\r 📦' });
  assert.equal(multiline.statusCode, 201, 'a note keeps tab, line feed and carriage return');
  const id = multiline.json().id;
  refused(await call('PUT', `/tracking/${botId}/${id}`, { note: '\u0000' }), 'note on update');
  refused(await call('GET', `/tracking/${botId}?client_code=a%00b`), 'the client_code filter');
  refused(await call('GET', `/tracking/${botId}/by-client/a%00b`), 'the by-client path');
  for (const [url, body] of [
    ['/tracking/bots', { name: 'bot\u0000' }],
    [`/tracking/bots/${botId}/keys`, { name: 'k\u0000' }],
    [`/tracking/bots/${botId}/webhooks`, { url: 'http://127.0.0.1/\u0000' }],
  ] as const) {
    const res = await admin(h, 'POST', url, body);
    assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
    assert.equal(res.json().error.code, 'VALIDATION_FAILED', 'the operator API answers in the platform envelope');
  }
});

test('weights, prices and totals: the maxima are what the columns hold, and an overflowing product is refused', async (t) => {
  const h = await trackingHub(t);
  const { botId, key } = await provision(h);
  const call = api(h, key);
  const at = await call('POST', `/tracking/${botId}`, {
    tracking_number: 'MAX-1',
    client_code: 'C1',
    weight_kg: MAX_WEIGHT_KG,
    price_per_kg_usd: MAX_PRICE_PER_KG_USD,
    total_cost_usd: MAX_TOTAL_COST_USD,
  });
  assert.equal(at.statusCode, 201, at.body);
  assert.deepEqual(
    [at.json().weight_kg, at.json().price_per_kg_usd, at.json().total_cost_usd],
    [MAX_WEIGHT_KG, MAX_PRICE_PER_KG_USD, MAX_TOTAL_COST_USD],
  );
  for (const [field, value] of [
    ['weight_kg', 1e11],
    ['weight_kg', 999_999_999.9996], // PostgreSQL would round it up past the column
    ['price_per_kg_usd', 1e10],
    ['total_cost_usd', 1e12],
    ['total_cost_usd', 1e300],
  ] as const) {
    refused(
      await call('POST', `/tracking/${botId}`, { tracking_number: `OVER-${field}`, client_code: 'C1', [field]: value }),
      `${field} ${value}`,
    );
  }
  const product = await call('POST', `/tracking/${botId}`, {
    tracking_number: 'OVER-P',
    client_code: 'C1',
    weight_kg: 1e8,
    price_per_kg_usd: 1e8,
  });
  refused(product, 'weight × price beyond total_cost_usd');
  assert.match(product.json().detail, /total_cost_usd/);
  const given = await call('POST', `/tracking/${botId}`, {
    tracking_number: 'OVER-P',
    client_code: 'C1',
    weight_kg: 1e8,
    price_per_kg_usd: 1e8,
    total_cost_usd: 100,
  });
  assert.equal(given.statusCode, 201, 'an explicit total is used as given');
  refused(await call('PUT', `/tracking/${botId}/${given.json().id}`, { weight_kg: 1e12 }), 'a weight on update');
});

test('huge, non-finite and coerced numbers: pages, ids and body fields', async (t) => {
  const h = await trackingHub(t);
  const { botId, key, keyId } = await provision(h);
  const call = api(h, key);
  for (const q of ['page=1e300', 'page=Infinity', 'page=-Infinity', 'page=2000000', 'page_size=1e300', 'page=NaN']) {
    refused(await call('GET', `/tracking/${botId}?${q}`), q);
    refused(await call('GET', `/clients/${botId}?${q}`), `clients ${q}`);
  }
  refused(await call('GET', `/tracking/${botId}/99999999999999999999`), 'a tracking id beyond bigint');
  refused(await call('GET', `/tracking/${botId}/Infinity`), 'a non-finite tracking id');
  for (const days of ['Infinity', '1e300', '0']) {
    const res = await admin(h, 'GET', `/tracking/keys/${keyId}/usage?days=${days}`);
    assert.equal(res.statusCode, 400, `days=${days}`);
  }
  // Bodies are JSON: a boolean, a hex string or a numeric string is not an integer.
  for (const quantity of [true, '0x12F', '5', [5]]) {
    refused(
      await call('POST', `/tracking/${botId}`, { tracking_number: 'Q-1', client_code: 'C1', quantity }),
      `quantity ${JSON.stringify(quantity)}`,
    );
  }
  refused(await call('POST', `/tracking/${botId}`, { tracking_number: 'Q-1', client_code: 'C1', weight_kg: '10.5' }), 'a numeric string');
  assert.equal((await admin(h, 'PATCH', `/tracking/keys/${keyId}`, { rate_limit_per_minute: '60' })).statusCode, 400, 'an admin body');
  const form = await call('POST', `/tracking/${botId}`, 'tracking_number=F-1&client_code=C1', {
    'content-type': 'application/x-www-form-urlencoded',
  });
  assert.equal(form.statusCode, 415, 'a form body on a JSON route');
  assert.equal(typeof form.json().detail, 'string');
  const text = await call('POST', `/tracking/${botId}`, '{"tracking_number":"T-1","client_code":"C1"}', { 'content-type': 'text/plain' });
  assert.equal(text.statusCode, 415);
  const list = (await call('GET', `/tracking/${botId}`)).json();
  assert.equal(list.total, 0, 'nothing above was stored');
});

test('a 200 000-deep body and an over-long path parameter answer in {detail}', async (t) => {
  const h = await trackingHub(t);
  const { botId, key } = await provision(h);
  const call = api(h, key);
  refused(await call('POST', `/tracking/${botId}`, '['.repeat(200_000) + ']'.repeat(200_000)), 'deep nesting');
  const long = await call('GET', `/tracking/${botId}/by-client/${'x'.repeat(1001)}`);
  assert.equal(long.statusCode, 414);
  assert.deepEqual(Object.keys(long.json()), ['detail']);
  const bad = await call('GET', `/tracking/${botId}/by-client/%ZZ`);
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(Object.keys(bad.json()), ['detail']);
});

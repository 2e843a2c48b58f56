// Issue #24, tracking: lookup by exact tracking number, unknown query parameters refused by name (in both modules'
// lists), a PUT with {} that says what it may carry, and the pagination shared with quiz (page 0, oversize).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, parcel, provision, trackingHub } from './helpers.js';
import { auth, quizHub, seedConnectedAccount } from '../quiz/helpers.js';

test('?tracking_number= finds one number exactly (case and all), with the other filters, by the unique index', async (t) => {
  const h = await trackingHub(t);
  const { botId, key } = await provision(h);
  const call = api(h, key);
  for (const [n, c] of [
    ['ABC123456', 'C1'],
    ['ABC1234567', 'C1'],
    ['abc123456', 'C2'],
  ])
    assert.equal((await call('POST', `/tracking/${botId}`, parcel(n!, c!))).statusCode, 201);
  const find = async (q: string) => {
    const res = await call('GET', `/tracking/${botId}?${q}`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    return [body.tracking_numbers.map((x: { tracking_number: string }) => x.tracking_number), body.total];
  };
  assert.deepEqual(await find('tracking_number=ABC123456'), [['ABC123456'], 1]);
  assert.deepEqual(await find('tracking_number=abc123456'), [['abc123456'], 1]);
  assert.deepEqual(await find('tracking_number=ABC12345'), [[], 0], 'exact, not a prefix');
  assert.deepEqual(await find('tracking_number=ABC123456&client_code=C2'), [[], 0]);
  assert.deepEqual(await find('tracking_number=ABC123456&client_code=C1&status_filter=pending'), [['ABC123456'], 1]);
  assert.deepEqual(await find('tracking_number=ABC123456&status_filter=issued'), [[], 0]);
  const [index] = await h.hub.database.query<{ indexdef: string }>(
    "select indexdef from pg_indexes where tablename = 'tracking_numbers' and indexname = 'tracking_numbers_number_uq'",
    [],
  );
  assert.match(index!.indexdef, /\(bot_id, tracking_number\)/);
  const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const param = doc.paths['/api/v1/tracking/{bot_id}'].get.parameters.find((p: { name: string }) => p.name === 'tracking_number');
  assert.equal(param?.in, 'query', 'documented in the OpenAPI document');
});

test('unknown query parameters are 400s naming them in {detail}, on every tracking list and on quiz lists', async (t) => {
  const h = await trackingHub(t);
  const { botId, key } = await provision(h);
  const call = api(h, key);
  assert.equal((await call('POST', `/tracking/${botId}`, parcel('P-1'))).statusCode, 201);
  for (const url of [
    `/tracking/${botId}?status=pending`,
    `/tracking/${botId}?page=1&status=pending`,
    `/clients/${botId}?status=pending`,
    `/tracking/${botId}/by-client/CLIENT123?status=pending`,
    `/statistics/${botId}/tracking?status=pending`,
  ]) {
    const res = await call('GET', url);
    assert.equal(res.statusCode, 400, url);
    assert.deepEqual(res.json(), { detail: 'Некорректный запрос: неизвестный параметр запроса «status»' }, url);
  }

  const q = await quizHub(t);
  await seedConnectedAccount(q, 'acc-1');
  const headers = await auth('acc-1');
  for (const url of ['/quiz/users?limit=10', '/quiz/steps?pipelineID=7001&limit=10']) {
    const res = await q.app.inject({ method: 'GET', url, headers });
    assert.equal(res.statusCode, 400, url);
    assert.equal(res.json(), 'Некорректный запрос: неизвестный параметр запроса «limit»', url);
  }
});

test('PUT with {} names the fields it may carry; page 0 is the first page and an oversize page is clamped, as in quiz', async (t) => {
  const h = await trackingHub(t);
  const { botId, key } = await provision(h);
  const call = api(h, key);
  const created = (await call('POST', `/tracking/${botId}`, parcel('P-1'))).json();
  const empty = await call('PUT', `/tracking/${botId}/${created.id}`, {});
  assert.equal(empty.statusCode, 400);
  assert.equal(
    empty.json().detail,
    'Пустое тело: укажите хотя бы одно из полей status, quantity, weight_kg, price_per_kg_usd, total_cost_usd, note',
  );
  assert.equal((await call('POST', `/tracking/${botId}`, parcel('P-2'))).statusCode, 201);
  const first = (await call('GET', `/tracking/${botId}?page=0&page_size=1`)).json();
  assert.deepEqual([first.tracking_numbers[0].tracking_number, first.total], ['P-2', 2]);
  assert.equal((await call('GET', `/tracking/${botId}?page_size=1000`)).json().tracking_numbers.length, 2);
  assert.equal((await call('GET', `/clients/${botId}?page=0&page_size=1000`)).json().clients.length, 1);

  const q = await quizHub(t);
  await seedConnectedAccount(q, 'acc-1');
  const headers = await auth('acc-1');
  const users = async (query: string) => (await q.app.inject({ method: 'GET', url: `/quiz/users?${query}`, headers })).json();
  assert.deepEqual((await users('page=0&size=1')).items.length, 1);
  assert.deepEqual((await users('size=1000')).items.length, 3, 'quiz clamps the same way');
});

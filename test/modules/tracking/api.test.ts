// Every public endpoint of seed 004: happy paths and their 400/404/409 answers, pagination edges, the status
// machine with its history, statistics, and the OpenAPI document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trackingHub, provision, api, parcel } from './helpers.js';
import { Validator } from '@seriousme/openapi-schema-validator';
import fastJson from 'fast-json-stringify';
import { ClientTrackingList, TrackingList } from '../../../src/modules/tracking/contract.js';
import { allowedNext, canMove, STATUSES } from '../../../src/modules/tracking/statuses.js';

test('tracking numbers: create, read with history, update, list filters, by-client; errors in {detail}', async (t) => {
  const h = await trackingHub(t);
  const { botId, key } = await provision(h);
  const call = api(h, key);

  const created = await call('POST', `/tracking/${botId}`, parcel('ABC123456'));
  assert.equal(created.statusCode, 201, created.body);
  const tn = created.json();
  assert.deepEqual(
    { ...tn, id: undefined, created_at: undefined, updated_at: undefined },
    {
      id: undefined,
      tracking_number: 'ABC123456',
      client_code: 'CLIENT123',
      current_status: 'pending',
      quantity: 5,
      weight_kg: 10.5,
      price_per_kg_usd: 14.29,
      total_cost_usd: 150,
      note: 'Хрупкое',
      created_at: undefined,
      updated_at: undefined,
    },
  );
  const computed = await call('POST', `/tracking/${botId}`, {
    tracking_number: 'XYZ-1',
    client_code: 'C2',
    weight_kg: 2.5,
    price_per_kg_usd: 3.333,
  });
  assert.equal(computed.json().total_cost_usd, 8.33, 'total_cost_usd = weight × price when not given');
  assert.equal(computed.json().quantity, null);

  const dup = await call('POST', `/tracking/${botId}`, parcel('ABC123456', 'OTHER'));
  assert.equal(dup.statusCode, 409);
  assert.match(dup.json().detail, /ABC123456/);

  const bad = await call('POST', `/tracking/${botId}`, { tracking_number: '', client_code: 'C', weight_kg: -1 });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().detail, /^Некорректный запрос: /);
  const unknownField = await call('POST', `/tracking/${botId}`, { ...parcel('N1'), color: 'red' });
  assert.equal(unknownField.statusCode, 400);
  assert.match(unknownField.json().detail, /лишнее поле «color»/);
  const badStatus = await call('POST', `/tracking/${botId}`, parcel('N2', 'C', { status: 'lost' }));
  assert.equal(badStatus.statusCode, 400);
  const badJson = await call('POST', `/tracking/${botId}`, '{"tracking_number":');
  assert.equal(badJson.statusCode, 400);
  assert.equal(typeof badJson.json().detail, 'string');

  const one = await call('GET', `/tracking/${botId}/${tn.id}`);
  assert.equal(one.statusCode, 200);
  assert.deepEqual(
    one.json().history.map((e: { status: string; from_status: string | null }) => [e.from_status, e.status]),
    [[null, 'pending']],
  );
  assert.equal((await call('GET', `/tracking/${botId}/999999`)).statusCode, 404);
  assert.equal((await call('GET', `/tracking/${botId}/abc`)).statusCode, 400);

  const moved = await call('PUT', `/tracking/${botId}/${tn.id}`, { status: 'in_transit' });
  assert.equal(moved.statusCode, 200);
  assert.equal(moved.json().current_status, 'in_transit');
  assert.deepEqual(
    moved.json().history.map((e: { status: string }) => e.status),
    ['pending', 'in_transit'],
  );
  const same = await call('PUT', `/tracking/${botId}/${tn.id}`, { status: 'in_transit' });
  assert.equal(same.statusCode, 200, 'repeating the current status is a no-op');
  assert.equal(same.json().history.length, 2);
  const fields = await call('PUT', `/tracking/${botId}/${tn.id}`, { weight_kg: 11, note: null });
  assert.equal(fields.json().weight_kg, 11);
  assert.equal(fields.json().note, null);
  assert.equal((await call('PUT', `/tracking/${botId}/${tn.id}`, {})).statusCode, 400, 'an empty update is rejected');
  assert.equal((await call('PUT', `/tracking/${botId}/424242`, { status: 'issued' })).statusCode, 404);
  const back = await call('PUT', `/tracking/${botId}/${tn.id}`, { status: 'pending' });
  assert.equal(back.statusCode, 409);
  assert.deepEqual(back.json().allowed_statuses, ['delivered', 'issued', 'cancelled']);
  assert.equal(back.json().current_status, 'in_transit');

  await call('POST', `/tracking/${botId}`, parcel('DEF-2', 'CLIENT123'));
  const byClient = await call('GET', `/tracking/${botId}/by-client/CLIENT123`);
  assert.equal(byClient.statusCode, 200);
  assert.equal(byClient.json().total, 2);
  assert.deepEqual(
    byClient.json().tracking_numbers.map((x: { tracking_number: string }) => x.tracking_number),
    ['DEF-2', 'ABC123456'],
  );
  assert.equal((await call('GET', `/tracking/${botId}/by-client/NOBODY`)).statusCode, 404);

  const filtered = await call('GET', `/tracking/${botId}?status_filter=in_transit`);
  assert.deepEqual([filtered.json().total, filtered.json().tracking_numbers.length], [1, 1]);
  const seedQuery = await call('GET', `/tracking/${botId}?client_code=CLIENT123`);
  assert.equal(seedQuery.json().total, 2, 'the seed client examples filter the list by client_code');
  const both = await call('GET', `/tracking/${botId}?client_code=CLIENT123&status_filter=pending`);
  assert.deepEqual([both.json().total, both.json().tracking_numbers[0].tracking_number], [1, 'DEF-2']);
  const nobody = await call('GET', `/tracking/${botId}?client_code=NOBODY`);
  assert.deepEqual(nobody.json(), { tracking_numbers: [], total: 0 });
  assert.equal((await call('GET', `/tracking/${botId}?status_filter=lost`)).statusCode, 400);
});

test('the status machine: forward only, cancelled from any state but issued, every change in the history', async (t) => {
  assert.deepEqual(allowedNext('pending'), ['in_transit', 'delivered', 'issued', 'cancelled']);
  assert.deepEqual(allowedNext('delivered'), ['issued', 'cancelled']);
  assert.deepEqual(allowedNext('issued'), []);
  assert.deepEqual(allowedNext('cancelled'), []);
  for (const from of STATUSES) assert.equal(canMove(from, from), false, `${from} → ${from} is not a move`);

  const h = await trackingHub(t);
  const { botId, key } = await provision(h);
  const call = api(h, key);
  const id = (await call('POST', `/tracking/${botId}`, parcel('CHAIN'))).json().id;
  for (const s of ['in_transit', 'delivered', 'issued'])
    assert.equal((await call('PUT', `/tracking/${botId}/${id}`, { status: s })).statusCode, 200);
  const cancelIssued = await call('PUT', `/tracking/${botId}/${id}`, { status: 'cancelled' });
  assert.equal(cancelIssued.statusCode, 409);
  assert.deepEqual(cancelIssued.json().allowed_statuses, []);
  assert.match(cancelIssued.json().detail, /окончательный/);
  const detail = (await call('GET', `/tracking/${botId}/${id}`)).json();
  assert.deepEqual(
    detail.history.map((e: { status: string }) => e.status),
    ['pending', 'in_transit', 'delivered', 'issued'],
  );

  const skip = (await call('POST', `/tracking/${botId}`, parcel('SKIP'))).json().id;
  assert.equal((await call('PUT', `/tracking/${botId}/${skip}`, { status: 'delivered' })).statusCode, 200, 'a forward skip is allowed');
  assert.equal((await call('PUT', `/tracking/${botId}/${skip}`, { status: 'cancelled' })).statusCode, 200);
  assert.equal((await call('PUT', `/tracking/${botId}/${skip}`, { status: 'in_transit' })).statusCode, 409, 'cancelled is terminal');

  const overview = (await call('GET', `/statistics/${botId}/overview`)).json();
  assert.deepEqual(overview, {
    total_clients: 1,
    total_tracking_numbers: 2,
    pending: 0,
    in_transit: 0,
    delivered: 0,
    issued: 1,
    cancelled: 1,
  });
});

test('pagination edges: first, middle, last, past the end, page_size bounds; totals stay exact', async (t) => {
  const h = await trackingHub(t);
  const { botId, key } = await provision(h);
  const call = api(h, key);
  for (let i = 1; i <= 7; i++) assert.equal((await call('POST', `/tracking/${botId}`, parcel(`P-${i}`, `C${i % 3}`))).statusCode, 201);
  const page = async (q: string) => (await call('GET', `/tracking/${botId}?${q}`)).json();
  const numbers = (r: { tracking_numbers: Array<{ tracking_number: string }> }) => r.tracking_numbers.map((x) => x.tracking_number);

  assert.deepEqual(numbers(await page('page=1&page_size=3')), ['P-7', 'P-6', 'P-5']);
  assert.deepEqual(numbers(await page('page=2&page_size=3')), ['P-4', 'P-3', 'P-2']);
  const last = await page('page=3&page_size=3');
  assert.deepEqual([numbers(last), last.total], [['P-1'], 7]);
  const past = await page('page=4&page_size=3');
  assert.deepEqual([numbers(past), past.total], [[], 7]);
  assert.equal((await page('')).tracking_numbers.length, 7, 'page_size defaults to 50');
  assert.equal((await page('page_size=100')).total, 7);
  // Pagination is shared with quiz (#24): page 0 is the first page, a size over 100 reads as 100.
  assert.deepEqual(numbers(await page('page=0&page_size=3')), ['P-7', 'P-6', 'P-5'], 'page 0 is the first page');
  assert.equal((await page('page_size=101')).tracking_numbers.length, 7, 'a size over 100 is clamped, not refused');
  for (const q of ['page=-1', 'page_size=0', 'page=x']) {
    const r = await call('GET', `/tracking/${botId}?${q}`);
    assert.equal(r.statusCode, 400, q);
    assert.match(r.json().detail, /Некорректный запрос/);
  }

  const clients = (await call('GET', `/clients/${botId}?page=1&page_size=2`)).json();
  assert.deepEqual([clients.clients.length, clients.total], [2, 3]);
  const lastClients = (await call('GET', `/clients/${botId}?page=2&page_size=2`)).json();
  assert.equal(lastClients.clients.length, 1);
  assert.equal((await call('GET', `/clients/${botId}?page_size=0`)).statusCode, 400);
  const c = clients.clients[0];
  const one = await call('GET', `/clients/${botId}/${c.id}`);
  assert.deepEqual(one.json(), c);
  assert.equal(c.tracking_numbers_count, c.client_code === 'C1' ? 3 : 2);
  assert.equal((await call('GET', `/clients/${botId}/99999`)).statusCode, 404);
  const byClient = (await call('GET', `/tracking/${botId}/by-client/C1?page=2&page_size=2`)).json();
  assert.deepEqual([byClient.tracking_numbers.length, byClient.total], [1, 3]);
});

test('list answers, serialised with JSON.stringify, are byte for byte what the schema serializer writes', async (t) => {
  // The list routes skip fast-json-stringify (VIEW_JSON): this holds them to it. An extra field, a field out of the
  // schema's order, an amount as text or a timestamp in another format would each make the two differ.
  const h = await trackingHub(t);
  const { botId, key } = await provision(h);
  const call = api(h, key);
  const inputs = [
    parcel('Q-1', 'C1'),
    {
      tracking_number: 'Q-2',
      client_code: 'C1',
      note: 'кавычки " и \\ слеш, перевод\nстроки, эмодзи 📦, \u2028',
      quantity: 0,
      weight_kg: 0.1,
      price_per_kg_usd: 0.2,
    },
    { tracking_number: 'Q-3', client_code: 'C2', status: 'in_transit', weight_kg: 999_999_999.99, total_cost_usd: 1e11 },
    { tracking_number: 'Q-4', client_code: 'C1' },
  ];
  for (const body of inputs) assert.equal((await call('POST', `/tracking/${botId}`, body)).statusCode, 201);
  const schemaBytes = (schema: object, res: { body: string }) => fastJson(schema as never)(JSON.parse(res.body));
  for (const url of [
    `/tracking/${botId}`,
    `/tracking/${botId}?status_filter=in_transit`,
    `/tracking/${botId}?client_code=C1&page_size=2`,
  ]) {
    const res = await call('GET', url);
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, schemaBytes(TrackingList, res), url);
  }
  const res = await call('GET', `/tracking/${botId}/by-client/C1`);
  assert.equal(res.json().tracking_numbers.length, 3);
  assert.equal(res.body, schemaBytes(ClientTrackingList, res));
  const note = res.json().tracking_numbers.find((x: { tracking_number: string }) => x.tracking_number === 'Q-2');
  assert.deepEqual([note.note, note.quantity, note.weight_kg, note.total_cost_usd], [inputs[1]!.note, 0, 0.1, 0.02]);
  const missing = await call('GET', `/tracking/${botId}/by-client/NOPE`);
  assert.deepEqual([missing.statusCode, missing.body], [404, JSON.stringify({ detail: 'Клиент с кодом NOPE не найден' })]);
});

test('statistics: overview from counters and a per-day, per-status breakdown with weight and cost', async (t) => {
  const h = await trackingHub(t);
  const { botId, key } = await provision(h);
  const call = api(h, key);
  const ids: number[] = [];
  for (let i = 0; i < 4; i++)
    ids.push(
      (await call('POST', `/tracking/${botId}`, parcel(`S-${i}`, i < 2 ? 'A' : 'B', { weight_kg: 2, total_cost_usd: 10 }))).json().id,
    );
  await call('PUT', `/tracking/${botId}/${ids[0]}`, { status: 'in_transit' });
  await call('PUT', `/tracking/${botId}/${ids[1]}`, { status: 'delivered' });
  await call('PUT', `/tracking/${botId}/${ids[1]}`, { status: 'issued' });

  const overview = (await call('GET', `/statistics/${botId}/overview`)).json();
  assert.deepEqual(overview, {
    total_clients: 2,
    total_tracking_numbers: 4,
    pending: 2,
    in_transit: 1,
    delivered: 0,
    issued: 1,
    cancelled: 0,
  });
  const [row] = await h.hub.database.query<{ n: number }>('select count(*)::int as n from tracking_numbers where bot_id = $1', [botId]);
  assert.equal(row!.n, overview.total_tracking_numbers, 'counters agree with the rows');

  const today = new Date().toISOString().slice(0, 10);
  const stats = await call('GET', `/statistics/${botId}/tracking?date_from=${today}&date_to=${today}`);
  assert.equal(stats.statusCode, 200, stats.body);
  const s = stats.json();
  assert.equal(s.created, 4);
  assert.deepEqual(
    s.by_status.find((x: { status: string }) => x.status === 'pending'),
    { status: 'pending', count: 2, total_weight_kg: 4, total_cost_usd: 20 },
  );
  assert.deepEqual(s.by_day, [{ date: today, pending: 4, in_transit: 1, delivered: 1, issued: 1, cancelled: 0 }]);
  const month = (await call('GET', `/statistics/${botId}/tracking`)).json();
  assert.equal(month.by_day.length, 30, 'the default period is 30 days, zeros included');
  assert.equal(month.date_to, today);
  assert.equal((await call('GET', `/statistics/${botId}/tracking?date_from=2026-02-01&date_to=2026-01-01`)).statusCode, 400);
  assert.equal((await call('GET', `/statistics/${botId}/tracking?date_from=2020-01-01&date_to=2026-01-01`)).statusCode, 400);
  assert.equal((await call('GET', `/statistics/${botId}/tracking?date_from=yesterday`)).statusCode, 400);
});

test('bot info, unknown routes in the {detail} envelope, and the whole API in the OpenAPI document', async (t) => {
  const h = await trackingHub(t);
  const { botId, key } = await provision(h, { id: 123, name: 'Название компании' });
  assert.equal(botId, 123, 'an explicit platform bot id is kept');
  const call = api(h, key);
  const bot = await call('GET', '/bots/123');
  assert.deepEqual(bot.json(), {
    id: 123,
    name: 'Название компании',
    username: '@cargo_bot',
    is_active: true,
    subscription_status: 'active',
  });
  const missing = await call('GET', '/nothing/here');
  assert.equal(missing.statusCode, 404);
  assert.equal(typeof missing.json().detail, 'string');

  const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const validation = await new Validator().validate(doc);
  assert.equal(validation.valid, true, JSON.stringify(validation.errors)?.slice(0, 2000));
  const paths = [
    ['/api/v1/tracking/{bot_id}', ['get', 'post']],
    ['/api/v1/tracking/{bot_id}/{tracking_id}', ['get', 'put']],
    ['/api/v1/tracking/{bot_id}/by-client/{client_code}', ['get']],
    ['/api/v1/clients/{bot_id}', ['get']],
    ['/api/v1/clients/{bot_id}/{client_id}', ['get']],
    ['/api/v1/statistics/{bot_id}/overview', ['get']],
    ['/api/v1/statistics/{bot_id}/tracking', ['get']],
    ['/api/v1/bots/{bot_id}', ['get']],
    ['/admin/v1/tracking/bots/{id}/keys', ['get', 'post']],
    ['/admin/v1/tracking/webhook-deliveries/{id}/redeliver', ['post']],
  ] as const;
  for (const [path, methods] of paths) for (const m of methods) assert.ok(doc.paths[path]?.[m], `${m.toUpperCase()} ${path} is documented`);
  const list = doc.paths['/api/v1/tracking/{bot_id}'].get;
  // The route's own statuses, and those any route with a path parameter can answer (414, 500, 503: error-responses.ts).
  assert.deepEqual(Object.keys(list.responses).sort(), ['200', '400', '401', '403', '414', '429', '500', '503']);
  assert.equal(list.responses['500'].content['application/json'].schema.properties.detail.type, 'string', 'in the {detail} envelope');
  assert.deepEqual(list.security, [{ trackingApiKey: [] }]);
  assert.deepEqual(
    list.parameters
      .filter((p: { in: string }) => p.in === 'query')
      .map((p: { name: string }) => p.name)
      .sort(),
    ['client_code', 'page', 'page_size', 'status_filter', 'tracking_number'],
  );
  assert.ok(doc.paths['/api/v1/tracking/{bot_id}/{tracking_id}'].put.responses['409']);
});

// The 1C emulator on its own, over HTTP as the hub (or curl) sees it: Basic auth per base, the seed §1 protocol
// with stable ids and updates in place, validation answers, the fault catalogue (gateway and 1C HTML pages, BOM,
// non-JSON, a lost answer, per-type rules), the control API and callHub towards a hub.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { request } from 'undici';
import { createOnecEmulator, type OnecEmulatorOptions } from '../../../src/emulators/onec/index.js';

const AUTH = `Basic ${Buffer.from('amo:secret').toString('base64')}`;

async function start(t: TestContext, opts: OnecEmulatorOptions = {}) {
  const emu = createOnecEmulator(opts);
  const origin = await emu.listen();
  t.after(() => emu.close());
  const call = async (body: unknown, o: { auth?: string | null; publication?: string } = {}) => {
    const res = await request(emu.webAddress(o.publication), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(o.auth === null ? {} : { authorization: o.auth ?? AUTH }) },
      body: JSON.stringify(body),
    });
    const raw = Buffer.from(await res.body.arrayBuffer());
    const text = raw.toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, headers: res.headers, raw, text, json: json as Record<string, unknown> };
  };
  const control = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await request(`${origin}/_emulator${path}`, {
      method,
      ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    return { status: res.statusCode, json: (await res.body.json()) as never };
  };
  return { emu, origin, call, control };
}

const base = { key: 1, id_base: 'base1' };
const company = (over: object = {}) => ({ id: 601, name: 'ООО Ромашка', responsible_user_id: 7, inn: '7707083893', ...over });

test('Basic auth per base: missing or wrong credentials are 401 with a Basic challenge, and never reach the data', async (t) => {
  const { emu, call } = await start(t, {
    bases: [
      { idBase: 'b1', publication: 'first', login: 'amo', password: 'secret' },
      { idBase: 'b2', publication: 'second', login: 'Администратор', password: 'пароль' },
    ],
  });
  const lead = { key: 1, type: 'new_lead', clients: { company: company() } };
  const none = await call({ ...lead, id_base: 'b1' }, { auth: null, publication: 'first' });
  assert.equal(none.status, 401);
  assert.match(String(none.headers['www-authenticate']), /^Basic/);
  assert.equal((await call({ ...lead, id_base: 'b2' }, { publication: 'second' })).status, 401, 'another base’s login');
  const cyr = `Basic ${Buffer.from('Администратор:пароль', 'utf8').toString('base64')}`;
  assert.equal((await call({ ...lead, id_base: 'b2' }, { publication: 'second', auth: cyr })).status, 200);
  assert.equal(emu.control.counterparties('first').length, 0);
  assert.equal(emu.control.counterparties('second').length, 1);
  assert.equal((await call({ ...lead, id_base: 'b1' }, { publication: 'nowhere' })).status, 404);
});

test('protocol: stable id_1c per amoCRM id, updates in place, relink by id_1c, orders and their documents', async (t) => {
  const { emu, call } = await start(t);
  const first = await call({ ...base, type: 'new_lead', clients: { company: company({ p_5: 'a' }) } });
  assert.equal(first.status, 200);
  assert.match(String(first.headers['content-type']), /application\/json/);
  const again = await call({ ...base, type: 'new_lead', clients: { company: company({ name: 'ООО Ромашка 2', p_6: 'b' }) } });
  assert.deepEqual(again.json, first.json, 'same amoCRM id → same id_1c and link');
  const [c] = emu.control.counterparties();
  assert.equal(c!.name, 'ООО Ромашка 2');
  assert.deepEqual(c!.custom, { p_5: 'a', p_6: 'b' });
  assert.equal(c!.writes, 2);

  // A contact has no inn; a company id and a contact id may be equal without clashing.
  const contact = await call({ ...base, type: 'new_lead', clients: { company: { id: 601, name: 'Иван', responsible_user_id: 7 } } });
  assert.notEqual(contact.json.id_1c, first.json.id_1c);
  // Another amoCRM company naming the 1C record by id_1c takes it over.
  const relinked = await call({ ...base, type: 'new_lead', clients: { company: company({ id: 602, id_1c: first.json.id_1c }) } });
  assert.equal(relinked.json.id_1c, first.json.id_1c);
  assert.equal(emu.control.counterparties().length, 2);

  const order = await call({
    ...base,
    type: 'new_order',
    id: 9,
    name: 'Сделка',
    responsible_user_id: 7,
    clients: { company: company({ id: 602 }) },
  });
  assert.equal(order.status, 200);
  const docs = await call({ ...base, type: 'get_orders', id: 9 });
  assert.equal((docs.json as unknown as unknown[]).length, 1);
  assert.deepEqual(Object.keys((docs.json as unknown as object[])[0]!).sort(), [
    'doc_type',
    'google_drive_id',
    'google_drive_link',
    'link',
    'parent_link',
    'title',
  ]);
  assert.equal(emu.control.orders()[0]!.company_id_1c, first.json.id_1c);
  assert.deepEqual((await call({ ...base, type: 'get_orders', id: 10 })).json, []);
  assert.deepEqual((await call({ ...base, type: 'get_handlers_version' })).json, { version: '1.0.0' });
  const row = { amo_name: 'Бюджет', amo_id: 'price', entity_name: 'Сделка' };
  await call({ ...base, type: 'corr_table', table: row });
  await call({ ...base, type: 'corr_table', user_id: 3, table: [row] });
  assert.deepEqual(emu.control.corrTable(), [{ user_id: 3, row }], 'a row sent again replaces itself');
});

test('refusals: required fields, id_base, unknown type, invalid JSON — 400 with a JSON error', async (t) => {
  const { call, emu } = await start(t);
  const missing = await call({ ...base, type: 'new_order', id: 1 });
  assert.equal(missing.status, 400);
  assert.match(String(missing.json.error), /name, responsible_user_id/);
  assert.match(String((await call({ key: 1, id_base: 'x', type: 'get_handlers_version' })).json.error), /id_base x/);
  assert.equal((await call({ ...base, type: 'drop_base' })).status, 400);
  const res = await request(emu.webAddress(), { method: 'POST', headers: { authorization: AUTH }, body: '{nope' });
  assert.equal(res.statusCode, 400);
  await res.body.dump();
});

test('faults: gateway and 1C HTML pages, BOM, non-JSON, a lost answer; rules match the request type', async (t) => {
  const { emu, call } = await start(t);
  emu.control.faults.add({ path: '/base1/new_order', status: 503, times: 1 });
  assert.equal((await call({ ...base, type: 'get_handlers_version' })).status, 200, 'another type passes');
  const gw = await call({ ...base, type: 'new_order', id: 1, name: 'x', responsible_user_id: 1 });
  assert.equal(gw.status, 503);
  assert.match(gw.text, /<title>503 Service Unavailable<\/title>/);
  assert.equal(emu.control.orders().length, 0, 'a refused request changes nothing');

  emu.control.faults.add({ path: '*', kind: 'html_error', status: 500, times: 1 });
  const page = await call({ ...base, type: 'get_orders', id: 1 });
  assert.equal(page.status, 500);
  assert.match(page.text, /Ошибка при выполнении обработчика HTTP-сервиса/);

  emu.control.faults.add({ path: '*/get_handlers_version', kind: 'bom', times: 1 });
  const bom = await call({ ...base, type: 'get_handlers_version' });
  assert.deepEqual([...bom.raw.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.deepEqual(bom.json, { version: '1.0.0' });
  emu.control.faults.add({ path: '*', kind: 'bom', times: 1 });
  assert.equal((await call({ ...base, type: 'get_handlers_version' }, { auth: null })).status, 401, 'a BOM fault still checks auth');

  emu.control.faults.add({ path: '*', kind: 'not_json', times: 1 });
  const plain = await call({ ...base, type: 'get_handlers_version' });
  assert.equal(plain.status, 200);
  assert.equal(plain.json, undefined);

  emu.control.faults.add({ path: '*/new_lead', kind: 'answer_lost', times: 1 });
  await assert.rejects(call({ ...base, type: 'new_lead', clients: { company: company() } }));
  assert.equal(emu.control.counterparties().length, 1, 'the write landed');
  assert.deepEqual(
    emu.control.requests.list({ type: 'new_lead' }).map((r) => r.status),
    [0],
  );
  assert.throws(() => emu.control.faults.add({ path: '*', kind: 'garbled' as never }), /unknown fault kind/);
});

test('control API over HTTP, and callHub posting to a hub as 1C does', async (t) => {
  const heard: Array<{ url?: string; auth?: string; body: string }> = [];
  const hub = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      heard.push({ url: req.url, auth: req.headers.authorization, body });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ success: true, data: 123, error: null }));
    });
  });
  await new Promise<void>((r) => hub.listen(0, '127.0.0.1', r));
  t.after(() => hub.close());
  const { emu, call, control } = await start(t);

  assert.equal((await control('POST', '/bases', { idBase: 'b9', login: 'u', password: 'p', version: '9.9' })).status, 200);
  const bases = (await control('GET', '/bases')).json as Array<{ idBase: string; password?: string }>;
  assert.deepEqual(
    bases.map((b) => b.idBase),
    ['base1', 'b9'],
  );
  assert.ok(
    bases.every((b) => b.password === undefined),
    'passwords are not shown',
  );
  await call({ ...base, type: 'new_lead', clients: { company: company() } });
  const parties = (await control('GET', '/bases/base1/counterparties')).json as Array<{ inn: string }>;
  assert.equal(parties[0]!.inn, '7707083893');
  const doc = (await control('POST', '/bases/base1/documents', { leadId: 5, title: 'Счет № 1' })).json as { title: string };
  assert.equal(doc.title, 'Счет № 1');
  assert.equal(((await call({ ...base, type: 'get_orders', id: 5 })).json as unknown as unknown[]).length, 1);
  const logged = (await control('GET', '/requests?type=new_lead')).json as { requests: unknown[] };
  assert.equal(logged.requests.length, 1);

  const address = hub.address() as { port: number };
  await control('POST', '/hub', { url: `http://127.0.0.1:${address.port}` });
  const answer = (await control('POST', '/call-hub', { path: '/onec/sync/base', body: { key: 1 }, login: 'l', password: 'p' })).json;
  assert.deepEqual(answer, { status: 200, body: { success: true, data: 123, error: null } });
  assert.deepEqual(heard, [{ url: '/onec/sync/base', auth: `Basic ${Buffer.from('l:p').toString('base64')}`, body: '{"key":1}' }]);
  // In process, without Basic auth.
  assert.equal((await emu.callHub('/onec/sync/clients_contacts', { key: 1, id_base: 'base1' })).status, 200);
  assert.deepEqual(heard[1], { url: '/onec/sync/clients_contacts', auth: undefined, body: '{"key":1,"id_base":"base1"}' });
});

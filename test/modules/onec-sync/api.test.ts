// Happy paths of every endpoint 1C calls (seed 001 §2.1, 2.2, 2.7–2.10) and what the operator reads back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { account, admin, basic, BASE, KEY, onec, onecHub, PUBLISHER } from './helpers.js';

test('check_active answers true in the seed envelope for an account with its secret', async (t) => {
  const h = await onecHub(t);
  const { call } = await account(h);
  const res = await call('GET', `/sync/check_active?key=${KEY}&id_base=buh-main`);
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { success: true, data: true, error: null });
});

test('sync/base checks the base in 1C, stores it with its password sealed; the admin API shows it without the password', async (t) => {
  const h = await onecHub(t);
  const { call } = await account(h);
  const res = await call('POST', '/sync/base', h.base);
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { success: true, data: null, error: null });
  const [row] = await h.hub.database.query<{ password_sealed: string }>('select password_sealed from onec_sync_bases');
  assert.ok(row && !row.password_sealed.includes(BASE.param2) && row.password_sealed.startsWith('v1:'), 'sealed at rest');
  const listed = (await admin(h, 'GET', `/onec/bases?key=${KEY}`)).json();
  assert.equal(listed.bases.length, 1);
  const base = listed.bases[0];
  assert.deepEqual(
    { key: base.key, id_base: base.id_base, web_address: base.web_address, login: base.login },
    { key: String(KEY), id_base: 'buh-main', web_address: h.base.web_address, login: 'amo' },
  );
  assert.ok(base.checked_at, 'get_handlers_version answered');
  assert.equal(h.onecEmu.control.requests.list({ type: 'get_handlers_version' }).length, 1);
  assert.ok(!JSON.stringify(listed).includes(BASE.param2), 'no password in the admin answer');
  // Saving again replaces the base (a key sent as a string of digits is the same account).
  // Saving again replaces the base (a key sent as a string of digits is the same account); the check runs again.
  h.onecEmu.control.addBase({ idBase: 'buh-main', publication: 'buh2', login: 'amo2', password: BASE.param2 });
  const moved = { ...h.base, key: String(KEY), param1: 'amo2', web_address: h.onecEmu.webAddress('buh2') };
  assert.equal((await call('POST', '/sync/base', moved)).statusCode, 200);
  const again = (await admin(h, 'GET', '/onec/bases')).json().bases;
  assert.deepEqual(
    again.map((b: { login: string }) => b.login),
    ['amo2'],
  );
});

test('the three field mappings are stored per base and entity and read back; a new call replaces one table', async (t) => {
  const h = await onecHub(t);
  const { call } = await account(h);
  const ids = { key: KEY, id_base: 'buh-main' };
  // Before the base is registered the mapping has nowhere to go.
  const early = await call('POST', '/sync/leads_save_fields', { ...ids, id_1c: 1 });
  assert.equal(early.statusCode, 404);
  assert.match(early.json().error, /сначала вызовите \/onec\/sync\/base/);
  assert.equal((await call('POST', '/sync/base', h.base)).statusCode, 200);
  const contacts = { id_1c: 512345, link: 512347, p_email: 'EMAIL' };
  const companies = { id_1c: 612345, link: 612347, p_inn: 612349, Наименование: 'name' };
  const leads = { id_1c: 712345, order_number: 712346 };
  for (const [path, fields] of [
    ['/sync/clients_contacts_save_fields', contacts],
    ['/sync/clients_companies_save_fields', companies],
    ['/sync/leads_save_fields', leads],
  ] as const) {
    const res = await call('POST', path, { ...ids, ...fields });
    assert.deepEqual(res.json(), { success: true, data: null, error: null }, path);
  }
  const read = async () => (await admin(h, 'GET', '/onec/bases')).json().bases[0].fields;
  assert.deepEqual(await read(), { contacts, companies, leads });
  await call('POST', '/sync/leads_save_fields', { ...ids, id_1c: 1 });
  assert.deepEqual(await read(), { contacts, companies, leads: { id_1c: 1 } });
});

test('handler packages: the global default, a per-base override, versions that only grow', async (t) => {
  const h = await onecHub(t);
  const { call } = await account(h);
  const ref = { key: KEY, id_base: 'buh-main' };
  const none = await call('POST', '/update_handlers/get_actual_version', ref);
  assert.equal(none.statusCode, 404);
  assert.deepEqual(none.json(), { success: false, data: null, error: 'Обработчики 1С ещё не опубликованы' });

  assert.deepEqual((await admin(h, 'POST', '/onec/handlers', { handlers: { module: 'default-1' } })).json(), { version: 1 });
  assert.deepEqual((await call('POST', '/update_handlers/get_actual_version', ref)).json(), {
    success: true,
    data: { version: 1 },
    error: null,
  });

  const publisher = onec(h, basic(PUBLISHER.user, PUBLISHER.password));
  const set = await publisher('POST', '/update_handlers/set_handlers', { ...ref, handlers: { module: 'own-2' } });
  assert.deepEqual(set.json(), { success: true, data: { version: 2 }, error: null });
  const set3 = await publisher('POST', '/update_handlers/set_handlers', { ...ref, handlers: { module: 'own-3' } });
  assert.deepEqual(set3.json().data, { version: 3 });
  // A later default does not reach a base with its own package, but another base gets it.
  assert.deepEqual((await admin(h, 'POST', '/onec/handlers', { handlers: { module: 'default-4' } })).json(), { version: 4 });
  assert.deepEqual((await call('POST', '/update_handlers/get_actual_handlers', ref)).json(), {
    success: true,
    data: { version: 3, handlers: { module: 'own-3' } },
    error: null,
  });
  assert.deepEqual((await call('POST', '/update_handlers/get_actual_handlers', { key: KEY, id_base: 'other' })).json().data, {
    version: 4,
    handlers: { module: 'default-4' },
  });
  const listed = (await admin(h, 'GET', '/onec/handlers')).json().packages;
  assert.deepEqual(
    listed.map((p: { version: number; id_base: string | null }) => [p.version, p.id_base]),
    [
      [4, null],
      [3, 'buh-main'],
      [2, 'buh-main'],
      [1, null],
    ],
  );
});

test('every 1C route is in the OpenAPI document with its operationId and the Basic schemes', async (t) => {
  const h = await onecHub(t);
  const doc = (await h.app.inject({ url: '/openapi.json' })).json();
  const ops = Object.entries(doc.paths as Record<string, Record<string, { operationId: string }>>)
    .filter(([p]) => p.startsWith('/onec/'))
    .flatMap(([p, item]) => Object.values(item).map((op) => `${op.operationId} ${p}`));
  assert.equal(ops.length, 13, ops.join('\n'));
  for (const op of [
    'OnecHandlersSet /onec/update_handlers/set_handlers',
    'OnecSyncContact /onec/sync/clients_contacts',
    'OnecSyncCompany /onec/sync/clients_companies',
    'OnecSyncOrder /onec/sync/leads',
    'OnecProcessEvent /onec/sync/process_event',
    'OnecAmoWebhook /onec/amo/webhook/{key}/{token}',
  ])
    assert.ok(ops.includes(op), op);
  assert.deepEqual(doc.components.securitySchemes.onecBasic, {
    type: 'http',
    scheme: 'basic',
    description: '1C: user = key (amoCRM account id), password = integration secret',
  });
});

test('publishers racing: every package gets its own version, none lost', async (t) => {
  const h = await onecHub(t);
  const publisher = onec(h, basic(PUBLISHER.user, PUBLISHER.password));
  const answers = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      i % 2
        ? admin(h, 'POST', '/onec/handlers', { handlers: { n: i } })
        : publisher('POST', '/update_handlers/set_handlers', { key: KEY, id_base: `b${i}`, handlers: { n: i } }),
    ),
  );
  const versions = answers.map((r) => (r.statusCode === 201 ? r.json().version : r.json().data.version) as number);
  assert.deepEqual(
    [...versions].sort((a, b) => a - b),
    [1, 2, 3, 4, 5, 6],
    answers.map((r) => r.body).join('\n'),
  );
});

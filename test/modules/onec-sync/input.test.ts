// Validation and the envelope: every refusal — schema, unknown path, body too large, wrong content type, database
// outage — is `{success:false, data:null, error:"<русский текст>"}` with its status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { account, basic, BASE, KEY, onec, onecHub, PUBLISHER } from './helpers.js';

const failure = (res: { statusCode: number; json(): unknown }, status: number, error: RegExp) => {
  assert.equal(res.statusCode, status);
  const body = res.json() as { success: unknown; data: unknown; error: string };
  assert.equal(body.success, false);
  assert.equal(body.data, null);
  assert.match(body.error, error);
};

test('key and id_base are required everywhere; wrong types and names are explained in Russian', async (t) => {
  const h = await onecHub(t);
  const { call } = await account(h);
  failure(await call('GET', `/sync/check_active?key=${KEY}`), 400, /^Некорректный запрос: отсутствует обязательное поле «id_base»$/);
  failure(await call('GET', '/sync/check_active?id_base=x'), 400, /отсутствует обязательное поле «key»/);
  failure(await call('POST', '/update_handlers/get_actual_version', { key: KEY }), 400, /отсутствует обязательное поле «id_base»/);
  failure(await call('POST', '/sync/base', { ...BASE, param2: undefined }), 400, /отсутствует обязательное поле «param2»/);
  failure(await call('POST', '/sync/base', { ...BASE, key: 'abc' }), 400, /поле «key»: недопустимые символы или неверный формат/);
  failure(await call('POST', '/sync/base', { ...BASE, id_base: '' }), 400, /поле «id_base»: длина не меньше 1/);
  failure(await call('POST', '/sync/base', { ...BASE, id_base: 'a\u0000b' }), 400, /поле «id_base»/);
  failure(await call('POST', '/sync/base', { ...BASE, id_base: true }), 400, /поле «id_base»: ожидается строка или целое число/);
  const ids = { key: KEY, id_base: 'buh-main' };
  failure(await call('POST', '/sync/leads_save_fields', { ...ids, 'bad name': 1 }), 400, /недопустимое имя поля «bad name»/);
  failure(await call('POST', '/sync/leads_save_fields', { ...ids, id_1c: 0 }), 400, /поле «id_1c»: значение должно быть >= 1/);
  failure(
    await call('POST', '/sync/leads_save_fields', { ...ids, id_1c: { nested: 1 } }),
    400,
    /поле «id_1c»: ожидается целое число или строка/,
  );
  const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`f${i}`, i + 1]));
  failure(await call('POST', '/sync/leads_save_fields', { ...ids, ...many }), 400, /полей не больше 202/);
  failure(await call('POST', '/update_handlers/set_handlers', { ...ids }), 401, /публикатора/); // the gate comes first
  const publisher = onec(h, basic(PUBLISHER.user, PUBLISHER.password));
  failure(await publisher('POST', '/update_handlers/set_handlers', { ...ids }), 400, /отсутствует обязательное поле «handlers»/);
  failure(await publisher('POST', '/update_handlers/set_handlers', { ...ids, handlers: 5 }), 400, /поле «handlers»: ожидается /);
});

test('unknown path 404, bad JSON 400, wrong content type 415, too large 413 — all in the envelope', async (t) => {
  const h = await onecHub(t, { env: { BODY_LIMIT_BYTES: '2048' } });
  const { call } = await account(h);
  failure(await call('POST', '/sync/nothing_here', {}), 404, /^Не найдено$/);
  failure(await call('POST', '/sync/base', '{"key":'), 400, /не является корректным JSON/);
  failure(await call('POST', '/sync/base', 'key=1', { 'content-type': 'application/x-www-form-urlencoded' }), 415, /Неподдерживаемый тип/);
  failure(await call('POST', '/sync/base', { ...BASE, param2: 'x'.repeat(3000) }), 413, /Слишком большое тело запроса/);
});

test('the database away: 503 with Retry-After in the envelope', async (t) => {
  const h = await onecHub(t);
  const { call } = await account(h);
  const db = h.hub.database as { query: unknown };
  const real = db.query;
  db.query = async () => {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  };
  try {
    const res = await call('GET', `/sync/check_active?key=${KEY}&id_base=b`);
    failure(res, 503, /^Сервис временно недоступен, повторите запрос позже$/);
    assert.ok(Number(res.headers['retry-after']) > 0);
  } finally {
    db.query = real;
  }
});

test('sync/base refuses non-http(s) and private or loopback addresses unless OUTBOUND_ALLOW_HOSTS lets them in', async (t) => {
  const resolve = async (host: string) => [{ address: host === 'intranet.example' ? '10.1.2.3' : '203.0.113.20' }];
  // public.example is not really there: the refusals come before any check, and the one saved passes a stub check.
  const h = await onecHub(t, { resolve, checkBase: async () => ({ ok: true }) });
  const { call } = await account(h);
  const bad = [
    [{ web_address: 'ftp://203.0.113.10/hs' }, /http:\/\/ или https:\/\//],
    [{ web_address: 'not a url' }, /не является ссылкой/],
    [{ web_address: 'http://127.0.0.1:8080/hs' }, /127\.0\.0\.1:8080 указывает на внутреннюю или локальную сеть/],
    [{ url_address: 'http://localhost/buh' }, /внутреннюю или локальную сеть/],
    [{ web_address: 'http://192.168.1.5/hs' }, /внутреннюю/],
    [{ web_address: 'http://[::1]/hs' }, /внутреннюю/],
    [{ web_address: 'http://169.254.169.254/latest/meta-data' }, /внутреннюю/],
    [{ web_address: 'https://intranet.example/hs' }, /intranet\.example указывает на внутреннюю/],
  ] as const;
  for (const [change, error] of bad) failure(await call('POST', '/sync/base', { ...BASE, ...change }), 400, error);
  assert.equal((await h.hub.database.query('select 1 from onec_sync_bases')).length, 0, 'nothing stored');
  assert.equal((await call('POST', '/sync/base', { ...BASE, web_address: 'https://public.example/hs' })).statusCode, 200);

  // The emulators' own host:port entries let nothing else on loopback in; a bare 127.0.0.1 lets the 1C emulator in.
  const nextPort = `127.0.0.1:${Number(h.allow.onec.split(':')[1]) + 1}`;
  const refused = await call('POST', '/sync/base', { ...BASE, web_address: `http://${nextPort}/hs` });
  failure(refused, 400, /внутреннюю или локальную сеть/);
  const allowed = await onecHub(t, { env: { OUTBOUND_ALLOW_HOSTS: '127.0.0.1' } });
  const other = await account(allowed);
  assert.equal((await other.call('POST', '/sync/base', allowed.base)).statusCode, 200);
});

test('the checkBase seam: a failing check answers 424 with the reason and stores nothing; a passing one marks checked_at', async (t) => {
  const seen: string[] = [];
  const failing = await onecHub(t, {
    checkBase: async (base) => {
      seen.push(`${base.key}/${base.idBase} ${base.login}`);
      return { ok: false, reason: '1С ответила 401' };
    },
  });
  const a = await account(failing);
  failure(await a.call('POST', '/sync/base', BASE), 424, /^Не удалось проверить соединение с 1С: 1С ответила 401$/);
  assert.deepEqual(seen, [`${KEY}/buh-main amo`]);
  assert.equal((await failing.hub.database.query('select 1 from onec_sync_bases')).length, 0);

  const passing = await onecHub(t, {
    checkBase: async (base) => (base.password === BASE.param2 ? { ok: true } : { ok: false, reason: 'x' }),
  });
  const b = await account(passing);
  assert.equal((await b.call('POST', '/sync/base', BASE)).statusCode, 200);
  const [row] = await passing.hub.database.query<{ checked_at: Date | null }>('select checked_at from onec_sync_bases');
  assert.ok(row?.checked_at, 'checked_at set');
});

test('a handler package with U+0000 or a lone surrogate inside (which jsonb cannot hold) is a 400, not a 500', async (t) => {
  const h = await onecHub(t);
  const publisher = onec(h, basic(PUBLISHER.user, PUBLISHER.password));
  const ids = { key: KEY, id_base: 'buh-main' };
  for (const handlers of [{ code: 'a\u0000b' }, [{ ['k\u0000']: 1 }], { code: 'x\ud800' }])
    failure(await publisher('POST', '/update_handlers/set_handlers', { ...ids, handlers }), 400, /U\+0000/);
  assert.equal((await publisher('POST', '/update_handlers/set_handlers', { ...ids, handlers: 'Процедура\tА()\n' })).statusCode, 200);
});

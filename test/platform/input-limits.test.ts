// Input limits of the platform (issue #19, findings 3, 6, 10 and 11): strict body types with coercion only for path
// and query, JSON only unless a route declares form bodies, a nesting limit at parse time, the router's own errors
// in the scope's envelope, and an OpenAPI document that lists what every route can answer and bounds every input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { defineModule } from '../../src/platform/module.js';
import { useErrorEnvelope } from '../../src/platform/http/error-handler.js';
import { MAX_PARAM_LENGTH } from '../../src/platform/http/framework-errors.js';
import { MAX_JSON_DEPTH } from '../../src/platform/http/body.js';
import { LineString } from '../../src/platform/http/schema-types.js';
import { testHub, TEST_ADMIN_TOKEN } from '../helpers/hub.js';

/** A module with its own envelope ({ oops }) and one route of each kind. */
const probe = defineModule({
  name: 'probe',
  prefix: '/probe',
  create: () => ({
    routes(app) {
      useErrorEnvelope(app, (e) => ({ oops: e.code, status: e.status }));
      const E = Type.Object({ oops: Type.String(), status: Type.Integer() });
      app.post(
        '/typed',
        {
          schema: {
            operationId: 'ProbeTyped',
            body: Type.Object({ n: Type.Integer({ minimum: 0, maximum: 1000 }) }),
            response: { 400: E },
          },
        },
        async (req) => ({ n: (req.body as { n: unknown }).n, type: typeof (req.body as { n: unknown }).n }),
      );
      app.get(
        '/query',
        {
          schema: {
            operationId: 'ProbeQuery',
            querystring: Type.Object({ n: Type.Integer({ minimum: 0, maximum: 1000, default: 7 }) }),
            response: { 400: E },
          },
        },
        async (req) => ({ n: (req.query as { n: unknown }).n, type: typeof (req.query as { n: unknown }).n }),
      );
      app.get(
        '/item/:id',
        {
          schema: {
            operationId: 'ProbeItem',
            params: Type.Object({ id: LineString({ minLength: 1, maxLength: 200 }) }),
            response: { 404: E },
          },
        },
        async (req) => ({ id: (req.params as { id: string }).id }),
      );
      app.post(
        '/form',
        {
          schema: {
            operationId: 'ProbeForm',
            consumes: ['application/x-www-form-urlencoded'],
            body: Type.Object({ leads: Type.Object({ status: Type.Array(Type.Object({ id: Type.String() })) }) }),
            response: { 400: E },
          },
        },
        async (req) => ({ body: req.body, raw: req.rawBody }),
      );
    },
  }),
});

const json = { 'content-type': 'application/json' };

test('bodies are checked as sent; path and query parameters are coerced, but never to a non-finite number', async (t) => {
  const h = await testHub(t, { modules: [probe] });
  const post = (payload: string, headers: Record<string, string> = json) =>
    h.app.inject({ method: 'POST', url: '/probe/typed', headers, payload });
  assert.deepEqual((await post('{"n":303}')).json(), { n: 303, type: 'number' });
  for (const n of ['true', '"0x12F"', '"303"', '[303]', '"1e2"', 'null']) {
    const res = await post(`{"n":${n}}`);
    assert.equal(res.statusCode, 400, `a body's ${n} is not coerced to an integer`);
    assert.deepEqual(res.json(), { oops: 'VALIDATION_FAILED', status: 400 }, 'in the module envelope');
  }
  const query = (q: string) => h.app.inject({ method: 'GET', url: `/probe/query${q}` });
  assert.deepEqual((await query('?n=303')).json(), { n: 303, type: 'number' }, 'query text is coerced');
  assert.deepEqual((await query('')).json(), { n: 7, type: 'number' }, 'defaults apply');
  for (const n of ['Infinity', '-Infinity', '1e400', 'NaN', '1e300', '-1']) {
    const res = await query(`?n=${n}`);
    assert.equal(res.statusCode, 400, `?n=${n}`);
    assert.deepEqual(res.json(), { oops: 'VALIDATION_FAILED', status: 400 });
  }
});

test('JSON routes take JSON only (415 in the envelope); form bodies only where a route declares them', async (t) => {
  const h = await testHub(t, { modules: [probe] });
  const post = (url: string, payload: string, headers: Record<string, string>) => h.app.inject({ method: 'POST', url, headers, payload });
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x']) {
    const res = await post('/probe/typed', type.startsWith('application/x-www') ? 'n=1' : '{"n":1}', { 'content-type': type });
    assert.equal(res.statusCode, 415, type);
    assert.deepEqual(res.json(), { oops: 'UNSUPPORTED_MEDIA_TYPE', status: 415 }, type);
  }
  assert.equal((await post('/probe/typed', '{"n":1}', {})).statusCode, 415, 'a body without a content type');
  assert.equal((await post('/probe/typed', '{"n":1}', { 'content-type': 'application/vnd.api+json' })).statusCode, 200, '+json is JSON');

  const form = await post('/probe/form', 'leads[status][0][id]=42', { 'content-type': 'application/x-www-form-urlencoded' });
  assert.equal(form.statusCode, 200, form.body);
  assert.deepEqual(form.json(), { body: { leads: { status: [{ id: '42' }] } }, raw: 'leads[status][0][id]=42' });
  const doc = (await h.app.inject({ url: '/openapi.json' })).json();
  assert.ok(doc.paths['/probe/form'].post.requestBody.content['application/x-www-form-urlencoded'], 'documented as a form');
});

test('JSON nesting is bounded at parse time: 200 000 brackets are a 400 in the envelope, not a stack overflow', async (t) => {
  const h = await testHub(t, { modules: [probe] });
  const post = (payload: string) => h.app.inject({ method: 'POST', url: '/probe/typed', headers: json, payload });
  for (const payload of ['['.repeat(200_000) + ']'.repeat(200_000), `{"n":1,"x":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`]) {
    const res = await post(payload);
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { oops: 'VALIDATION_FAILED', status: 400 });
  }
  const deepest = `{"n":1,"x":${'['.repeat(MAX_JSON_DEPTH - 1)}${']'.repeat(MAX_JSON_DEPTH - 1)}}`;
  assert.equal((await post(deepest)).statusCode, 200, `${MAX_JSON_DEPTH} levels are fine`);
  const brackets = JSON.stringify({ n: 1, text: '['.repeat(1000) });
  assert.equal((await post(brackets)).statusCode, 200, 'brackets inside strings do not count');
});

test("the router's own errors (414, a bad path encoding) answer in the scope's envelope", async (t) => {
  const h = await testHub(t, { modules: [probe] });
  const get = (url: string) => h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
  const emoji = '😀'.repeat(200);
  assert.deepEqual((await get(`/probe/item/${encodeURIComponent(emoji)}`)).json(), { id: emoji }, 'the longest id the schema takes routes');
  const long = await get(`/probe/item/${'x'.repeat(MAX_PARAM_LENGTH + 1)}`);
  assert.equal(long.statusCode, 414);
  assert.deepEqual(long.json(), { oops: 'URI_TOO_LONG', status: 414 });
  const bad = await get('/probe/item/%ZZ');
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(bad.json(), { oops: 'BAD_URL', status: 400 });
  const admin = await get(`/admin/v1/inbox/${'1'.repeat(MAX_PARAM_LENGTH + 1)}`);
  assert.equal(admin.statusCode, 414);
  assert.equal(admin.json().error.code, 'URI_TOO_LONG', 'the admin API answers in the platform envelope');
  assert.match(String(admin.headers['content-type']), /^application\/json/);
});

test('out-of-range ids and control characters in admin filters are 400s, not database errors', async (t) => {
  const h = await testHub(t);
  const get = (url: string) =>
    h.app.inject({ method: 'GET', url: `/admin/v1${url}`, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
  for (const url of [
    '/inbox/99999999999999999999',
    '/inbox?before=99999999999999999999',
    '/inbox?source=a%00b',
    '/jobs?queue=%00',
    '/inbox?limit=Infinity',
  ]) {
    const res = await get(url);
    assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
    assert.equal(res.json().error.code, 'VALIDATION_FAILED', url);
  }
  const owner = await h.app.inject({
    method: 'POST',
    url: '/admin/v1/amocrm/connect',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...json },
    payload: JSON.stringify({ owner: 'quiz:a\u0000b' }),
  });
  assert.equal(owner.statusCode, 400);
  const callback = await h.app.inject({ method: 'GET', url: '/connect/amocrm/callback?code=x&state=a%00b' });
  assert.equal(callback.statusCode, 400, 'a NUL in the state is refused before the lookup');
  assert.equal(callback.json().error.code, 'VALIDATION_FAILED');
});

type Schema = Record<string, unknown>;

/** Every string, number and integer an operation takes, with where it is. */
function leaves(s: Schema | undefined, at: string, out: Array<{ at: string; s: Schema }>): void {
  if (!s) return;
  for (const branch of [...((s.anyOf as Schema[]) ?? []), ...((s.oneOf as Schema[]) ?? []), ...((s.allOf as Schema[]) ?? [])])
    leaves(branch, at, out);
  const types = ([] as unknown[]).concat(s.type ?? []);
  if (types.some((t) => t === 'string' || t === 'number' || t === 'integer')) out.push({ at, s });
  for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) leaves(v, `${at}.${k}`, out);
  for (const [k, v] of Object.entries((s.patternProperties ?? {}) as Record<string, Schema>)) {
    out.push({ at: `${at}[key]`, s: { type: 'string', pattern: k, maxLength: Infinity } });
    leaves(v, `${at}[${k}]`, out);
  }
  if (s.items) leaves(s.items as Schema, `${at}[]`, out);
}

test('the OpenAPI document: every route lists the statuses it can answer, and every input is bounded', async (t) => {
  const h = await testHub(t);
  const doc = (await h.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, Schema>> };
  const problems: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${path}`;
      const responses = Object.keys(op.responses as Schema);
      const params = (op.parameters ?? []) as Array<{ in: string; name: string; required?: boolean; schema: Schema }>;
      const expected = ['500'];
      if (params.some((p) => p.in === 'path')) expected.push('400', '414');
      if (['post', 'put', 'patch', 'delete'].includes(method)) expected.push('400', '413', '415');
      if (params.some((p) => p.in === 'query')) expected.push('400');
      // Behind the admin token: its failure throttle answers 429 (platform/admin/auth.ts).
      if (((op.security ?? []) as Schema[]).some((s) => 'adminToken' in s)) expected.push('401', '429');
      for (const status of expected) if (!responses.includes(status)) problems.push(`${where}: ${status} is not documented`);
      const inputs: Array<{ at: string; s: Schema }> = [];
      for (const p of params) {
        if (p.in === 'query' && p.schema.default !== undefined && p.required)
          problems.push(`${where}: ${p.name} has a default but is required`);
        if (p.in === 'path' && p.schema.type === 'string' && 2 * Number(p.schema.maxLength) > MAX_PARAM_LENGTH)
          problems.push(`${where}: ${p.name} may be longer than the router lets through`);
        leaves(p.schema, `${p.in} ${p.name}`, inputs);
      }
      const body = (op.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)?.content;
      for (const media of Object.values(body ?? {})) leaves(media.schema, 'body', inputs);
      for (const { at, s } of inputs) {
        const what = `${where} ${at}`;
        if (s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string'))) {
          if (s.enum || s.format) continue;
          if (s.maxLength === undefined) problems.push(`${what}: a string without maxLength`);
          const pattern = typeof s.pattern === 'string' ? new RegExp(s.pattern, 'u') : undefined;
          if (!pattern || ['a\u0000b', '\u001b', 'x\ud800'].some((bad) => pattern.test(bad)))
            problems.push(`${what}: control characters or lone surrogates are not refused`);
        } else if (s.minimum === undefined || s.maximum === undefined) problems.push(`${what}: a number without minimum and maximum`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

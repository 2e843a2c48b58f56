// Hostile input to the quiz API (issue #19, findings 3, 6 and 10): each of these answered 500 (PostgreSQL refuses
// NUL, a bigint refuses 1e300, JSON.stringify overflows on deep nesting) or Fastify's own 414. Now every one is a 400
// (or a 414 only past the router's limit) in the seed's envelope: a JSON string, the code in x-error-code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { auth, body, quizHub, seedConnectedAccount, validRule } from './helpers.js';
import { assertSeedResponse } from './seed-contract.js';
import { quizResults } from '../../../src/modules/quiz/schema.js';
import { RESULT_ID_MAX_LENGTH } from '../../../src/modules/quiz/results-contract.js';

const result = (extra: Record<string, unknown> = {}) => ({
  quizId: 42,
  resultId: 'r1',
  answers: [{ questionId: 1, title: 'Комментарий', value: 'Перезвоните' }],
  contact: { name: 'Анна', phone: '+79990000001' },
  ...extra,
});

async function ready(t: Parameters<typeof quizHub>[0]) {
  const h = await quizHub(t);
  const tags = await seedConnectedAccount(h, 'acc-1');
  const headers = await auth('acc-1');
  assert.equal((await h.app.inject({ method: 'POST', url: '/quiz/rules/42', headers, payload: validRule(tags) })).statusCode, 200);
  return { h, headers, tags };
}

const refused = (res: { statusCode: number; body: string }, what: string) => {
  assert.equal(res.statusCode, 400, `${what}: ${res.body}`);
  assert.equal(typeof body(res as never), 'string', `${what}: the seed's JSON string`);
  // Readable Russian, from the platform's one translation of Ajv's errors (platform/http/validation-ru.ts).
  assert.doesNotMatch(String(body(res as never)), /\bmust\b|\[object Object\]/, `${what}: ${res.body}`);
};

test('results: NUL and control characters, huge ids and non-JSON types are 400s; nothing is stored', async (t) => {
  const { h, headers } = await ready(t);
  const post = (payload: unknown) => h.app.inject({ method: 'POST', url: '/quiz/results', headers, payload: payload as object });
  for (const [what, payload] of [
    ['resultId', result({ resultId: 'r\u0000' })],
    ['an answer', result({ answers: [{ questionId: 1, value: 'a\u0000b' }] })],
    ['an answer list', result({ answers: [{ questionId: 1, value: ['ok', 'a\u0000'] }] })],
    ['a question title', result({ answers: [{ questionId: 1, title: '\u0000', value: 1 }] })],
    ['a lone surrogate in an answer (jsonb refuses its escape)', result({ answers: [{ questionId: 1, value: 'x\ud800' }] })],
    ['a lone surrogate in a contact', result({ contact: { name: '\udfffАнна' } })],
    ['a contact name', result({ contact: { name: 'A\u0000' } })],
    ['a phone', result({ contact: { phone: '\u001b[2J' } })],
    ['a utm value', result({ utm: { utm_source: 'x\u0000' } })],
    ['quizId 1e300', result({ quizId: 1e300 })],
    ['quizId beyond 2^53', result({ quizId: 2 ** 53 + 2 })],
    ['quizId as a string', result({ quizId: '42' })],
    ['quizId as a boolean', result({ quizId: true })],
  ] as const) {
    const res = await post(payload);
    refused(res, what);
    assert.equal(res.headers['x-error-code'], 'VALIDATION_FAILED', what);
  }
  assert.deepEqual(await h.hub.db.select().from(quizResults), [], 'nothing was stored');
});

test('results: unknown fields are accepted but never stored, so a NUL or a deep value in one cannot fail the insert', async (t) => {
  const { h, headers } = await ready(t);
  const res = await h.app.inject({
    method: 'POST',
    url: '/quiz/results',
    headers,
    payload: result({ extra: 'x\u0000y', nested: { 'k\u0000': 1 }, answers: [{ questionId: 1, value: 'ok', junk: '\u0000' }] }),
  });
  assert.equal(res.statusCode, 202, res.body);
  const [row] = await h.hub.db.select().from(quizResults).where(eq(quizResults.resultId, 'r1'));
  assert.deepEqual(row!.payload, {
    quizId: 42,
    resultId: 'r1',
    answers: [{ questionId: 1, value: 'ok' }],
    contact: { name: 'Анна', phone: '+79990000001' },
  });
  const deep = `{"quizId":42,"resultId":"r2","answers":[],"extra":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
  const nested = await h.app.inject({
    method: 'POST',
    url: '/quiz/results',
    headers: { ...headers, 'content-type': 'application/json' },
    payload: deep,
  });
  refused(nested, 'a 100 000-deep unknown field');
});

test('paths and queries: huge or non-finite pages, long ids, NUL in the quizID', async (t) => {
  const { h, headers } = await ready(t);
  const get = (url: string) => h.app.inject({ method: 'GET', url, headers });
  for (const q of ['page=1e300', 'page=Infinity', 'size=Infinity', 'size=1e300', 'pipelineID=1e300', 'pipelineID=Infinity']) {
    const url = q.startsWith('pipelineID') ? `/quiz/steps?${q}` : `/quiz/users?${q}`;
    const res = await get(url);
    refused(res, q);
    assertSeedResponse(url.startsWith('/quiz/steps') ? '/steps' : '/users', 'get', 400, body(res));
  }
  refused(await get('/quiz/rules/4%002'), 'a NUL in the quizID');
  refused(await get(`/quiz/rules/${'9'.repeat(30)}`), 'a quizID beyond 16 digits');

  const longest = 'я'.repeat(RESULT_ID_MAX_LENGTH);
  const accepted = await h.app.inject({ method: 'POST', url: '/quiz/results', headers, payload: result({ resultId: longest }) });
  assert.equal(accepted.statusCode, 202);
  const status = await get(`/quiz/results/${encodeURIComponent(longest)}`);
  assert.equal(status.statusCode, 200, 'every id the POST accepts can be read back (Fastify answered 414 past 100 characters)');
  const tooLong = await get(`/quiz/results/${'x'.repeat(2000)}`);
  assert.equal(tooLong.statusCode, 414);
  assert.equal(typeof body(tooLong), 'string', "past the router's limit: still the seed's envelope");
  assert.match(String(tooLong.headers['content-type']), /^application\/json/);
  assert.equal(tooLong.headers['x-error-code'], 'URI_TOO_LONG', "the code header travels with the router's errors too");
  const unknown = await get('/quiz/no-such-route');
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.headers['x-error-code'], 'NOT_FOUND');
});

test('rules: ids out of range and wrong types in the body are 400s', async (t) => {
  const { h, headers, tags } = await ready(t);
  const patch = (payload: unknown) => h.app.inject({ method: 'PATCH', url: '/quiz/rules/42', headers, payload: payload as object });
  for (const [what, payload] of [
    ['StepID 1e300', { StepID: 1e300 }],
    ['StepID as a string', { StepID: '8001' }],
    ['a tag id beyond 2^53', { TagsToAdd: { Lead: [2 ** 53 + 2] } }],
    ['a field id as a boolean', { Fieldsrule: { Lead: [{ '1': true }] } }],
  ] as const) {
    refused(await patch(payload), what);
  }
  const form = await h.app.inject({
    method: 'POST',
    url: '/quiz/rules/43',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: `PerformerID=502&PipelineID=7001&StepID=8002&TagsToAdd[Lead][0]=${tags.leadTag}`,
  });
  assert.equal(form.statusCode, 415, 'a form body on a JSON route');
  assert.equal(typeof body(form), 'string');
});

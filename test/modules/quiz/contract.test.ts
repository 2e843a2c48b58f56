// The seed 003 contract without amoCRM: OpenAPI coverage, JWT auth, 404 without a connection, pagination,
// rules CRUD with validation against the cache, results intake. Every body is checked against the seed's YAML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair, exportSPKI, SignJWT } from 'jose';
import { Validator } from '@seriousme/openapi-schema-validator';
import { auth, body, JWT_SECRET, quizHub, seedConnectedAccount, token, validRule } from './helpers.js';
import { assertSeedResponse, assertSeedSchema, seed } from './seed-contract.js';

const PROTECTED: Array<[string, string]> = [
  ['POST', '/account'],
  ['DELETE', '/account'],
  ['GET', '/account'],
  ...['users', 'pipelines', 'steps', 'fields', 'tags'].flatMap((d): Array<[string, string]> => [
    ['GET', `/${d}`],
    ['PATCH', `/${d}`],
  ]),
  ['GET', '/rules/{quizID}'],
  ['POST', '/rules/{quizID}'],
  ['PATCH', '/rules/{quizID}'],
];
const url = (p: string) => `/quiz${p.replace('{quizID}', '42')}`;

test('the OpenAPI document has every seed path, method, operationId and status code under /quiz', async (t) => {
  const h = await quizHub(t);
  const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const result = await new Validator().validate(doc);
  assert.equal(result.valid, true, JSON.stringify(result.errors)?.slice(0, 1500));
  let operations = 0;
  for (const [path, methods] of Object.entries(seed().paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const ours = doc.paths[`/quiz${path}`]?.[method];
      assert.ok(ours, `${method.toUpperCase()} /quiz${path} is documented`);
      assert.equal(ours.operationId, op.operationId);
      for (const status of Object.keys(op.responses)) assert.ok(ours.responses[status], `${op.operationId} declares ${status}`);
      operations++;
    }
  }
  assert.equal(operations, 18);
  assert.ok(doc.paths['/quiz/results'].post.requestBody, 'results intake is documented');
  assert.ok(doc.paths['/quiz/results/{resultId}'].get.responses['200']);
  assert.deepEqual(doc.paths['/quiz/account'].get.security, [{ quizJwt: [] }]);
});

test('every protected route answers 401 without, with a malformed and with a forged token', async (t) => {
  const h = await quizHub(t);
  const forged = await token('acc-1', { secret: 'not-the-secret-at-all-0123456789' });
  for (const [method, path] of PROTECTED) {
    for (const headers of [{}, { authorization: 'Bearer' }, { authorization: 'Basic abc' }, { authorization: `Bearer ${forged}` }]) {
      const res = await h.app.inject({
        method: method as 'GET',
        url: url(path),
        headers,
        ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
      });
      assert.equal(res.statusCode, 401, `${method} ${path} ${JSON.stringify(headers)}`);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.match(String(res.headers['www-authenticate']), /Bearer/);
      assertSeedResponse(path, method.toLowerCase(), 401, body(res), { ours: path === '/rules/{quizID}' && method === 'GET' });
    }
  }
  const expired = await token('acc-1', { expiresIn: '-1m' });
  const res = await h.app.inject({ method: 'GET', url: '/quiz/account', headers: { authorization: `Bearer ${expired}` } });
  assert.equal(res.statusCode, 401);
  assert.equal(res.headers['x-error-code'], 'BAD_TOKEN');
  assert.equal(typeof body(res), 'string');
});

test('RS256 tokens with a custom account claim are verified with QUIZ_JWT_PUBLIC_KEY', async (t) => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const h = await quizHub(t, {
    QUIZ_JWT_SECRET: '',
    QUIZ_JWT_PUBLIC_KEY: await exportSPKI(publicKey),
    QUIZ_JWT_ACCOUNT_CLAIM: 'account_id',
  });
  await seedConnectedAccount(h, '777');
  const jwt = await new SignJWT({ account_id: 777 }).setProtectedHeader({ alg: 'RS256' }).setExpirationTime('5m').sign(privateKey);
  const ok = await h.app.inject({ method: 'GET', url: '/quiz/account', headers: { authorization: `Bearer ${jwt}` } });
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.json().AccountID, '777');
  // An HS256 token (the algorithm-confusion trick) is refused when a public key is configured.
  const hs = await h.app.inject({ method: 'GET', url: '/quiz/account', headers: await auth('777') });
  assert.equal(hs.statusCode, 401);
  const noClaim = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setSubject('777').setExpirationTime('5m').sign(privateKey);
  const res = await h.app.inject({ method: 'GET', url: '/quiz/account', headers: { authorization: `Bearer ${noClaim}` } });
  assert.equal(res.statusCode, 401);
  assert.match(String(body(res)), /account_id/);
});

test('a token must end: without exp it is accepted only while iat is at most QUIZ_JWT_MAX_AGE_SECONDS old', async (t) => {
  const h = await quizHub(t);
  const secret = new TextEncoder().encode(JWT_SECRET);
  const now = Math.floor(Date.now() / 1000);
  const sign = (claims: Record<string, number>) =>
    new SignJWT({ sub: 'acc-1', ...claims }).setProtectedHeader({ alg: 'HS256' }).sign(secret);
  const get = async (jwt: string) => h.app.inject({ method: 'GET', url: '/quiz/account', headers: { authorization: `Bearer ${jwt}` } });
  // 404 (no amoCRM account connected) means the token was accepted.
  assert.equal((await get(await sign({ iat: now - 60 }))).statusCode, 404, 'no exp, issued a minute ago');
  assert.equal((await get(await sign({ iat: now - 7200, exp: now + 60 }))).statusCode, 404, 'exp decides when present');
  for (const [why, claims] of [
    ['neither exp nor iat', {}],
    ['no exp, issued two hours ago (default cap 3600 s)', { iat: now - 7200 }],
    ['no exp, issued in the future', { iat: now + 3600 }],
  ] as const) {
    const res = await get(await sign(claims));
    assert.equal(res.statusCode, 401, why);
    assert.equal(res.headers['x-error-code'], 'BAD_TOKEN', why);
    assert.match(String(body(res)), /exp/, why);
  }

  const strict = await quizHub(t, { QUIZ_JWT_MAX_AGE_SECONDS: '0' });
  const strictGet = async (jwt: string) =>
    strict.app.inject({ method: 'GET', url: '/quiz/account', headers: { authorization: `Bearer ${jwt}` } });
  assert.equal((await strictGet(await sign({ iat: now }))).statusCode, 401, '0 requires exp');
  assert.equal((await strictGet(await sign({ iat: now, exp: now + 60 }))).statusCode, 404);
});

test('the account a token names must be usable as an id: no control characters, at most 200 characters', async (t) => {
  const h = await quizHub(t);
  const get = async (sub: string) =>
    h.app.inject({ method: 'GET', url: '/quiz/account', headers: { authorization: `Bearer ${await token(sub)}` } });
  for (const sub of ['acc-1', 'аккаунт 7', 'x'.repeat(200), '😀'.repeat(200)])
    assert.equal((await get(sub)).statusCode, 404, sub.slice(0, 20));
  for (const sub of ['a\u0000b', '\u001b[2J', 'x\ud800', 'x'.repeat(201)]) {
    const res = await get(sub);
    assert.equal(res.statusCode, 401, JSON.stringify(sub.slice(0, 20)));
    assert.equal(res.headers['x-error-code'], 'BAD_TOKEN');
  }
});

test('without a connected amoCRM account: 404 for the account, directory lists and refreshes', async (t) => {
  const h = await quizHub(t);
  const headers = await auth('lonely');
  const acc = await h.app.inject({ method: 'GET', url: '/quiz/account', headers });
  assert.equal(acc.statusCode, 404);
  assertSeedResponse('/account', 'get', 404, body(acc));
  assert.equal(body(acc), 'Аккаунт amoCRM не подключён');
  for (const d of ['users', 'pipelines', 'fields', 'tags']) {
    const res = await h.app.inject({ method: 'GET', url: `/quiz/${d}`, headers });
    assert.equal(res.statusCode, 404, d);
    assert.equal(typeof body(res), 'string');
    const patch = await h.app.inject({ method: 'PATCH', url: `/quiz/${d}`, headers });
    assert.equal(patch.statusCode, 404, `PATCH ${d}`);
  }
  const steps = await h.app.inject({ method: 'GET', url: '/quiz/steps?pipelineID=1', headers });
  assert.equal(steps.statusCode, 404);
  const del = await h.app.inject({ method: 'DELETE', url: '/quiz/account', headers });
  assert.equal(del.statusCode, 404);
});

test('GET /account answers the seed User; directory lists page from 1 with size 25 by default and 100 at most', async (t) => {
  const h = await quizHub(t);
  await seedConnectedAccount(h, 'acc-1');
  const headers = await auth('acc-1');
  const acc = await h.app.inject({ method: 'GET', url: '/quiz/account', headers });
  assert.equal(acc.statusCode, 200);
  assertSeedResponse('/account', 'get', 200, acc.json());
  assert.equal(acc.json().AccountID, 'acc-1');
  assert.equal(acc.json().AmocrmID, 30_000_001);
  assert.equal(acc.json().Email, 'admin@test.example', 'the connecting user comes from the users cache');

  const users = await h.app.inject({ method: 'GET', url: '/quiz/users', headers });
  assert.equal(users.statusCode, 200);
  assertSeedResponse('/users', 'get', 200, users.json());
  assert.equal(users.json().count, 3);
  assert.deepEqual(
    users.json().items.map((u: { AmoID: number; Deleted: boolean }) => [u.AmoID, u.Deleted]),
    [
      [501, false],
      [502, false],
      [503, true],
    ],
    'deleted entries come last, flagged',
  );
  const page2 = await h.app.inject({ method: 'GET', url: '/quiz/users?page=2&size=2', headers });
  assert.deepEqual(
    page2.json().items.map((u: { AmoID: number }) => u.AmoID),
    [503],
  );
  assert.equal(page2.json().count, 3);
  const page0 = await h.app.inject({ method: 'GET', url: '/quiz/users?page=0&size=1', headers });
  assert.deepEqual(
    page0.json().items.map((u: { AmoID: number }) => u.AmoID),
    [501],
    'page 0 is the first page',
  );
  const capped = await h.app.inject({ method: 'GET', url: '/quiz/users?size=1000', headers });
  assert.equal(capped.statusCode, 200);
  assert.equal(capped.json().items.length, 3);

  for (const bad of ['page=-1', 'page=abc', 'size=0', 'size=1.5']) {
    const res = await h.app.inject({ method: 'GET', url: `/quiz/users?${bad}`, headers });
    assert.equal(res.statusCode, 400, bad);
    assertSeedResponse('/users', 'get', 400, body(res));
  }

  for (const [d, count] of [
    ['pipelines', 2],
    ['fields', 4],
    ['tags', 2],
  ] as const) {
    const res = await h.app.inject({ method: 'GET', url: `/quiz/${d}`, headers });
    assert.equal(res.statusCode, 200, d);
    assertSeedResponse(`/${d}`, 'get', 200, res.json());
    assert.equal(res.json().count, count, d);
  }
  const noPipeline = await h.app.inject({ method: 'GET', url: '/quiz/steps', headers });
  assert.equal(noPipeline.statusCode, 400);
  assertSeedResponse('/steps', 'get', 400, body(noPipeline));
  assert.match(String(body(noPipeline)), /pipelineID/);
  const steps = await h.app.inject({ method: 'GET', url: '/quiz/steps?pipelineID=7001&page=1&size=25', headers });
  assertSeedResponse('/steps', 'get', 200, steps.json());
  assert.deepEqual(
    steps.json().items.map((s: { AmoID: number }) => s.AmoID),
    [8001, 8002],
  );
});

test('rules: create once (409 on repeat), read as the seed Rule, change, and 404/400 cases', async (t) => {
  const h = await quizHub(t);
  const tags = await seedConnectedAccount(h, 'acc-1');
  const headers = await auth('acc-1');

  const missing = await h.app.inject({ method: 'GET', url: '/quiz/rules/42', headers });
  assert.equal(missing.statusCode, 404);
  assertSeedResponse('/rules/{quizID}', 'get', 404, body(missing));
  const badId = await h.app.inject({ method: 'GET', url: '/quiz/rules/abc', headers });
  assert.equal(badId.statusCode, 400);
  assertSeedResponse('/rules/{quizID}', 'get', 400, body(badId));

  const created = await h.app.inject({ method: 'POST', url: '/quiz/rules/42', headers, payload: validRule(tags) });
  assert.equal(created.statusCode, 200, created.body);
  assert.equal(body(created), 'Success');
  assertSeedResponse('/rules/{quizID}', 'post', 200, body(created));
  const again = await h.app.inject({ method: 'POST', url: '/quiz/rules/42', headers, payload: validRule(tags) });
  assert.equal(again.statusCode, 409);
  assert.equal(typeof body(again), 'string');

  const got = await h.app.inject({ method: 'GET', url: '/quiz/rules/42', headers });
  assert.equal(got.statusCode, 200);
  assertSeedResponse('/rules/{quizID}', 'get', 200, got.json());
  const rule = got.json();
  assert.equal(rule.QuizID, 42);
  assert.equal(rule.AccountID, 30_000_001);
  assert.deepEqual(rule.FieldsRule.lead, [{ '1': 9001, '2': 9002 }]);
  assert.deepEqual(rule.TagsToAdd.Lead, [tags.leadTag]);
  assert.equal(rule.Status, 'pending');

  const changed = await h.app.inject({ method: 'PATCH', url: '/quiz/rules/42', headers, payload: { StepID: 8001 } });
  assert.equal(changed.statusCode, 200);
  assertSeedResponse('/rules/{quizID}', 'patch', 200, body(changed));
  const after = (await h.app.inject({ method: 'GET', url: '/quiz/rules/42', headers })).json();
  assert.equal(after.StepID, 8001);
  assert.deepEqual(after.FieldsRule.contact, [{ '3': 9101 }], 'parts not sent are kept');

  const patchMissing = await h.app.inject({ method: 'PATCH', url: '/quiz/rules/43', headers, payload: { StepID: 8001 } });
  assert.equal(patchMissing.statusCode, 404);
  assertSeedResponse('/rules/{quizID}', 'patch', 404, body(patchMissing));

  const other = await h.app.inject({ method: 'GET', url: '/quiz/rules/42', headers: await auth('acc-2') });
  assert.equal(other.statusCode, 404, "another quiz account does not see this account's rule");
});

test('rules naming ids that are not in the cache get 400 listing every offending id', async (t) => {
  const h = await quizHub(t);
  const tags = await seedConnectedAccount(h, 'acc-1');
  const headers = await auth('acc-1');
  const bad = {
    PerformerID: 503, // deleted user
    PipelineID: 7001,
    StepID: 8101, // belongs to pipeline 7002
    Fieldsrule: { Lead: [{ '1': 9001, '2': 9999 }], Contact: [{ '3': 9001 }], Customer: [{ '4': 1 }] },
    TagsToAdd: { Lead: [tags.contactTag], Contact: [tags.contactTag] },
  };
  const res = await h.app.inject({ method: 'POST', url: '/quiz/rules/42', headers, payload: bad });
  assert.equal(res.statusCode, 400);
  assertSeedResponse('/rules/{quizID}', 'post', 400, body(res));
  const text = String(body(res));
  for (const part of [
    'PerformerID 503',
    'StepID 8101',
    'Fieldsrule.Lead 9999',
    'Fieldsrule.Contact 9001',
    'Fieldsrule.Customer 1',
    `TagsToAdd.Lead ${tags.contactTag}`,
  ]) {
    assert.ok(text.includes(part), `${part} in ${text}`);
  }
  assert.ok(!text.includes('TagsToAdd.Contact'), 'valid parts are not reported');
  assert.equal(res.headers['x-error-code'], 'RULE_INVALID');

  const incomplete = await h.app.inject({ method: 'POST', url: '/quiz/rules/42', headers, payload: { PipelineID: 7001 } });
  assert.equal(incomplete.statusCode, 400);
  assert.match(String(body(incomplete)), /PerformerID, StepID/);
  const wrongType = await h.app.inject({
    method: 'POST',
    url: '/quiz/rules/42',
    headers,
    payload: { ...validRule(tags), Fieldsrule: { Lead: [{ '1': 'x' }] } },
  });
  assert.equal(wrongType.statusCode, 400);
  const notJson = await h.app.inject({
    method: 'POST',
    url: '/quiz/rules/42',
    headers: { ...headers, 'content-type': 'application/json' },
    payload: '{"PerformerID":',
  });
  assert.equal(notJson.statusCode, 400);
  assert.equal(typeof body(notJson), 'string');
  assert.equal((await h.app.inject({ method: 'GET', url: '/quiz/rules/42', headers })).statusCode, 404, 'nothing was saved');

  const noAccount = await h.app.inject({ method: 'POST', url: '/quiz/rules/42', headers: await auth('nobody'), payload: validRule(tags) });
  assert.equal(noAccount.statusCode, 404);
  assertSeedResponse('/rules/{quizID}', 'post', 404, body(noAccount));
});

test('results intake: 202 with accepted ids, idempotent, status readable, 400/404 cases', async (t) => {
  const h = await quizHub(t);
  const tags = await seedConnectedAccount(h, 'acc-1');
  const headers = await auth('acc-1');
  const result = (id: string, quizId = 42) => ({
    quizId,
    resultId: id,
    answers: [{ questionId: 1, title: 'Комментарий', value: 'Перезвоните' }],
    contact: { name: 'Анна', phone: '+79990000001' },
  });

  const noRule = await h.app.inject({ method: 'POST', url: '/quiz/results', headers, payload: [result('r1')] });
  assert.equal(noRule.statusCode, 400);
  assert.match(String(body(noRule)), /42/);
  assert.equal((await h.app.inject({ method: 'POST', url: '/quiz/rules/42', headers, payload: validRule(tags) })).statusCode, 200);

  const one = await h.app.inject({ method: 'POST', url: '/quiz/results', headers, payload: result('r1') });
  assert.equal(one.statusCode, 202, one.body);
  assert.deepEqual(one.json(), { accepted: ['r1'], duplicates: [] });
  const many = await h.app.inject({ method: 'POST', url: '/quiz/results', headers, payload: [result('r1'), result('r2'), result('r2')] });
  assert.equal(many.statusCode, 202);
  assert.deepEqual(many.json(), { accepted: ['r1', 'r2'], duplicates: ['r1'] });

  const status = await h.app.inject({ method: 'GET', url: '/quiz/results/r2', headers });
  assert.equal(status.statusCode, 200);
  assert.ok(['queued', 'failed'].includes(status.json().status));
  const unknown = await h.app.inject({ method: 'GET', url: '/quiz/results/nope', headers });
  assert.equal(unknown.statusCode, 404);
  assert.equal(typeof body(unknown), 'string');
  const foreign = await h.app.inject({ method: 'GET', url: '/quiz/results/r2', headers: await auth('acc-2') });
  assert.equal(foreign.statusCode, 404, 'results are scoped to the quiz account');

  const tooMany = await h.app.inject({
    method: 'POST',
    url: '/quiz/results',
    headers,
    payload: Array.from({ length: 501 }, (_, i) => result(`x${i}`)),
  });
  assert.equal(tooMany.statusCode, 400);
  const invalid = await h.app.inject({ method: 'POST', url: '/quiz/results', headers, payload: [{ quizId: 42, answers: [] }] });
  assert.equal(invalid.statusCode, 400);
  assert.equal(typeof body(invalid), 'string');
  const empty = await h.app.inject({ method: 'POST', url: '/quiz/results', headers, payload: [] });
  assert.equal(empty.statusCode, 400);
  const noAccount = await h.app.inject({ method: 'POST', url: '/quiz/results', headers: await auth('nobody'), payload: result('r9') });
  assert.equal(noAccount.statusCode, 404);
  const anonymous = await h.app.inject({ method: 'POST', url: '/quiz/results', payload: result('r9') });
  assert.equal(anonymous.statusCode, 401);
});

test('the seed examples of FieldRule and ContactRules validate as we store them', () => {
  assertSeedSchema('FieldRule', { '101': 5001, utm_source: 5010 });
  assertSeedSchema('ContactRules', { '3': 9101 });
});

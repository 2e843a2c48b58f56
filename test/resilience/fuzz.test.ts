// Property-based fuzzing of every operation in the OpenAPI document (issue #19, "Keep it proven"): requests
// generated from the route schemas and mutated (wrong types, NUL and control characters, huge and non-finite
// numbers, deep nesting, invalid UTF-8, wrong content types, oversized bodies), with valid, missing and wrong
// credentials, through app.inject on a hub with every module. Every answer: no 5xx, no hang, a status the document
// lists for that operation, and a body in the documented schema for it (the module's envelope for errors).
//
// Seeded: FUZZ_SEED=<n> replays a run (a random seed is chosen and printed otherwise); FUZZ_RUNS (per operation,
// default 200), FUZZ_BUDGET_MS (whole run, default 120 000) and FUZZ_OPERATION (an operationId) narrow it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { testHub, type TestHub } from '../helpers/hub.js';
import { JWT_SECRET, seedConnectedAccount, token, validRule } from '../modules/quiz/helpers.js';
import { admin, api, parcel } from '../modules/tracking/helpers.js';
import { bytesOf, requestFor, type Credentials, type FuzzRequest, type Known, type Operation } from './fuzz-requests.js';
import type { Schema } from './fuzz-values.js';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 120_000);
const REQUEST_TIMEOUT_MS = 15_000;

function operations(doc: { paths: Record<string, Record<string, Record<string, unknown>>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const content = (op.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)?.content;
      ops.push({
        method: method.toUpperCase(),
        path,
        id: String(op.operationId),
        security: ((op.security ?? []) as Array<Record<string, unknown>>).flatMap((s) => Object.keys(s)),
        parameters: (op.parameters ?? []) as Operation['parameters'],
        ...(content?.['application/json'] ? { body: content['application/json'].schema } : {}),
        responses: op.responses as Operation['responses'],
      });
    }
  }
  // The public API first, then the operator API (it may revoke a key or switch a bot off), deletions last (they
  // take away the account, key or webhook the others are fuzzed with).
  const rank = (op: Operation) => (op.method === 'DELETE' ? 2 : op.path.startsWith('/admin/') ? 1 : 0);
  return ops.sort((a, b) => rank(a) - rank(b));
}

/** A hub with every module, an amoCRM integration configured, and something to find behind the ids. */
async function fuzzHub(
  t: Parameters<typeof testHub>[0],
): Promise<{ h: TestHub; credentials: Credentials; public: Known; operator: Known }> {
  const h = await testHub(t, {
    // An API process: no workers, so nothing the fuzzer creates is sent anywhere.
    role: 'api',
    env: {
      QUIZ_JWT_SECRET: JWT_SECRET,
      AMO_CLIENT_ID: 'fuzz-client',
      AMO_CLIENT_SECRET: 'fuzz-secret',
      AMO_BASE_URL_TEMPLATE: 'http://127.0.0.1:9/{subdomain}',
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      ONEC_SYNC_PUBLISHER_USER: 'fuzz-publisher',
      ONEC_SYNC_PUBLISHER_PASSWORD: 'fuzz-publisher-password',
      LOG_LEVEL: 'warn',
    },
  });
  const bot = async (id: number) => {
    const b = await admin(h, 'POST', '/tracking/bots', { id, name: `bot ${id}` });
    const k = await admin(h, 'POST', `/tracking/bots/${id}/keys`, { name: 'fuzz', rate_limit_per_minute: 1_000_000 });
    assert.equal(k.statusCode, 201, `${b.body} ${k.body}`);
    return { botId: id, key: k.json().key as string, keyId: k.json().id as number };
  };
  const main = await bot(101);
  const victim = await bot(202);
  const created = await api(h, main.key)('POST', `/tracking/${main.botId}`, parcel('FUZZ-1', 'CLIENT123'));
  const hook = await admin(h, 'POST', `/tracking/bots/${victim.botId}/webhooks`, { url: 'http://127.0.0.1:9/hook' });
  const parcelV = await api(h, victim.key)('POST', `/tracking/${victim.botId}`, parcel('FUZZ-2', 'CLIENT123'));
  await api(h, victim.key)('PUT', `/tracking/${victim.botId}/${parcelV.json().id}`, { status: 'in_transit' });
  const deliveries = await admin(h, 'GET', `/tracking/webhooks/${hook.json().id}/deliveries`);

  const tags = await seedConnectedAccount(h, 'acc-1');
  const quizJwt = await token('acc-1');
  const q = { authorization: `Bearer ${quizJwt}`, 'content-type': 'application/json' };
  assert.equal(
    (await h.app.inject({ method: 'POST', url: '/quiz/rules/42', headers: q, payload: JSON.stringify(validRule(tags)) })).statusCode,
    200,
  );
  const result = { quizId: 42, resultId: 'r1', answers: [{ questionId: 1, value: 'x' }] };
  assert.equal((await h.app.inject({ method: 'POST', url: '/quiz/results', headers: q, payload: JSON.stringify(result) })).statusCode, 202);

  // 1C: an account (the fuzzed bodies' keys mostly name others: 403), connected (a secret needs it), and its secret.
  await h.hub.database.query(
    `insert into amo_accounts (amo_account_id, subdomain, name, status, owner, connected_at) values (42, 'fuzz', 'Fuzz', 'active', 'onec-sync', now())`,
  );
  const onecSecret = await admin(h, 'POST', '/onec/accounts/42/secret');
  assert.equal(onecSecret.statusCode, 201, onecSecret.body);
  const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  // SAMBA: a user (HTTP Basic).
  const sambaUser = await admin(h, 'POST', '/samba/users', { login: 'fuzz', password: 'fuzz-samba-password' });
  assert.equal(sambaUser.statusCode, 201, sambaUser.body);

  // Customs: account 42's source tokens — amoCRM's (the ПТД export's caller), Alta's, ВЭД-склад's and 1C's (webhooks).
  const customs = await admin(h, 'POST', '/customs/accounts/42/tokens/amocrm');
  const customsAlta = await admin(h, 'POST', '/customs/accounts/42/tokens/alta');
  const customsVedSklad = await admin(h, 'POST', '/customs/accounts/42/tokens/ved-sklad');
  const customs1c = await admin(h, 'POST', '/customs/accounts/42/tokens/1c');
  assert.equal(customs1c.statusCode, 201, customs1c.body);
  assert.equal(customs.statusCode, 201, customs.body);
  assert.equal(customsAlta.statusCode, 201, customsAlta.body);
  assert.equal(customsVedSklad.statusCode, 201, customsVedSklad.body);

  const strings = { client_code: ['CLIENT123'], resultId: ['r1'], quizID: ['42'], key: ['42'], source: ['amocrm', 'alta'] };
  const publicStrings = { ...strings, bot_id: [String(main.botId)] };
  return {
    h,
    credentials: {
      adminToken: h.admin.authorization.slice('Bearer '.length),
      quizJwt,
      trackingApiKey: main.key,
      onecBasic: basicAuth('42', onecSecret.json().secret as string),
      onecPublisher: basicAuth('fuzz-publisher', 'fuzz-publisher-password'),
      sambaBasic: basicAuth('fuzz', 'fuzz-samba-password'),
      customsToken: customs.json().token as string,
      customsAltaToken: customsAlta.json().token as string,
      customsVedSkladToken: customsVedSklad.json().token as string,
      customs1cToken: customs1c.json().token as string,
    },
    public: { ids: [main.botId, created.json().id, 42], strings: publicStrings },
    operator: {
      ids: [victim.botId, victim.keyId, hook.json().id, deliveries.json().deliveries?.[0]?.id].filter((n) => typeof n === 'number'),
      strings,
    },
  };
}

const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
const validators = new Map<string, ValidateFunction>();

const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?:\/|$)/i;

/** The answer's problems against the operation's documentation (empty: it conforms). */
function check(op: Operation, req: FuzzRequest, res: { statusCode: number; headers: Record<string, unknown>; body: string }): string[] {
  const where = `${op.id} ${res.statusCode}`;
  if (res.statusCode >= 500) return [`${where}: a 5xx: ${res.body.slice(0, 300)}`];
  // A path parameter of "." or ".." is a dot segment: the URL parser removes it and the request lands on another
  // route's path, which may not take this method — a 405 with Allow for that path, not an answer of this operation.
  if (res.statusCode === 405 && typeof res.headers.allow === 'string' && DOT_SEGMENT.test(req.url.split('?')[0]!)) return [];
  const documented = op.responses[String(res.statusCode)];
  if (!documented)
    return [
      `${where}: status not documented for ${op.method} ${op.path} (${Object.keys(op.responses).join(', ')}): ${res.body.slice(0, 200)}`,
    ];
  if (!documented.content) return [];
  const type = String(res.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim();
  const media = documented.content[type];
  if (!media) {
    const isString = documented.content['application/json']?.schema?.type === 'string';
    if (res.statusCode < 400 && isString) return []; // a text answer documented as a string (GET /metrics)
    return [
      `${where}: content type ${type || '(none)'} not documented (${Object.keys(documented.content).join(', ')}): ${res.body.slice(0, 200)}`,
    ];
  }
  if (type !== 'application/json' || !media.schema) return [];
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    return [`${where}: the body is not JSON: ${res.body.slice(0, 200)}`];
  }
  const key = `${op.id} ${res.statusCode}`;
  let validate = validators.get(key);
  if (!validate) validators.set(key, (validate = ajv.compile(media.schema)));
  if (!validate(body))
    return [`${where}: body not in the documented schema (${ajv.errorsText(validate.errors)}): ${res.body.slice(0, 300)} for ${req.note}`];
  return [];
}

/** What the hub logged for a request that failed (the answer hides it). */
function loggedError(h: TestHub, requestId: string): string {
  const line = h.logs.find((l) => l.requestId === requestId && Number(l.level) >= 50);
  const err = line?.err as { message?: string; stack?: string } | undefined;
  return err ? `${err.message}\n${err.stack?.split('\n').slice(1, 6).join('\n')}` : JSON.stringify(line ?? 'nothing');
}

async function send(h: TestHub, req: FuzzRequest) {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms (a hang)`)), REQUEST_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      h.app.inject({
        method: req.method as 'GET',
        url: req.url,
        headers: req.headers,
        remoteAddress: req.remoteAddress,
        ...(req.payload !== undefined ? { payload: bytesOf(req.payload) } : {}),
      }),
      hang,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

test(`every operation of the OpenAPI document survives fuzzing (FUZZ_SEED=${SEED})`, { timeout: BUDGET_MS + 180_000 }, async (t) => {
  const { h, credentials, public: publicKnown, operator } = await fuzzHub(t);
  const doc = (await h.app.inject({ url: '/openapi.json' })).json();
  const ops = operations(doc).filter((op) => !process.env.FUZZ_OPERATION || op.id === process.env.FUZZ_OPERATION);
  assert.ok(ops.length > 0, 'operations to fuzz');
  const statuses = new Map<number, number>();
  let requests = 0;
  const perOperationMs = BUDGET_MS / ops.length;
  const failures: string[] = [];
  for (const op of ops) {
    if (process.env.FUZZ_VERBOSE) console.log(`-- ${op.id} at ${Math.round(performance.now())} ms`);
    const known = op.path.startsWith('/admin/') ? operator : publicKnown;
    // Per operation, from its id: FUZZ_OPERATION replays one operation with the same values as the whole run.
    const seed = (SEED + [...op.id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 2 ** 31, 0)) % 2 ** 31;
    const property = fc.asyncProperty(requestFor(op, credentials, known), async (req) => {
      requests++;
      const started = performance.now();
      const res = await send(h, req);
      const ms = Math.round(performance.now() - started);
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      if (process.env.FUZZ_VERBOSE) console.log(op.id, res.statusCode, `${ms}ms`, req.note, req.url.slice(0, 120), res.body.slice(0, 120));
      const problems = check(op, req, res);
      if (res.statusCode >= 500) problems.push(`logged: ${loggedError(h, String(res.headers['x-request-id']))}`);
      if (problems.length) throw new Error(`${problems.join('\n')}\n${fc.stringify(req)}`);
    });
    // No shrinking: it would replay requests without a time bound; the seed and the counterexample are reported.
    const details = await fc.check(property, {
      seed,
      numRuns: RUNS,
      endOnFailure: true,
      interruptAfterTimeLimit: perOperationMs,
      markInterruptAsFailure: false,
    });
    if (details.failed) {
      const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      failures.push(
        `${op.id}: replay with FUZZ_SEED=${SEED} FUZZ_OPERATION=${op.id} (fast-check seed ${details.seed}, path ${details.counterexamplePath})\n` +
          `  ${error.replaceAll('\n', '\n  ')}`,
      );
    }
  }
  const summary = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
  t.diagnostic(`FUZZ_SEED=${SEED}: ${requests} requests over ${ops.length} operations; statuses ${summary.join(' ')}`);
  assert.equal(failures.length, 0, `FUZZ_SEED=${SEED}: ${failures.length} operations failed\n${failures.join('\n')}`);
  assert.ok(requests >= ops.length, 'every operation was fuzzed');
});

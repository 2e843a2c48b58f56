// The kit without amoCRM: a throwaway partner ("Acme", one route) built from it shows that fault injection (a
// status, a partner fault kind, a dropped connection, an outage), the emulated clock and the request log work,
// in-process and over the /_emulator control API.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { fetch } from 'undici';
import {
  CONTROL_PREFIX,
  createEmulatorApp,
  createEmulatorCore,
  emulatorListener,
  ok,
  registerControlRoutes,
  registerGate,
} from '../../../src/emulators/kit/index.js';

const START = Date.UTC(2030, 0, 1) / 1000;
/** Acme sessions last an hour of (emulated) time. */
const SESSION_SECONDS = 3600;

class AcmeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

/** Acme's emulator: `POST /acme/orders` takes an array of orders while the session lasts. */
async function startAcme(t: TestContext) {
  const core = createEmulatorCore<{ caller: string | null }, 'garbled'>({ startTime: START, faultKinds: ['garbled'] });
  let sessionEndsAt = START + SESSION_SECONDS;
  const app = createEmulatorApp({ invalidJson: () => new AcmeError(400, 'bad_json') });
  app.setErrorHandler((err, _req, reply) =>
    err instanceof AcmeError ? reply.code(err.status).send({ error: err.code }) : reply.code(500).send({ error: 'internal' }),
  );
  registerGate(app, {
    clock: core.clock,
    faults: core.faults,
    requests: core.requests,
    classify: (req) => {
      const path = req.url.split('?')[0]!;
      return { path: path.replace(/^\/acme/, ''), api: path.startsWith('/acme/') };
    },
    describe: (req) => ({ caller: (req.headers['x-caller'] as string | undefined) ?? null }),
    renderFault: (reply, fault) =>
      fault.kind === 'garbled'
        ? reply.code(200).type('application/json').send('{"accepted":')
        : reply.code(fault.status ?? 500).send({ error: 'injected' }),
    admit: (_req, reply) => {
      if (core.clock.nowSeconds() >= sessionEndsAt) return reply.code(401).send({ error: 'session_expired' });
    },
  });
  registerControlRoutes(app, {
    core: core.control,
    reset: () => core.reset(),
    state: () => ({ sessionEndsAt }),
    requestFilters: ['caller'],
    routes: (c) => {
      c.post('/session/renew', async (_req, reply) =>
        ok(reply, { sessionEndsAt: (sessionEndsAt = core.clock.nowSeconds() + SESSION_SECONDS) }),
      );
    },
  });
  app.post('/acme/orders', async (req) => {
    if (!Array.isArray(req.body)) throw new AcmeError(422, 'orders_must_be_an_array');
    return { accepted: req.body.length, at: core.clock.nowSeconds() };
  });

  const server = emulatorListener(app);
  const origin = await server.listen();
  t.after(() => server.close());
  const order = (items: unknown[], caller = 'alice') =>
    fetch(`${origin}/acme/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-caller': caller },
      body: JSON.stringify(items),
    });
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${origin}${CONTROL_PREFIX}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  return { core, origin, order, control };
}

test('a partner built from the kit answers, and its injected faults look as the partner renders them', async (t) => {
  const acme = await startAcme(t);
  acme.core.clock.freeze();

  const first = await acme.order([{ sku: 'A' }, { sku: 'B' }]);
  assert.equal(first.status, 200);
  assert.match(first.headers.get('x-request-id') ?? '', /^[0-9a-f]{32}$/);
  assert.deepEqual(await first.json(), { accepted: 2, at: START });

  // A status rule, used up after one request.
  acme.core.control.faults.add({ path: '/orders', method: 'POST', status: 503, times: 1 });
  const faulted = await acme.order([{ sku: 'A' }]);
  assert.equal(faulted.status, 503);
  assert.deepEqual(await faulted.json(), { error: 'injected' });
  assert.equal((await acme.order([{ sku: 'A' }])).status, 200, 'a `times: 1` rule fires once');

  // A fault kind from Acme's catalogue, added over HTTP; unknown kinds are refused.
  const added = await acme.control('POST', '/faults', { path: '/ord*', kind: 'garbled' });
  assert.equal(added.status, 200);
  const garbled = await acme.order([]);
  assert.equal(garbled.status, 200);
  assert.equal(await garbled.text(), '{"accepted":');
  const unknown = await acme.control('POST', '/faults', { path: '/orders', kind: 'smoke' });
  assert.equal(unknown.status, 400);
  assert.match(String(unknown.json.error), /unknown fault kind 'smoke'.*garbled/);
  assert.deepEqual((await acme.control('DELETE', `/faults/${String(added.json.id)}`)).json, { removed: true });

  // A dropped connection, then an outage (rendered as status 503), then back to normal.
  acme.core.control.faults.add({ path: '/orders', reset: true, times: 1 });
  await assert.rejects(acme.order([{ sku: 'A' }]));
  await acme.control('POST', '/outage', { seconds: 60 });
  assert.equal((await acme.order([{ sku: 'A' }])).status, 503);
  await acme.control('DELETE', '/outage');
  assert.equal((await acme.order([{ sku: 'A' }])).status, 200);

  // The partner's own error shape for a body that is not JSON.
  const badJson = await fetch(`${acme.origin}/acme/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
  assert.equal(badJson.status, 400);
  assert.deepEqual(await badJson.json(), { error: 'bad_json' });
});

test('the emulated clock moves forward on request, and expiries that read it follow at once', async (t) => {
  const acme = await startAcme(t);
  await acme.control('POST', '/clock/freeze');
  assert.deepEqual((await acme.control('GET', '/state')).json, { clock: START, sessionEndsAt: START + SESSION_SECONDS });

  assert.equal((await acme.order([{ sku: 'A' }])).status, 200);
  const advanced = await acme.control('POST', '/clock/advance', { seconds: SESSION_SECONDS });
  assert.deepEqual(advanced.json, { now: START + SESSION_SECONDS });
  const expired = await acme.order([{ sku: 'A' }]);
  assert.equal(expired.status, 401, 'an hour passed without waiting for it');
  assert.deepEqual(await expired.json(), { error: 'session_expired' });

  // The partner's own control route, in the kit's control scope.
  assert.deepEqual((await acme.control('POST', '/session/renew')).json, { sessionEndsAt: START + 2 * SESSION_SECONDS });
  assert.deepEqual(await (await acme.order([{ sku: 'A' }])).json(), { accepted: 1, at: START + SESSION_SECONDS });

  acme.core.control.clock.set(new Date('2031-06-01T00:00:00Z'));
  assert.equal((await acme.control('GET', '/clock')).json.now, Date.UTC(2031, 5, 1) / 1000);
  assert.equal((await acme.control('POST', '/clock/advance', { seconds: 'soon' })).status, 400);

  acme.core.reset();
  assert.equal(acme.core.clock.nowSeconds() - START < 5, true, 'reset puts the clock back at its start');
});

test('the request log records partner calls with the partner fields, filters on them, and skips control calls', async (t) => {
  const acme = await startAcme(t);
  await acme.order([{ sku: 'A' }, { sku: 'B' }, { sku: 'C' }], 'alice');
  acme.core.control.faults.add({ path: '/orders', status: 429, times: 1 });
  await acme.order([{ sku: 'D' }], 'bob');
  acme.core.control.faults.add({ path: '/orders', reset: true, times: 1 });
  await assert.rejects(acme.order([], 'bob'));
  await acme.control('GET', '/state');

  const all = acme.core.control.requests.list();
  assert.deepEqual(
    all.map((e) => [e.method, e.path, e.status, e.items, e.caller]),
    [
      ['POST', '/orders', 200, 3, 'alice'],
      // Faults answer before the body is read: no items, no body.
      ['POST', '/orders', 429, null, 'bob'],
      ['POST', '/orders', 0, null, 'bob'],
    ],
  );
  assert.equal(all[0]!.emulatedAt - START < 5, true, 'entries carry the emulated time');
  assert.deepEqual(all[0]!.body, [{ sku: 'A' }, { sku: 'B' }, { sku: 'C' }]);

  assert.deepEqual(
    acme.core.control.requests.list({ caller: 'bob', status: 429 }).map((e) => e.requestId),
    [all[1]!.requestId],
  );
  const overHttp = await acme.control('GET', '/requests?caller=alice');
  assert.equal((overHttp.json.requests as unknown[]).length, 1);
  assert.equal(overHttp.json.maxPerSecond, 1);

  await acme.control('DELETE', '/requests');
  assert.equal(acme.core.control.requests.list().length, 0);
});

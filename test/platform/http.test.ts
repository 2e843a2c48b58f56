import { test } from 'node:test';
import { defineModule } from '../../src/platform/module.js';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { testHub, TEST_ADMIN_TOKEN } from '../helpers/hub.js';

test('health, readiness and metrics', async (t) => {
  const h = await testHub(t);
  const health = await h.app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(health.statusCode, 200);
  assert.deepEqual(health.json(), { status: 'ok' });
  assert.ok(health.headers['x-request-id'], 'every response carries a request id');

  const ready = await h.app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 200);
  const body = ready.json();
  assert.equal(body.status, 'ready');
  assert.equal(body.checks.migrations.ok, true);
  assert.equal(body.checks.queue.ok, true);

  const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
  assert.equal(metrics.statusCode, 200);
  assert.match(metrics.headers['content-type'] as string, /text\/plain/);
  assert.match(metrics.body, /hub_http_request_duration_seconds_bucket\{[^}]*route="\/healthz"[^}]*status="200"/);
  assert.match(metrics.body, /# TYPE hub_jobs_total counter/);
  assert.match(metrics.body, /# TYPE hub_outbound_requests_total counter/);

  // The document says what these answer: text for /metrics, and no database outage 503 for either.
  const doc = (await h.app.inject({ url: '/openapi.json' })).json();
  const metricsOk = doc.paths['/metrics'].get.responses['200'];
  assert.deepEqual(Object.keys(metricsOk.content), ['text/plain']);
  for (const path of ['/healthz', '/metrics']) assert.equal(doc.paths[path].get.responses['503'], undefined, path);
  assert.ok(doc.paths['/readyz'].get.responses['503'], 'readiness does answer 503');
});

test('readiness reports a stopped queue as not ready', async (t) => {
  const h = await testHub(t);
  await h.hub.jobs.stop(1000);
  const ready = await h.app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 503);
  assert.equal(ready.json().checks.queue.ok, false);
});

test('request id from the caller is kept', async (t) => {
  const h = await testHub(t);
  const res = await h.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
  assert.equal(res.headers['x-request-id'], 'abc-123');
});

test("security headers: the OWASP API set on answers, errors and unknown routes; helmet's set on HTML pages", async (t) => {
  const h = await testHub(t);
  for (const url of ['/healthz', '/no-such-route', '/admin/v1/jobs/queues', '/openapi.json']) {
    const res = await h.app.inject({ method: 'GET', url });
    assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    assert.equal(res.headers['x-frame-options'], 'DENY', url);
    assert.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains', url);
    assert.equal(res.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'", url);
    assert.equal(res.headers['cross-origin-opener-policy'], undefined, `${url}: page-only headers stay off JSON`);
  }
  const pages = ['/api/docs/', '/api/docs/index.html', '/api/redoc'];
  for (const url of pages) {
    const res = await h.app.inject({ method: 'GET', url });
    if (res.statusCode !== 200) continue; // Swagger UI answers its index under one of the two paths
    assert.match(String(res.headers['content-type']), /^text\/html/, url);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN', url);
    assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin', url);
    const csp = String(res.headers['content-security-policy']);
    // The docs pages' needs (inline styles, data: fonts, blob: workers) and helmet's defaults both survive.
    for (const directive of [
      "default-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "worker-src 'self' blob:",
      "font-src 'self' data:",
      "object-src 'none'",
      "frame-ancestors 'self'",
    ]) {
      assert.ok(csp.includes(directive), `${url}: ${directive} in ${csp}`);
    }
  }
  const served = await Promise.all(pages.map((url) => h.app.inject({ method: 'GET', url })));
  assert.ok(served.filter((r) => r.statusCode === 200).length >= 2, 'ReDoc and Swagger UI pages were checked');
});

test('request log lines carry the request id; a request that logs nothing builds no child logger', async (t) => {
  let children = 0;
  const h = await testHub(t, {
    env: { LOG_LEVEL: 'info' },
    modules: [
      defineModule({
        name: 'logs',
        prefix: '/logs',
        create: () => ({
          routes(app) {
            app.get('/say', async (req) => {
              req.log.info({ step: 1 }, 'handler line');
              req.log.child({ part: 'inner' }).warn('nested line');
              req.log.debug('below the level');
              return { ok: true };
            });
            app.get('/quiet', async (req) => {
              req.log.debug('below the level');
              return { ok: true };
            });
          },
        }),
      }),
    ],
  });
  // Counts every pino child built from the hub's logger (children of children inherit the counting method too).
  const child = h.hub.log.child;
  h.hub.log.child = function (this: typeof h.hub.log, ...args: Parameters<typeof child>) {
    children++;
    return child.apply(this, args);
  } as typeof child;
  const quiet = await h.app.inject({ method: 'GET', url: '/logs/quiet' });
  assert.equal(quiet.statusCode, 200);
  assert.equal(children, 0, 'no line written, no child logger built');
  const said = await h.app.inject({ method: 'GET', url: '/logs/say', headers: { 'x-request-id': 'req-42' } });
  assert.equal(said.statusCode, 200);
  const line = h.logs.find((l) => l.msg === 'handler line');
  const nested = h.logs.find((l) => l.msg === 'nested line');
  assert.deepEqual([line?.requestId, line?.step, line?.level], ['req-42', 1, 30]);
  assert.deepEqual([nested?.requestId, nested?.part, nested?.level], ['req-42', 'inner', 40]);
  assert.equal(
    h.logs.some((l) => l.msg === 'below the level'),
    false,
  );
  assert.equal(children, 2, 'the request that wrote built its child, and the child it asked for');
});

test('admin API requires the admin token', async (t) => {
  const h = await testHub(t);
  const none = await h.app.inject({ method: 'GET', url: '/admin/v1/jobs/queues' });
  assert.equal(none.statusCode, 401);
  assert.equal(none.json().error.code, 'UNAUTHORIZED');
  assert.ok(none.json().error.requestId);
  const wrong = await h.app.inject({ method: 'GET', url: '/admin/v1/jobs/queues', headers: { authorization: 'Bearer nope' } });
  assert.equal(wrong.statusCode, 401);
  const ok = await h.app.inject({ method: 'GET', url: '/admin/v1/jobs/queues', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
  assert.equal(ok.statusCode, 200);
  assert.ok(Array.isArray(ok.json().queues));
});

test('unknown routes get the platform 404 envelope', async (t) => {
  const h = await testHub(t);
  const res = await h.app.inject({ method: 'GET', url: '/nope' });
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().error.code, 'NOT_FOUND');
});

test('OpenAPI document is valid OpenAPI 3.1 and the docs UIs are served', async (t) => {
  const h = await testHub(t);
  const res = await h.app.inject({ method: 'GET', url: '/openapi.json' });
  assert.equal(res.statusCode, 200);
  const doc = res.json();
  assert.equal(doc.openapi, '3.1.0');
  const validator = new Validator();
  const result = await validator.validate(doc);
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2)?.slice(0, 2000));
  assert.ok(doc.paths['/readyz'], 'platform routes are documented');
  assert.ok(doc.paths['/admin/v1/jobs'], 'admin routes are documented');

  const swagger = await h.app.inject({ method: 'GET', url: '/api/docs/' });
  assert.equal(swagger.statusCode, 200);
  assert.match(swagger.body, /swagger-ui/i);
  const redoc = await h.app.inject({ method: 'GET', url: '/api/redoc' });
  assert.equal(redoc.statusCode, 200);
  assert.match(redoc.body, /<redoc spec-url="\/openapi.json">/);
  const bundle = await h.app.inject({ method: 'GET', url: '/api/redoc/redoc.standalone.js' });
  assert.equal(bundle.statusCode, 200);
  assert.ok(bundle.body.length > 100_000, 'the ReDoc bundle is served from node_modules');
});

test('request bodies over the limit get 413 in the envelope', async (t) => {
  const h = await testHub(t, { env: { BODY_LIMIT_BYTES: '2048' } });
  const res = await h.app.inject({
    method: 'POST',
    url: '/admin/v1/jobs/retry',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ state: 'failed', pad: 'x'.repeat(5000) }),
  });
  assert.equal(res.statusCode, 413);
  assert.equal(res.json().error.code, 'PAYLOAD_TOO_LARGE');
});

test('malformed JSON and schema violations get 400 without internal detail', async (t) => {
  const h = await testHub(t);
  const headers = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const bad = await h.app.inject({ method: 'POST', url: '/admin/v1/jobs/retry', headers, payload: '{"state":' });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.code, 'BAD_REQUEST');
  const invalid = await h.app.inject({ method: 'POST', url: '/admin/v1/jobs/retry', headers, payload: JSON.stringify({ state: 'bogus' }) });
  assert.equal(invalid.statusCode, 400);
  assert.equal(invalid.json().error.code, 'VALIDATION_FAILED');
});

test('a worker-role process serves probes and metrics only', async (t) => {
  const h = await testHub(t, { role: 'worker' });
  assert.equal((await h.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
  assert.equal((await h.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 200);
  const admin = await h.app.inject({
    method: 'GET',
    url: '/admin/v1/jobs/queues',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  });
  assert.equal(admin.statusCode, 404);
});

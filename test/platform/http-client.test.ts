// test-lane: no-database (run once, on the PGlite lane: nothing here opens the hub's database)
// The outbound HTTP client against a real local server: the SSRF guard on resolved names, and errors that carry
// partner, request, trimmed body and retryability. (The address rules alone are in test/unit/ssrf.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { pino } from 'pino';
import { HttpClient, OutboundError, safeUrl } from '../../src/platform/outbound/http-client.js';

test('the HTTP client refuses a hostname that resolves to loopback, and allows it when configured', async (t) => {
  const server = createServer((_req, res) => res.end('{"ok":true}')).listen(0, '127.0.0.1');
  t.after(() => server.close());
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as { port: number }).port;
  const log = pino({ level: 'silent' });

  const guarded = new HttpClient({ partner: 'test', log, timeoutMs: 2000, allowHosts: [] });
  t.after(() => guarded.close());
  // "localhost.localdomain"-style names resolve through DNS; use a name that resolves to 127.0.0.1 via /etc/hosts.
  await assert.rejects(guarded.request({ method: 'GET', url: `http://localhost:${port}/` }), (err: OutboundError) => {
    assert.equal(err.retryable, false, 'an SSRF refusal is not retryable');
    assert.match(err.message, /refused/);
    return true;
  });

  const open = new HttpClient({ partner: 'test', log, timeoutMs: 2000, allowHosts: ['localhost', '127.0.0.1'] });
  t.after(() => open.close());
  const res = await open.request({ method: 'GET', url: `http://localhost:${port}/` });
  assert.deepEqual(res.json(), { ok: true });
});

test('outbound errors carry partner, request, trimmed body and retryability; one attempt per request', async (t) => {
  let calls = 0;
  const server = createServer((req, res) => {
    calls++;
    if (req.url?.startsWith('/bad')) return res.writeHead(422).end('x'.repeat(10_000));
    res.writeHead(503).end('down');
  }).listen(0, '127.0.0.1');
  t.after(() => server.close());
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as { port: number }).port;
  const client = new HttpClient({
    partner: '1c',
    log: pino({ level: 'silent' }),
    timeoutMs: 2000,
    allowHosts: ['127.0.0.1'],
  });
  t.after(() => client.close());

  await assert.rejects(
    client.request({ method: 'POST', url: `http://127.0.0.1:${port}/bad?token=s3cret`, json: {} }),
    (err: OutboundError) => {
      assert.equal(err.partner, '1c');
      assert.equal(err.status, 422);
      assert.equal(err.retryable, false);
      assert.equal(err.body.length, 2000, 'body trimmed');
      assert.ok(!err.url.includes('s3cret'), 'secrets in the query are masked');
      return true;
    },
  );
  calls = 0;
  await assert.rejects(
    client.request({ method: 'GET', url: `http://127.0.0.1:${port}/flaky` }),
    (err: OutboundError) => err.status === 503 && err.retryable && !err.neverSent,
  );
  assert.equal(calls, 1, "the HTTP layer makes one attempt (retries are PartnerTransport's, test/platform/outbound.test.ts)");
  const answered = await client.request({ method: 'GET', url: `http://127.0.0.1:${port}/flaky`, anyStatus: true });
  assert.equal(answered.status, 503, 'anyStatus hands every answer back');
  assert.equal(safeUrl('http://u:p@h/x?api_key=1&a=2'), 'http://h/x?api_key=***&a=2');
});

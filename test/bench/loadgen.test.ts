// The benchmarks' C load generator (bench/loadgen/open-loop.c) against a real HTTP server: every request answered
// and counted, headers sent, latency counted from the due time (no coordinated omission), non-2xx and chunked
// answers understood, the closed loop stopping at its deadline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { promisify } from 'node:util';
import { cLoadGenerator } from '../../bench/load.js';

const run = promisify(execFile);

interface Result {
  rps: number;
  requests: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
}

async function server(t: { after(fn: () => unknown): void }) {
  const seen = { requests: 0, withHeader: 0 };
  const app: Server = createServer((req, res) => {
    seen.requests++;
    if (req.headers['x-bench'] === 'yes') seen.withHeader++;
    const delay = Number(new URL(req.url!, 'http://x').searchParams.get('delay') ?? 0);
    setTimeout(() => {
      if (req.url!.startsWith('/missing')) return void res.writeHead(404).end('{"detail":"no"}');
      if (req.url!.startsWith('/chunked')) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first part, ');
        return void setImmediate(() => res.end('second part'));
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, pad: 'x'.repeat(5000) }));
    }, delay);
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => app.close(resolve)));
  const { port } = app.address() as { port: number };
  return { port: String(port), seen };
}

async function load(port: string, path: string, rate: number, seconds: number, connections: number, ...headers: string[]): Promise<Result> {
  const binary = cLoadGenerator();
  assert.ok(binary, 'a C compiler (cc) builds the load generator');
  const { stdout } = await run(binary, ['127.0.0.1', port, path, String(rate), String(seconds), String(connections), ...headers]);
  return JSON.parse(stdout) as Result;
}

test('open loop: exactly rate × seconds requests, each answered, with the given headers', async (t) => {
  const s = await server(t);
  const r = await load(s.port, '/ok', 200, 1, 5, 'X-Bench: yes');
  assert.equal(r.requests, 200);
  assert.equal(s.seen.requests, 200);
  assert.equal(s.seen.withHeader, 200);
  assert.equal(r.errors + r.non2xx, 0);
});

test('open loop counts latency from the due time: a slow server backs the schedule up', async (t) => {
  const s = await server(t);
  // One connection, a request due every 10 ms, each answered after 30 ms: the queue grows by 20 ms per request,
  // so late requests wait far longer than 30 ms. A closed-loop generator would report ≈ 30 ms for all.
  const r = await load(s.port, '/ok?delay=30', 100, 0.5, 1);
  assert.equal(r.requests, 50);
  assert.ok(r.p50 >= 30, `p50 ${r.p50}`);
  assert.ok(r.p99 > 500, `p99 ${r.p99} counts the backlog`);
});

test('non-2xx answers and chunked bodies are read and counted', async (t) => {
  const s = await server(t);
  const missing = await load(s.port, '/missing', 100, 0.5, 2);
  assert.equal(missing.requests, 50);
  assert.equal(missing.non2xx, 50);
  const chunked = await load(s.port, '/chunked', 100, 0.5, 2);
  assert.equal(chunked.requests, 50);
  assert.equal(chunked.non2xx, 0);
  assert.equal(s.seen.requests, 100);
});

test('closed loop (rate 0) keeps every connection busy until the deadline, then stops', async (t) => {
  const s = await server(t);
  const r = await load(s.port, '/ok?delay=5', 0, 0.5, 4);
  assert.ok(r.requests > 20, `${r.requests} requests`);
  // Requests in flight at the deadline are answered but not counted; none is sent after it.
  assert.ok(s.seen.requests >= r.requests && s.seen.requests <= r.requests + 4, `server saw ${s.seen.requests}`);
  assert.ok(r.p50 >= 5, `p50 ${r.p50}`);
  assert.equal(r.errors + r.non2xx, 0);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testHub } from '../helpers/hub.js';
import { newControl, probeModule } from '../fixtures/probe-module.js';

const root = new URL('../..', import.meta.url).pathname;

test('closing finishes in-flight requests and refuses new ones', async (t) => {
  const h = await testHub(t, { modules: [probeModule(newControl())] });
  const origin = await h.app.listen({ host: '127.0.0.1', port: 0 });
  // Close once the request is inside the server (an event, not a guessed sleep); the handler then still has
  // its 300 ms to go, so the close has to wait for it.
  const arrived = once(h.app.server, 'request');
  const inflight = fetch(`${origin}/probe/slow?ms=300`);
  await arrived;
  const closing = h.close();
  const res = await inflight;
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { slept: 300 });
  await closing;
  await assert.rejects(fetch(`${origin}/healthz`), 'the port is closed after shutdown');
});

test('`hub serve` stops cleanly on SIGTERM', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-serve-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', PORT: '0', LOG_LEVEL: 'info', LOG_PRETTY: 'false', ADMIN_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += String(d)));
  const origin = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += String(d);
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`serve exited early (${code}): ${err}`)));
  });
  const ready = await fetch(`${origin}/readyz`);
  assert.equal(ready.status, 200);
  assert.match(err, /Admin token \(shown once/, 'the first start prints the generated admin token');
  assert.match(err, /\/api\/docs/);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.match(out, /"msg":"stopped"/);
});

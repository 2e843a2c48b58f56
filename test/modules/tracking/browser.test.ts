// Issue #24, the seed's "website widget": a page on another origin calls the tracking API from a real browser
// (playwright-core driving Debian's chromium, as the console will) with a read-only key. The bot's operator lists
// the page's origin; the browser's preflight is answered before authentication, the read succeeds with its
// rate-limit headers readable, a write is refused (403, readable), and a page of an origin not listed is blocked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { admin, api, parcel, provision, trackingHub } from './helpers.js';

/** Debian's chromium (`apt-get install chromium`; .ci/run installs it). */
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

async function pageServer(t: Parameters<typeof trackingHub>[0]): Promise<number> {
  const server: Server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>widget</title>'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

test('a page on another origin reads with a read-only key, cannot write, and an unlisted origin is blocked', async (t) => {
  assert.ok(CHROMIUM, "Debian's chromium is not installed (apt-get install -y chromium; .ci/run installs it)");
  const h = await trackingHub(t);
  const { botId, key } = await provision(h);
  assert.equal((await api(h, key)('POST', `/tracking/${botId}`, parcel('WIDGET-1'))).statusCode, 201);
  const hubUrl = await h.app.listen({ port: 0, host: '127.0.0.1' });
  const port = await pageServer(t);
  const listed = `http://localhost:${port}`; // another origin than the API's http://127.0.0.1:<hub port>
  const unlisted = `http://127.0.0.1:${port}`;
  assert.equal((await admin(h, 'PATCH', `/tracking/bots/${botId}`, { allowed_origins: [listed] })).statusCode, 200);
  const readKey = (await admin(h, 'POST', `/tracking/bots/${botId}/keys`, { name: 'widget', scope: 'read' })).json().key as string;

  const browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox', '--disable-gpu'] });
  t.after(() => browser.close());
  const page = await browser.newPage();
  const call = (origin: string) =>
    page.goto(origin).then(() =>
      page.evaluate(
        async ({ url, apiKey, bot }) => {
          const out: Record<string, unknown> = {};
          try {
            const read = await fetch(`${url}/api/v1/tracking/${bot}?tracking_number=WIDGET-1`, { headers: { 'X-API-Key': apiKey } });
            const body = (await read.json()) as { total: number; tracking_numbers: Array<{ id: number }> };
            out.read = { status: read.status, total: body.total, remaining: read.headers.get('X-RateLimit-Remaining') };
            const id = body.tracking_numbers[0]!.id;
            const write = await fetch(`${url}/api/v1/tracking/${bot}/${id}`, {
              method: 'PUT',
              headers: { 'X-API-Key': apiKey, 'Content-Type': 'application/json' },
              body: JSON.stringify({ status: 'issued' }),
            });
            out.write = { status: write.status, detail: ((await write.json()) as { detail: string }).detail };
          } catch (err) {
            out.error = String(err);
          }
          return out;
        },
        { url: hubUrl, apiKey: readKey, bot: botId },
      ),
    );

  const ok = await call(listed);
  const read = ok.read as { status: number; total: number; remaining: string | null } | undefined;
  assert.deepEqual([read?.status, read?.total], [200, 1], JSON.stringify(ok));
  assert.match(String(read?.remaining), /^\d+$/, 'the page reads the exposed rate-limit header');
  assert.equal((ok.write as { status: number }).status, 403, JSON.stringify(ok));
  assert.match(String((ok.write as { detail: string }).detail), /только для чтения/);
  const stored = (await api(h, key)('GET', `/tracking/${botId}?tracking_number=WIDGET-1`)).json();
  assert.equal(stored.tracking_numbers[0].current_status, 'pending', 'the read key changed nothing');

  const blocked = await call(unlisted);
  assert.equal(blocked.read, undefined, JSON.stringify(blocked));
  assert.match(String(blocked.error), /TypeError|Failed to fetch/, 'the browser refuses an origin the bot does not list');
});

// The seed's own client examples (JavaScript fetch, Python requests, PHP cURL), taken verbatim from the seed
// text with only the base URL, key and bot id substituted, run against a live server. Each example's two
// functions are called by a few lines appended after it. A missing interpreter fails the test (CI installs them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestHub } from '../../helpers/hub.js';
import { trackingHub, provision, api, parcel } from './helpers.js';

const run = promisify(execFile);
const seed = readFileSync(new URL('./fixtures/seed-004.md', import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'tracking-seed-clients-'));

function example(lang: 'javascript' | 'python' | 'php'): string {
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(seed);
  assert.ok(m, `the seed has a ${lang} example`);
  return m[1]!;
}

/** Only the configuration values change: base URL, key, bot id. */
function configure(code: string, baseUrl: string, key: string, botId: number): string {
  const out = code
    .replace('https://your-api-domain.com/api/v1', `${baseUrl}/api/v1`)
    .replace('tb_your_api_key_here', key)
    .replace(/(BOT_ID = |\$botId = )123/, (_m, assign: string) => `${assign}${botId}`);
  assert.notEqual(out, code);
  assert.ok(!out.includes('your-api-domain') && !out.includes('tb_your_api_key_here'));
  return out;
}

async function interpreter(candidates: string[], probe: string[], what: string): Promise<string> {
  for (const bin of candidates) {
    try {
      await run(bin, probe, { timeout: 20_000 });
      return bin;
    } catch {
      // try the next candidate
    }
  }
  assert.fail(`${what} is not available (tried ${candidates.join(', ')}); CI installs it from Debian packages (see .ci/run)`);
}

async function liveServer(t: Parameters<typeof trackingHub>[0]): Promise<{ h: TestHub; base: string; key: string; botId: number }> {
  const h = await trackingHub(t);
  const { key, botId } = await provision(h, { id: 123 });
  const base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  await api(h, key)('POST', `/tracking/${botId}`, parcel('EXISTING-1', 'CLIENT123'));
  return { h, base, key, botId };
}

const NEW_PARCEL = {
  tracking_number: 'ABC123456',
  client_code: 'CLIENT123',
  status: 'pending',
  quantity: 5,
  weight_kg: 10.5,
  price_per_kg_usd: 14.29,
  total_cost_usd: 150.0,
  note: 'Хрупкое',
};

function checkOutput(stdout: string) {
  const out = JSON.parse(stdout.trim().split('\n').pop()!);
  assert.equal(out.created.tracking_number, 'ABC123456');
  assert.equal(out.created.current_status, 'pending');
  assert.equal(out.created.total_cost_usd, 150);
  assert.deepEqual(out.list.map((x: { tracking_number: string }) => x.tracking_number).sort(), ['ABC123456', 'EXISTING-1']);
  return out;
}

test('JavaScript (fetch) example runs unchanged; its error branch reads {detail}', async (t) => {
  const { base, key, botId } = await liveServer(t);
  const file = join(dir, 'client.mjs');
  const driver = `
const created = await createTrackingNumber(${JSON.stringify(NEW_PARCEL)});
const list = await getTrackingNumbers('CLIENT123');
let duplicate = null;
try { await createTrackingNumber(${JSON.stringify(NEW_PARCEL)}); } catch (e) { duplicate = e.message; }
console.log(JSON.stringify({ created, list, duplicate }));
`;
  writeFileSync(file, configure(example('javascript'), base, key, botId) + driver);
  const { stdout } = await run(process.execPath, [file], { timeout: 60_000 });
  const out = checkOutput(stdout);
  assert.match(out.duplicate, /уже есть/, 'the example throws error.detail from our 409');
});

test('Python (requests) example runs unchanged', async (t) => {
  const python = await interpreter(['/usr/bin/python3', 'python3'], ['-c', 'import requests'], 'python3 with the requests package');
  const { base, key, botId } = await liveServer(t);
  const file = join(dir, 'client.py');
  const driver = `
import json
created = create_tracking_number(json.loads(${JSON.stringify(JSON.stringify(NEW_PARCEL))}))
lst = get_tracking_numbers('CLIENT123')
try:
    create_tracking_number(json.loads(${JSON.stringify(JSON.stringify(NEW_PARCEL))}))
    duplicate = None
except requests.HTTPError as e:
    duplicate = e.response.status_code
print(json.dumps({'created': created, 'list': lst, 'duplicate': duplicate}))
`;
  writeFileSync(file, configure(example('python'), base, key, botId) + driver);
  const { stdout } = await run(python, [file], { timeout: 60_000 });
  assert.equal(checkOutput(stdout).duplicate, 409);
});

test('PHP (cURL) example runs unchanged', async (t) => {
  const php = await interpreter(['php'], ['-r', 'exit(function_exists("curl_init") ? 0 : 1);'], 'php with the curl extension');
  const { base, key, botId } = await liveServer(t);
  const file = join(dir, 'client.php');
  const driver = `<?php
$created = createTrackingNumber(json_decode(${JSON.stringify(JSON.stringify(NEW_PARCEL))}, true));
$list = getTrackingNumbers('CLIENT123');
try { createTrackingNumber(json_decode(${JSON.stringify(JSON.stringify(NEW_PARCEL))}, true)); $duplicate = null; }
catch (Exception $e) { $duplicate = $e->getMessage(); }
echo json_encode(['created' => $created, 'list' => $list['tracking_numbers'], 'duplicate' => $duplicate], JSON_UNESCAPED_UNICODE), "\\n";
`;
  writeFileSync(file, configure(example('php'), base, key, botId) + driver);
  const { stdout } = await run(php, [file], { timeout: 60_000 });
  assert.equal(checkOutput(stdout).duplicate, 'HTTP error! status: 409');
});

// Issue #24, the tracking API's document and timestamps: rate-limit and Retry-After headers on the responses that
// carry them, an operationId on every operation, ISO 8601 timestamps with Z in the examples — and the seed's
// zone-less sample datetime and ours both parse in the three client languages of the seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { api, parcel, provision, trackingHub } from './helpers.js';

const run = promisify(execFile);
const SEED_SAMPLE = '2025-01-27T10:00:00'; // the seed's example (no zone)

interface Operation {
  operationId?: string;
  responses: Record<string, { headers?: Record<string, unknown> }>;
}

test('OpenAPI: every tracking operation has an operationId; rate-limit and Retry-After headers are documented', async (t) => {
  const h = await trackingHub(t);
  const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const ops: Array<[string, Operation]> = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Operation>>))
    if (path.startsWith('/api/v1/') || path.startsWith('/admin/v1/tracking'))
      for (const [method, op] of Object.entries(item)) ops.push([`${method.toUpperCase()} ${path}`, op]);
  assert.ok(ops.length > 20);
  for (const [name, op] of ops) assert.ok(op.operationId, `${name} has an operationId`);
  for (const [name, op] of ops.filter(([n]) => n.includes(' /api/v1/'))) {
    for (const status of ['200', '404', '429'])
      if (op.responses[status]) assert.ok(op.responses[status]!.headers?.['X-RateLimit-Remaining'], `${name} ${status}: X-RateLimit-*`);
    assert.ok(op.responses['200'] ?? op.responses['201']);
    assert.equal(op.responses['401']!.headers, undefined, `${name} 401 carries no rate-limit headers`);
    for (const status of ['429', '503']) assert.ok(op.responses[status]!.headers?.['Retry-After'], `${name} ${status}: Retry-After`);
    assert.ok((op.responses['200'] ?? op.responses['201'])!.headers?.RateLimit, `${name}: RateLimit`);
  }
  const number = doc.paths['/api/v1/tracking/{bot_id}/{tracking_id}'].get.responses['200'].content['application/json'].schema;
  const created = JSON.stringify(number).match(/"created_at":\{[^}]*\}/)?.[0] ?? '';
  assert.match(created, /"examples":\["\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"\]/, created);
});

test('timestamps: ours end in Z; the seed’s sample and ours both parse in JavaScript, Python and PHP', async (t) => {
  const h = await trackingHub(t);
  const { botId, key } = await provision(h);
  const ours: string = (await api(h, key)('POST', `/tracking/${botId}`, parcel('T-1'))).json().created_at;
  assert.match(ours, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const epoch = Math.floor(Date.parse(ours) / 1000);
  const seedEpoch = Date.UTC(2025, 0, 27, 10) / 1000; // read as UTC where a zone is needed
  // Each prints the Unix seconds of both strings, parsing them the way a client of that language would.
  const programs: Array<[string, string[]]> = [
    [
      process.execPath,
      ['-e', `for (const s of process.argv.slice(1)) console.log(Math.floor(Date.parse(s.endsWith('Z') ? s : s + 'Z') / 1000))`],
    ],
    [
      'python3',
      [
        '-c',
        'import sys, datetime\nfor s in sys.argv[1:]:\n d = datetime.datetime.fromisoformat(s)\n d = d if d.tzinfo else d.replace(tzinfo=datetime.timezone.utc)\n print(int(d.timestamp()))',
      ],
    ],
    ['php', ['-r', 'foreach (array_slice($argv, 1) as $s) { echo (new DateTime($s, new DateTimeZone("UTC")))->getTimestamp(), "\\n"; }']],
  ];
  await Promise.all(
    programs.map(async ([bin, args]) => {
      const { stdout } = await run(bin, [...args, ...(bin === 'php' ? ['--'] : []), SEED_SAMPLE, ours], { timeout: 20_000 });
      assert.deepEqual(stdout.trim().split('\n').map(Number), [seedEpoch, epoch], `${bin}: ${stdout}`);
    }),
  );
});

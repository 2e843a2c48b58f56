// API keys: format and hashing (no plaintext at rest), 401/403 rules, revocation, the cross-bot isolation matrix,
// usage history and the unusual-activity warnings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trackingHub, provision, api, admin, parcel } from './helpers.js';
import { generateApiKey, hashApiKey, ISSUED_KEY_PATTERN as KEY_PATTERN, KEYS_GENERATION } from '../../../src/modules/tracking/keys.js';
import { UsageRecorder } from '../../../src/modules/tracking/usage.js';

test('keys are tb_ + 32 alphanumerics from the CSPRNG and only their SHA-256 and display prefix are stored', async (t) => {
  const many = Array.from({ length: 2000 }, generateApiKey);
  for (const k of many) assert.match(k, KEY_PATTERN);
  assert.equal(new Set(many).size, many.length);
  const chars = new Set(many.join('').replaceAll('tb_', ''));
  assert.equal(chars.size, 62, 'every character of the alphabet occurs');

  const h = await trackingHub(t);
  const { botId, key, keyId } = await provision(h);
  assert.match(key, KEY_PATTERN);
  const [row] = await h.hub.database.query<{ key_hash: string; prefix: string }>(
    'select key_hash, prefix from tracking_api_keys where id = $1',
    [keyId],
  );
  assert.equal(row!.key_hash, hashApiKey(key));
  assert.equal(row!.prefix, key.slice(0, 8));
  const dump = await h.hub.database.query<{ t: string }>(`select string_agg(x::text, ' ') as t from (select * from tracking_api_keys) x`);
  assert.ok(!dump[0]!.t.includes(key) && !dump[0]!.t.includes(key.slice(3)), 'the plaintext key is nowhere in the keys table');
  const listed = await admin(h, 'GET', `/tracking/bots/${botId}/keys`);
  assert.equal(listed.statusCode, 200);
  assert.ok(!listed.body.includes(key), 'listing keys never shows the key');
  assert.ok(!listed.body.includes(row!.key_hash), 'nor its hash');
  assert.ok(!JSON.stringify(h.logs).includes(key), 'no log line contains the key');
});

test('401 for a missing, malformed, unknown or revoked key; revocation is immediate; 403 for a disabled bot', async (t) => {
  const h = await trackingHub(t);
  const { botId, key, keyId } = await provision(h);
  const url = `/tracking/${botId}`;
  for (const k of [
    undefined,
    '',
    'nope',
    `tb_${'a'.repeat(31)}`,
    generateApiKey(),
    key.toLowerCase() === key ? key.toUpperCase() : key.toLowerCase(),
  ]) {
    const r = await api(h, k)('GET', url);
    assert.equal(r.statusCode, 401, `key ${String(k)}`);
    assert.equal(typeof r.json().detail, 'string');
    assert.match(String(r.headers['www-authenticate']), /X-API-Key/);
  }
  assert.equal((await api(h, key)('GET', url)).statusCode, 200);

  const revoked = await admin(h, 'POST', `/tracking/keys/${keyId}/revoke`);
  assert.equal(revoked.statusCode, 200);
  assert.ok(revoked.json().revoked_at);
  const after = await api(h, key)('GET', url);
  assert.equal(after.statusCode, 401, 'the very next request is refused');
  assert.match(after.json().detail, /отозванный/);
  assert.equal((await admin(h, 'POST', `/tracking/keys/${keyId}/revoke`)).statusCode, 409);
  assert.equal((await admin(h, 'POST', '/tracking/keys/9999/revoke')).statusCode, 404);

  const second = await admin(h, 'POST', `/tracking/bots/${botId}/keys`, {});
  const key2 = second.json().key as string;
  assert.equal((await api(h, key2)('GET', url)).statusCode, 200);
  assert.equal((await admin(h, 'PATCH', `/tracking/bots/${botId}`, { is_active: false })).json().is_active, false);
  const off = await api(h, key2)('GET', url);
  assert.equal(off.statusCode, 403);
  assert.match(off.json().detail, /отключён/);
});

test('key lookups are cached per process and re-read whenever the keys generation changes', async (t) => {
  const h = await trackingHub(t);
  const { botId, key, keyId } = await provision(h);
  const url = `/tracking/${botId}`;
  // The first read is labelled with the generation seen before it, which a fresh process does not know yet: the
  // second request re-reads once, and from then on the entry is trusted.
  for (let i = 0; i < 2; i++) assert.equal((await api(h, key)('GET', url)).statusCode, 200);
  // Behind the hub's back (no generation bump): the cached identity is still trusted, so no query was made.
  await h.hub.database.query('update tracking_api_keys set revoked_at = now() where id = $1', [keyId]);
  assert.equal((await api(h, key)('GET', url)).statusCode, 200, 'served from the cache');
  // Any process bumping the generation (as revoke, limit and bot changes do) makes the next request re-read.
  await h.hub.rateLimiter.bump(KEYS_GENERATION);
  assert.equal((await api(h, key)('GET', url)).statusCode, 401, 're-read after the generation changed');
  // A limit change through the admin API reaches a cached key at its next request, under a fresh bucket.
  const second = (await admin(h, 'POST', `/tracking/bots/${botId}/keys`, {})).json() as { key: string; id: number };
  for (let i = 0; i < 2; i++) assert.equal((await api(h, second.key)('GET', url)).headers['x-ratelimit-limit'], '60');
  assert.equal((await admin(h, 'PATCH', `/tracking/keys/${second.id}`, { rate_limit_per_minute: 7 })).statusCode, 200);
  const limited = await api(h, second.key)('GET', url);
  assert.equal(limited.headers['x-ratelimit-limit'], '7');
  assert.equal(limited.headers['x-ratelimit-remaining'], '6', 'the new limit starts a fresh allowance');
});

test('cross-bot isolation matrix: a key sees only its own bot, on every endpoint', async (t) => {
  const h = await trackingHub(t);
  const a = await provision(h, { name: 'A' });
  const b = await provision(h, { name: 'B' });
  const seed = async (p: typeof a, n: string) => {
    const tn = (await api(h, p.key)('POST', `/tracking/${p.botId}`, parcel(n, `CL-${n}`))).json();
    const client = (await api(h, p.key)('GET', `/clients/${p.botId}`)).json().clients[0];
    return { trackingId: tn.id as number, clientId: client.id as number, clientCode: `CL-${n}` };
  };
  const data = new Map([
    [a.botId, await seed(a, 'A-1')],
    [b.botId, await seed(b, 'B-1')],
  ]);
  const endpoints = (bot: number) => {
    const d = data.get(bot)!;
    return [
      ['GET', `/tracking/${bot}`],
      ['POST', `/tracking/${bot}`],
      ['GET', `/tracking/${bot}/${d.trackingId}`],
      ['PUT', `/tracking/${bot}/${d.trackingId}`],
      ['GET', `/tracking/${bot}/by-client/${d.clientCode}`],
      ['GET', `/clients/${bot}`],
      ['GET', `/clients/${bot}/${d.clientId}`],
      ['GET', `/statistics/${bot}/overview`],
      ['GET', `/statistics/${bot}/tracking`],
      ['GET', `/bots/${bot}`],
    ] as const;
  };
  for (const caller of [a, b]) {
    for (const target of [a, b]) {
      for (const [method, url] of endpoints(target.botId)) {
        const body = method === 'POST' ? parcel(`X-${caller.botId}-${target.botId}`) : method === 'PUT' ? { note: 'x' } : undefined;
        const r = await api(h, caller.key)(method, url, body);
        if (caller === target)
          assert.ok(r.statusCode === 200 || r.statusCode === 201, `${method} ${url} with own key: ${r.statusCode} ${r.body}`);
        else {
          assert.equal(r.statusCode, 403, `${method} ${url} with bot ${caller.botId}'s key`);
          assert.doesNotMatch(r.body, /A-1|B-1|CL-/, 'a refusal leaks nothing of the other bot');
        }
      }
    }
  }
  // An id that belongs to another bot is simply not found under one's own bot_id.
  const foreign = data.get(b.botId)!;
  assert.equal((await api(h, a.key)('GET', `/tracking/${a.botId}/${foreign.trackingId}`)).statusCode, 404);
  assert.equal((await api(h, a.key)('GET', `/clients/${a.botId}/${foreign.clientId}`)).statusCode, 404);
  assert.equal((await api(h, a.key)('GET', `/tracking/${a.botId}/by-client/${foreign.clientCode}`)).statusCode, 404);
  const listA = (await api(h, a.key)('GET', `/tracking/${a.botId}?page_size=100`)).json();
  assert.ok(listA.tracking_numbers.every((x: { tracking_number: string }) => !x.tracking_number.startsWith('B-')));
  const sameNumber = await api(h, b.key)('POST', `/tracking/${b.botId}`, parcel('A-1'));
  assert.equal(sameNumber.statusCode, 201, 'tracking numbers are unique per bot, not globally');
});

test('usage history: every request with key, method, path, status, IP and latency; daily counts; last_used_at', async (t) => {
  const h = await trackingHub(t, { env: { TRUST_PROXY: 'loopback' } });
  const { botId, key, keyId } = await provision(h);
  const call = api(h, key);
  assert.equal((await admin(h, 'GET', `/tracking/keys/${keyId}/usage`)).json().last_used_at, null);
  await call('GET', `/tracking/${botId}?page=1`);
  await call('POST', `/tracking/${botId}`, parcel('U-1'));
  await call('GET', `/tracking/${botId}/999`);
  await call('GET', `/bots/${botId + 1}`, undefined, { 'x-forwarded-for': '203.0.113.7' });
  const usage = await admin(h, 'GET', `/tracking/keys/${keyId}/usage`);
  assert.equal(usage.statusCode, 200, usage.body);
  const u = usage.json();
  assert.deepEqual(u.daily, [{ day: new Date().toISOString().slice(0, 10), requests: 4, errors: 2 }]);
  assert.ok(u.last_used_at);
  assert.deepEqual(
    u.recent.map((r: { method: string; path: string; status: number; ip: string }) => [r.method, r.path, r.status, r.ip]),
    [
      ['GET', `/api/v1/bots/${botId + 1}`, 403, '203.0.113.7'],
      ['GET', `/api/v1/tracking/${botId}/999`, 404, '127.0.0.1'],
      ['POST', `/api/v1/tracking/${botId}`, 201, '127.0.0.1'],
      ['GET', `/api/v1/tracking/${botId}`, 200, '127.0.0.1'],
    ],
  );
  assert.ok(u.recent.every((r: { latency_ms: number }) => r.latency_ms > 0));
  await api(h, undefined)('GET', `/tracking/${botId}`);
  await admin(h, 'GET', `/tracking/keys/${keyId}/usage`); // reading the history flushes the batched log
  const [anonymous] = await h.hub.database.query<{ n: number }>(
    'select count(*)::int as n from tracking_api_requests where key_id is null',
  );
  assert.equal(anonymous!.n, 1, 'requests without a valid key are logged too (key_id null)');
  assert.equal((await admin(h, 'GET', '/tracking/keys/999/usage')).statusCode, 404);
});

test('unusual activity: a burst of 401/403 from one IP and one key used from many IPs are warned about and counted', async (t) => {
  // Requests come from 127.0.0.1 (inject): TRUST_PROXY=loopback lets them name their clients.
  const h = await trackingHub(t, { env: { AUTH_FAILURE_LIMIT: '5', TRUST_PROXY: 'loopback' }, options: { keyIpThreshold: 3 } });
  const { botId, key } = await provision(h);
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++)
    statuses.push(
      (await api(h, generateApiKey())('GET', `/tracking/${botId}`, undefined, { 'x-forwarded-for': '198.51.100.9' })).statusCode,
    );
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429], 'past the limit the IP is throttled');
  const burst = h.logs.filter((l) => l.msg === 'tracking API: burst of 401/403 answers from one IP');
  assert.equal(burst.length, 1, 'warned once per window');
  assert.equal(burst[0]!.level, 40);
  assert.equal(burst[0]!.ip, '198.51.100.9');
  for (const ip of ['192.0.2.1', '192.0.2.2', '192.0.2.3'])
    await api(h, key)('GET', `/bots/${botId}`, undefined, { 'x-forwarded-for': ip });
  const many = h.logs.filter((l) => l.msg === 'tracking API: one key used from many IPs');
  assert.equal(many.length, 1);
  const metrics = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
  assert.match(metrics, /hub_alerts_total\{kind="tracking_auth_failures",partner="tracking"\} 1/);
  assert.match(metrics, /hub_alerts_total\{kind="tracking_key_many_ips",partner="tracking"\} 1/);
  assert.ok(!JSON.stringify(h.logs).includes(key), 'warnings never contain the key');
});

test('usage rows survive a failed write: kept in order ahead of newer ones and written with the next batch', async (t) => {
  const h = await trackingHub(t);
  const { botId, keyId } = await provision(h);
  const usage = new UsageRecorder(h.hub, 3_600_000);
  const at = Date.parse('2026-11-20T10:00:00.123Z');
  const entry = (i: number) => ({
    keyId,
    botId,
    atMs: at + i,
    method: 'GET',
    path: `/api/v1/p/${i}`,
    status: i % 4 === 0 ? 404 : 200,
    ip: '192.0.2.7',
    latencyMs: i / 10,
  });
  for (let i = 0; i < 3; i++) usage.record(entry(i));
  // The table is away: the write fails (a real database error), the rows stay buffered.
  await h.hub.database.query('alter table tracking_api_requests rename to tracking_api_requests_away');
  await usage.flush();
  assert.ok(h.logs.some((l) => l.msg === 'tracking usage log write failed; keeping the rows for the next batch' && l.rows === 3));
  await h.hub.database.query('alter table tracking_api_requests_away rename to tracking_api_requests');
  for (let i = 3; i < 5; i++) usage.record(entry(i));
  await usage.flush();
  const logged = await h.hub.database.query<{ path: string; at: Date; status: number; latency_ms: number }>(
    'select path, at, status, latency_ms from tracking_api_requests where key_id = $1 order by id',
    [keyId],
  );
  assert.deepEqual(
    logged.map((r) => [r.path, new Date(r.at).toISOString(), r.status, r.latency_ms]),
    [0, 1, 2, 3, 4].map((i) => [`/api/v1/p/${i}`, new Date(at + i).toISOString(), i % 4 === 0 ? 404 : 200, i / 10]),
  );
  const [daily] = await h.hub.database.query<{ day: string; requests: number; errors: number }>(
    'select day::text as day, requests, errors from tracking_api_key_daily where key_id = $1',
    [keyId],
  );
  assert.deepEqual(daily, { day: '2026-11-20', requests: 5, errors: 2 });
  const [key] = await h.hub.database.query<{ last_used_at: Date }>('select last_used_at from tracking_api_keys where id = $1', [keyId]);
  assert.equal(new Date(key!.last_used_at).toISOString(), new Date(at + 4).toISOString());
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetch } from 'undici';
import { eventually } from '../../helpers/hub.js';
import { startEmulator } from './helpers.js';

test('7 requests per second per token: the 8th is 429 with retry_after; repeated violations give an nginx HTML 403 block', async (t) => {
  const s = await startEmulator(t, {
    rateLimit: { enabled: true, perSecond: 7, violationsToBlock: 3, violationWindowSeconds: 10, blockSeconds: 60 },
  });
  s.emu.control.clock.freeze(); // every request lands in the same emulated second
  const statuses = [];
  for (let i = 0; i < 8; i++) statuses.push((await s.api('/api/v4/account')).status);
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 429]);
  const limited = await s.api('/api/v4/account');
  assert.equal(limited.status, 429);
  assert.match(limited.headers.get('content-type')!, /application\/problem\+json/);
  assert.equal(limited.json().retry_after, 1);

  const other = s.emu.control.oauth.issueTokens().access_token;
  assert.equal((await s.api('/api/v4/account', { token: other })).status, 200, 'another token has its own budget');

  const blocked = await s.api('/api/v4/account'); // third violation
  assert.equal(blocked.status, 403);
  assert.match(blocked.headers.get('content-type')!, /text\/html/);
  assert.match(blocked.text, /<center>nginx<\/center>/);
  s.emu.control.clock.advance(30);
  assert.equal((await s.api('/api/v4/account')).status, 403, 'still blocked within blockSeconds');
  s.emu.control.clock.advance(31);
  assert.equal((await s.api('/api/v4/account')).status, 200, 'block lifted');

  const log = s.emu.control.requests.list({ path: '/api/v4/account' });
  assert.deepEqual(
    log
      .map((e) => e.status)
      .filter((x) => x !== 200)
      .slice(0, 3),
    [429, 429, 403],
  );
  assert.ok(log.every((e) => e.tokenAccountId === 31000001));
});

test('the request log records batch sizes and the account-wide cap applies across tokens', async (t) => {
  const s = await startEmulator(t, { rateLimit: { enabled: true, perSecond: 7, accountPerSecond: 3 } });
  s.emu.control.clock.freeze();
  await s.api('/api/v4/leads', { body: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] });
  const tokens = [s.emu.control.oauth.issueTokens().access_token, s.emu.control.oauth.issueTokens().access_token];
  assert.equal((await s.api('/api/v4/account', { token: tokens[0] })).status, 200);
  assert.equal((await s.api('/api/v4/account', { token: tokens[1] })).status, 200);
  assert.equal((await s.api('/api/v4/account', { token: tokens[1] })).status, 429, 'the account cap (3/s) is shared');
  const posted = s.emu.control.requests.list({ method: 'POST', path: '/api/v4/leads' });
  assert.equal(posted.length, 1);
  assert.equal(posted[0]!.items, 3);
  assert.equal(posted[0]!.subdomain, 'testaccount');
  assert.ok(s.emu.control.requests.maxPerSecond() >= 4);
});

test('fault injection: 500 problem+json, 504 gateway page, 402, delays, dropped connections, limited by times', async (t) => {
  const s = await startEmulator(t);
  s.emu.control.faults.add({ path: '/api/v4/leads', method: 'GET', status: 500, times: 1 });
  const e500 = await s.api('/api/v4/leads');
  assert.equal(e500.status, 500);
  assert.equal(e500.json().title, 'ErrInternalServer');
  assert.ok(e500.json().trace_id);
  assert.equal((await s.api('/api/v4/leads')).status, 204, 'times: 1 fires once');

  const id = s.emu.control.faults.add({ path: '/api/v4/leads/complex', status: 504 });
  const e504 = await s.api('/api/v4/leads/complex', { body: [{ name: 'x' }] });
  assert.equal(e504.status, 504);
  assert.match(e504.text, /504 Gateway Time-out/);
  assert.equal(s.emu.control.entities.count('leads'), 0, 'a faulted request does not reach the data');
  s.emu.control.faults.remove(id);

  s.emu.control.faults.add({ path: '/api/v4/account', status: 402, times: 1 });
  assert.equal((await s.api('/api/v4/account')).status, 402);

  s.emu.control.faults.add({ path: '/api/v4/users', delayMs: 300, times: 1 });
  const slow = await fetch(`${s.base}/api/v4/users`, {
    headers: { authorization: `Bearer ${s.token}` },
    signal: AbortSignal.timeout(100),
  }).then(
    () => 'answered',
    (err: Error) => err.name,
  );
  assert.equal(slow, 'TimeoutError', 'a client with a shorter timeout gives up');

  s.emu.control.faults.add({ path: '/api/v4/*', reset: true, times: 1 });
  await assert.rejects(fetch(`${s.base}/api/v4/account`, { headers: { authorization: `Bearer ${s.token}` } }));
  assert.equal((await s.api('/api/v4/account')).status, 200);
});

test('an injected 429 looks like a rate-limit refusal (retry_after in problem+json); share hits that fraction of calls, evenly', async (t) => {
  const s = await startEmulator(t);
  const id = s.emu.control.faults.add({ path: '/api/v4/*', status: 429, share: 0.75 });
  const statuses = [];
  for (let i = 0; i < 8; i++) statuses.push((await s.api('/api/v4/account')).status);
  assert.deepEqual(statuses, [200, 429, 429, 429, 200, 429, 429, 429], 'three in every four, the same sequence every run');
  const storm = await s.api('/api/v4/account');
  assert.equal(storm.status, 200);
  const limited = await s.api('/api/v4/account');
  assert.equal(limited.status, 429);
  assert.match(limited.headers.get('content-type')!, /application\/problem\+json/);
  assert.equal(limited.json().retry_after, 1);
  assert.equal(limited.json().detail, 'Too many requests');
  s.emu.control.faults.remove(id);
  s.emu.control.rateLimit.configure({ retryAfter: 5 });
  s.emu.control.faults.add({ path: '/api/v4/account', status: 429, times: 1 });
  assert.equal((await s.api('/api/v4/account')).json().retry_after, 5, 'a fixed retry_after of the limiter is used');
  assert.throws(() => s.emu.control.faults.add({ path: '/x', status: 429, share: 0 }), /share must be in \(0, 1\]/);
});

test('answer_lost: the write lands, then the connection drops or a 504 page replaces the answer; refusals pass through', async (t) => {
  const s = await startEmulator(t);
  s.emu.control.faults.add({ path: '/api/v4/leads/complex', method: 'POST', kind: 'answer_lost', times: 1 });
  await assert.rejects(
    fetch(`${s.base}/api/v4/leads/complex`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ name: 'landed 1' }, { name: 'landed 2' }]),
    }),
  );
  assert.equal(s.emu.control.entities.count('leads'), 2, 'the leads were created');
  const dropped = s.emu.control.requests.list({ path: '/api/v4/leads/complex' });
  assert.deepEqual(
    dropped.map((r) => [r.status, r.items]),
    [[0, 2]],
    'logged once, as a dropped connection',
  );

  s.emu.control.faults.add({ path: '/api/v4/leads/complex', kind: 'answer_lost', status: 504, times: 2 });
  const e504 = await s.api('/api/v4/leads/complex', { body: [{ name: 'landed 3' }] });
  assert.equal(e504.status, 504);
  assert.match(e504.text, /504 Gateway Time-out/);
  assert.equal(s.emu.control.entities.count('leads'), 3);
  // A request amoCRM refuses (here: a bad token) is not carried out; its answer is not replaced.
  const refused = await s.api('/api/v4/leads/complex', { body: [{ name: 'x' }], token: 'nope' });
  assert.equal(refused.status, 401);
  assert.equal(s.emu.control.entities.count('leads'), 3);
  assert.equal((await s.api('/api/v4/leads/complex', { body: [{ name: 'landed 4' }] })).status, 200, 'the rule is used up');

  // With a delay, the leads exist while the caller still waits for the answer that will be lost.
  s.emu.control.faults.add({ path: '/api/v4/leads/complex', kind: 'answer_lost', status: 504, delayMs: 1500, times: 1 });
  let answered = false;
  const waiting = s.api('/api/v4/leads/complex', { body: [{ name: 'landed 5' }] }).finally(() => (answered = true));
  await eventually(async () => s.emu.control.entities.count('leads') === 5, 10_000, 5);
  assert.equal(answered, false, 'the write landed before its answer');
  assert.equal((await waiting).status, 504);

  assert.throws(() => s.emu.control.faults.add({ path: '/x', kind: 'smoke' as never }), /unknown fault kind 'smoke'.*answer_lost/);
});

test('outage window: every account call answers 503 (or drops) until it ends', async (t) => {
  const s = await startEmulator(t);
  s.emu.control.faults.outage(600);
  assert.equal((await s.api('/api/v4/account')).status, 503);
  const tokenCall = await fetch(`${s.base}/oauth2/access_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(tokenCall.status, 503);
  s.emu.control.faults.outage(600, 'reset');
  await assert.rejects(fetch(`${s.base}/api/v4/account`, { headers: { authorization: `Bearer ${s.token}` } }));
  s.emu.control.faults.endOutage();
  assert.equal((await s.api('/api/v4/account')).status, 200);
});

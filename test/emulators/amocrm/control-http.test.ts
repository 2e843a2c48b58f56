import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetch } from 'undici';
import { startEmulator } from './helpers.js';

test('the /_emulator HTTP control API: accounts, tokens, clock, faults, request log, entities, reset', async (t) => {
  const s = await startEmulator(t);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${s.origin}/_emulator${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & Array<Record<string, unknown>> };
  };
  const created = await call('POST', '/accounts', { subdomain: 'second', name: 'Second' });
  assert.equal(created.body.subdomain, 'second');
  const pair = await call('POST', `/integrations/${s.emu.defaults.clientId}/tokens`, { subdomain: 'second' });
  const token = String(pair.body.access_token);
  const account = await fetch(`${s.origin}/second/api/v4/account`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(((await account.json()) as { subdomain: string }).subdomain, 'second');
  const foreign = await fetch(`${s.base}/api/v4/account`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(foreign.status, 401, 'a token of one account does not open another');

  const lead = await fetch(`${s.origin}/second/api/v4/leads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify([{ name: 'L' }]),
  });
  const id = ((await lead.json()) as { _embedded: { leads: Array<{ id: number }> } })._embedded.leads[0]!.id;
  assert.equal((await call('GET', `/accounts/second/leads/${id}`)).body.name, 'L');

  const before = (await call('GET', '/clock')).body.now as number;
  const after = (await call('POST', '/clock/advance', { seconds: 3600 })).body.now as number;
  assert.ok(after - before >= 3600);

  await call('POST', '/faults', { path: '/api/v4/account', status: 503, times: 1 });
  assert.equal((await fetch(`${s.origin}/second/api/v4/account`, { headers: { authorization: `Bearer ${token}` } })).status, 503);

  const log = await call('GET', '/requests?subdomain=second&method=POST');
  assert.equal((log.body.requests as unknown as Array<{ items: number }>)[0]!.items, 1);

  assert.equal((await call('POST', '/clock/advance', { seconds: 'soon' })).status, 400);
  assert.equal((await call('GET', '/accounts/nope/leads')).status, 400);
  await call('POST', '/reset');
  assert.deepEqual(
    ((await call('GET', '/state')).body.accounts as unknown as Array<{ subdomain: string }>).map((a) => a.subdomain),
    ['testaccount'],
  );
});

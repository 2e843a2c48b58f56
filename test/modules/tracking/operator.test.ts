// Issue #24, tracking operators: a mistaken final status is corrected through the admin API and the CLI (recorded in
// the history with who and why) while the public API stays forward-only; a disabled bot's own key still reads
// /bots/{id} (is_active: false) and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, api, parcel, provision, trackingHub } from './helpers.js';
import { cli } from './import-helpers.js';

test('status corrections: admin API and CLI move past the forward-only rule, with who and why in the history', async (t) => {
  const h = await trackingHub(t);
  const { botId, key } = await provision(h);
  const call = api(h, key);
  const created = (await call('POST', `/tracking/${botId}`, parcel('P-1'))).json();
  assert.equal((await call('PUT', `/tracking/${botId}/${created.id}`, { status: 'issued' })).statusCode, 200);
  const back = await call('PUT', `/tracking/${botId}/${created.id}`, { status: 'delivered' });
  assert.equal(back.statusCode, 409, 'the public API stays forward-only');

  const url = `/tracking/bots/${botId}/numbers/${created.id}/status-correction`;
  const fixed = await admin(h, 'POST', url, { status: 'delivered', reason: 'выдан по ошибке', by: 'anna@ops' });
  assert.equal(fixed.statusCode, 200, fixed.body);
  assert.equal(fixed.json().current_status, 'delivered');
  const last = fixed.json().history.at(-1);
  assert.deepEqual(
    { ...last, changed_at: undefined },
    {
      status: 'delivered',
      from_status: 'issued',
      source: 'admin',
      changed_by: 'anna@ops',
      reason: 'выдан по ошибке',
      changed_at: undefined,
    },
  );
  const seen = (await call('GET', `/tracking/${botId}/${created.id}`)).json();
  assert.equal(seen.history.at(-1).reason, 'выдан по ошибке', 'API clients see why');
  assert.equal(seen.history[0].changed_by, null);
  const overview = (await call('GET', `/statistics/${botId}/overview`)).json();
  assert.deepEqual([overview.issued, overview.delivered], [0, 1], 'the counters follow the correction');

  assert.equal((await admin(h, 'POST', url, { status: 'delivered', reason: 'x', by: 'y' })).statusCode, 409, 'same status');
  assert.equal((await admin(h, 'POST', url, { status: 'pending', by: 'y' })).statusCode, 400, 'a reason is required');
  const other = await admin(h, 'POST', `/tracking/bots/${botId + 1}/numbers/${created.id}/status-correction`, {
    status: 'pending',
    reason: 'x',
    by: 'y',
  });
  assert.equal(other.statusCode, 404, "another bot's number is not found");

  await call('PUT', `/tracking/${botId}/${created.id}`, { status: 'cancelled' });
  const viaCli = await cli(
    h,
    'status',
    'correct',
    String(created.id),
    '--bot',
    String(botId),
    '--to',
    'in_transit',
    '--reason',
    'отмена ошибочна',
    '--by',
    'ops-cli',
  );
  const entry = JSON.parse(viaCli.stdout).history.at(-1);
  assert.deepEqual(
    [entry.from_status, entry.status, entry.changed_by, entry.reason],
    ['cancelled', 'in_transit', 'ops-cli', 'отмена ошибочна'],
  );
  await assert.rejects(
    cli(h, 'status', 'correct', String(created.id), '--bot', String(botId), '--to', 'lost', '--reason', 'x'),
    /--to must be one of/,
  );
});

test("a disabled bot's key reads /bots/{id} (is_active: false) and gets 403 everywhere else", async (t) => {
  const h = await trackingHub(t);
  const { botId, key } = await provision(h);
  const other = await provision(h, { name: 'Другой' });
  assert.equal((await admin(h, 'PATCH', `/tracking/bots/${botId}`, { is_active: false })).statusCode, 200);
  const call = api(h, key);
  const bot = await call('GET', `/bots/${botId}`);
  assert.equal(bot.statusCode, 200, bot.body);
  assert.equal(bot.json().is_active, false);
  for (const [method, url] of [
    ['GET', `/tracking/${botId}`],
    ['GET', `/clients/${botId}`],
    ['GET', `/statistics/${botId}/overview`],
    ['POST', `/tracking/${botId}`],
  ] as const) {
    const res = await call(method, url, method === 'POST' ? parcel('X') : undefined);
    assert.equal(res.statusCode, 403, url);
    assert.match(res.json().detail, /отключён/, url);
  }
  assert.equal((await call('GET', `/bots/${other.botId}`)).statusCode, 403, "another bot's info stays refused");
});

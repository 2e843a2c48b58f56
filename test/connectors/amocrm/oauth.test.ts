import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { disconnectSignature } from '../../../src/emulators/amocrm/index.js';
import { AmoError, createAmoConnector, type AmoConnector } from '../../../src/connectors/amocrm/index.js';
import { amoAccounts } from '../../../src/connectors/amocrm/schema.js';
import { startHub } from '../../../src/app.js';
import { createLogger } from '../../../src/platform/observability/logger.js';
import type { Hub } from '../../../src/platform/hub.js';
import { amoTestBed, connect, consent } from './helpers.js';

const DAY = 86_400;
const row = async (hub: Hub, id: number) => (await hub.db.select().from(amoAccounts).where(eq(amoAccounts.amoAccountId, id)))[0]!;
const rejects = (p: Promise<unknown>, code: string) => assert.rejects(p, (err: unknown) => err instanceof AmoError && err.code === code);

test('full OAuth flow: consent, code exchange at the account domain, tokens encrypted at rest', async (t) => {
  const { emu, h, amo } = await amoTestBed(t);
  const url = new URL(await amo.authorizeUrl('quiz:42', { mode: 'popup' }));
  assert.equal(url.searchParams.get('client_id'), emu.defaults.clientId);
  assert.equal(url.searchParams.get('mode'), 'popup');
  assert.ok((url.searchParams.get('state') ?? '').length >= 32);

  const query = await consent(amo, 'quiz:42');
  assert.equal(query.referer, `${emu.defaults.subdomain}.amocrm.ru`);
  const { owner, account } = await amo.completeAuthorization(query);
  assert.equal(owner, 'quiz:42');
  assert.equal(account.amoAccountId, emu.defaults.accountId);
  assert.equal(account.subdomain, emu.defaults.subdomain);
  assert.equal(account.status, 'active');
  assert.equal(typeof account.amoUserId, 'number');
  assert.deepEqual(await amo.getAccount(account.amoAccountId), account);

  const stored = await row(h.hub, account.amoAccountId);
  assert.ok(stored.accessTokenEnc?.startsWith('v1:') && stored.refreshTokenEnc?.startsWith('v1:'));
  const exchange = emu.control.requests.list({ path: '/oauth2/access_token' });
  assert.equal(exchange.length, 1);
  assert.equal(exchange[0]!.subdomain, emu.defaults.subdomain);
  const logged = JSON.stringify(h.logs);
  assert.ok(!logged.includes(stored.accessTokenEnc!) && !/eyJ[\w-]{20,}\.[\w-]{20,}/.test(logged), 'no token in the logs');

  // The API works with the stored token.
  const info = await amo.api(account.amoAccountId).account();
  assert.equal(info.id, account.amoAccountId);

  // The state was single-use.
  await rejects(amo.completeAuthorization(query), 'INVALID_STATE');
});

test('declined consent, unknown state and foreign referer are refused', async (t) => {
  const { h, amo } = await amoTestBed(t);
  const declined = await consent(amo, 'quiz:7', 'deny');
  assert.equal(declined.error, 'access_denied');
  await assert.rejects(
    amo.completeAuthorization(declined),
    (err: unknown) => err instanceof AmoError && err.code === 'ACCESS_DENIED' && (err.details as { owner: string }).owner === 'quiz:7',
  );
  await rejects(amo.completeAuthorization({ ...declined, error: undefined, code: 'x', referer: 'x.amocrm.ru' }), 'INVALID_STATE');
  await rejects(amo.completeAuthorization({ code: 'abc', referer: 'a.amocrm.ru', state: 'forged' }), 'INVALID_STATE');

  const good = await consent(amo, 'quiz:8');
  await rejects(amo.completeAuthorization({ ...good, referer: 'evil.example.com' }), 'INVALID_CALLBACK');
  const accounts = await h.hub.db.select().from(amoAccounts);
  assert.equal(accounts.length, 0);
});

test('refresh before expiry on the connector clock: one rotation, no 401', async (t) => {
  const { emu, h, amo } = await amoTestBed(t);
  const { account } = await connect(amo);
  let offsetMs = 0;
  const later = createAmoConnector(h.hub, { now: () => Date.now() + offsetMs });
  offsetMs = (DAY - 60) * 1000; // 1 minute before the 24 h expiry: inside the refresh margin
  const info = await later.api(account.amoAccountId).account();
  assert.equal(info.id, account.amoAccountId);
  assert.equal((await row(h.hub, account.amoAccountId)).tokenVersion, 1);
  assert.equal(emu.control.requests.list({ status: 401 }).length, 0);
  assert.equal(emu.control.requests.list({ path: '/oauth2/access_token' }).length, 2);
  // The old connector picks the new token up from the database.
  assert.equal((await amo.api(account.amoAccountId).users()).length > 0, true);
  assert.equal((await row(h.hub, account.amoAccountId)).tokenVersion, 1);
});

test('refresh on a 401 after the emulator clock passed 24 h', async (t) => {
  const { emu, h, amo } = await amoTestBed(t);
  const { account } = await connect(amo);
  emu.control.clock.advance(DAY + 60);
  const pipelines = await amo.api(account.amoAccountId).pipelines();
  assert.ok(pipelines.some((p) => p.is_main && p.statuses.some((s) => s.id === 142)));
  assert.equal((await row(h.hub, account.amoAccountId)).tokenVersion, 1);
  assert.equal(emu.control.requests.list({ status: 401 }).length, 1);
});

test('two processes refreshing the same account at once: exactly one rotation, no failed call', async (t) => {
  const { emu, h, amo } = await amoTestBed(t);
  const { account } = await connect(amo);
  const now = () => Date.now() + DAY * 1000;
  let second: AmoConnector;
  if (h.hub.database.backend === 'postgres') {
    // A second hub process on the same PostgreSQL database (its own pool, queue and connector).
    const other = await startHub(h.config, { role: 'api', log: createLogger({ level: 'silent', pretty: false }) });
    t.after(() => other.close());
    second = createAmoConnector(other.hub, { now });
  } else {
    second = createAmoConnector(h.hub, { now }); // PGlite is one process: two connector instances
  }
  const first = createAmoConnector(h.hub, { now });
  const calls = [first, second, first, second, first, second].map((c) => c.api(account.amoAccountId).account());
  const results = await Promise.all(calls);
  assert.ok(results.every((r) => r.id === account.amoAccountId));
  assert.equal((await row(h.hub, account.amoAccountId)).tokenVersion, 1);
  // One code exchange at connect time, then exactly one refresh.
  assert.equal(emu.control.requests.list({ path: '/oauth2/access_token' }).length, 2);
  assert.equal(emu.control.requests.list({ status: 401 }).length, 0);
  // Both keep working afterwards (neither holds a revoked pair).
  await first.api(account.amoAccountId).users();
  await second.api(account.amoAccountId).users();
  void amo;
});

test('a revoked refresh token marks the account needs_reauth, alerts, and fails calls without retrying', async (t) => {
  const { emu, h, amo } = await amoTestBed(t);
  const { account } = await connect(amo);
  await emu.control.disconnect(); // admin disables the integration: every token is revoked, no hook configured
  await assert.rejects(
    amo.api(account.amoAccountId).account(),
    (err: unknown) => err instanceof AmoError && err.code === 'NEEDS_REAUTH' && err.retryable === false,
  );
  const stored = await row(h.hub, account.amoAccountId);
  assert.equal(stored.status, 'needs_reauth');
  assert.equal(stored.refreshTokenEnc, null);
  assert.equal((await amo.getAccount(account.amoAccountId))?.status, 'needs_reauth');
  const metrics = await h.hub.metrics.registry.metrics();
  assert.match(metrics, /hub_alerts_total\{kind="reauth_needed",partner="amocrm"\} 1/);
  assert.ok(h.logs.some((l) => l.level === 50 && /revoked/.test(String(l.msg))));
  const before = emu.control.requests.list().length;
  await rejects(amo.api(account.amoAccountId).users(), 'NEEDS_REAUTH');
  assert.equal(emu.control.requests.list().length, before, 'no call goes out for an account that needs re-authorisation');
  // Connecting again restores it.
  const again = await connect(amo, 'quiz:1');
  assert.equal(again.account.status, 'active');
  assert.equal((await amo.api(account.amoAccountId).account()).id, account.amoAccountId);
});

test('disconnect hook: a valid signature wipes the tokens, a forged one changes nothing', async (t) => {
  const { emu, h, amo } = await amoTestBed(t);
  const { account } = await connect(amo);
  const { clientId, clientSecret } = emu.defaults;
  const id = account.amoAccountId;
  const forged = [
    { client_uuid: clientId, account_id: String(id), signature: disconnectSignature(clientId, id, 'wrong-secret') },
    { client_uuid: 'someone-else', account_id: String(id), signature: disconnectSignature('someone-else', id, clientSecret) },
    { client_uuid: clientId, account_id: String(id + 1), signature: disconnectSignature(clientId, id, clientSecret) },
    { client_uuid: clientId, account_id: String(id) },
  ];
  for (const q of forged) await rejects(amo.handleDisconnectHook(q), 'INVALID_SIGNATURE');
  assert.equal((await row(h.hub, id)).status, 'active');

  const done = await amo.handleDisconnectHook({
    client_uuid: clientId,
    account_id: String(id),
    signature: disconnectSignature(clientId, id, clientSecret),
  });
  assert.equal(done.amoAccountId, id);
  const stored = await row(h.hub, id);
  assert.equal(stored.status, 'disconnected');
  assert.equal(stored.accessTokenEnc, null);
  await rejects(amo.api(id).account(), 'NOT_CONNECTED');

  // Our own disconnect does the same.
  await connect(amo);
  await amo.disconnect(id);
  assert.equal((await amo.getAccount(id))?.status, 'disconnected');
});

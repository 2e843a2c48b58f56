// Connections belong to the connector: an operator connects an account for any module (admin API and CLI), the
// neutral callback and disconnect hook tell the module that asked, and the refresh job keeps tokens alive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { request } from 'undici';
import { disconnectSignature } from '../../../src/emulators/amocrm/index.js';
import { createAmocrmConnector, type AmoAccount, type AmoConnector } from '../../../src/connectors/amocrm/index.js';
import { registerAmoCli } from '../../../src/connectors/amocrm/cli.js';
import { REFRESH_QUEUE } from '../../../src/connectors/amocrm/refresh.js';
import { onecConnector } from '../../../src/connectors/onec/index.js';
import { defineModule, type ModuleContext } from '../../../src/platform/module.js';
import type { Connectors } from '../../../src/connectors/index.js';
import { eventually, waitForJob } from '../../helpers/hub.js';
import { amoTestBed } from './helpers.js';

const DAY_MS = 86_400_000;

/** A module that only uses amoCRM's API (like 1C sync will): it registers as an owner and records what it hears. */
function apiOnlyModule(heard: { connected: Array<[number, string | undefined]>; disconnected: number[] }) {
  return defineModule({
    name: 'demo-sync',
    prefix: '/demo-sync',
    create({ deps }: ModuleContext<Record<never, never>, Connectors>) {
      deps.amo.registerOwner('demo-sync', {
        connected: async (account: AmoAccount, id) => void heard.connected.push([account.amoAccountId, id]),
        disconnected: async (amoAccountId) => void heard.disconnected.push(amoAccountId),
      });
      return {};
    },
  });
}

/** Opens a consent link like a browser (the emulator decides at once) and follows amoCRM's redirect to the hub. */
async function consentAndReturn(link: string, hubBase: string, subdomain?: string) {
  const url = new URL(link);
  url.searchParams.set('_emulator_decision', 'allow');
  if (subdomain) url.searchParams.set('_emulator_account', subdomain);
  const res = await request(url);
  await res.body.dump();
  assert.equal(res.statusCode, 302);
  const back = new URL(String(res.headers.location));
  // The emulator redirects to the URI saved in the integration; the hub serves the neutral callback.
  return request(`${hubBase}/connect/amocrm/callback${back.search}`);
}

test('an operator connects an account for a module other than quiz: admin API, neutral callback, list, disconnect', async (t) => {
  const heard = { connected: [] as Array<[number, string | undefined]>, disconnected: [] as number[] };
  const { emu, h } = await amoTestBed(t, { modules: [apiOnlyModule(heard)] });
  const base = await h.app.listen({ host: '127.0.0.1', port: 0 });
  const admin = (method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) =>
    h.app.inject({ method, url: `/admin/v1${url}`, headers: h.admin, ...(body ? { payload: body as object } : {}) });

  const refused = await admin('POST', '/amocrm/connect', { owner: 'no-such-module' });
  assert.equal(refused.statusCode, 400);
  assert.equal(refused.json().error.code, 'AMO_INVALID_OWNER');
  assert.equal((await admin('POST', '/amocrm/connect', { owner: 'Bad Owner!' })).statusCode, 400, 'the schema refuses malformed owners');
  assert.equal((await h.app.inject({ method: 'POST', url: '/admin/v1/amocrm/connect', payload: { owner: 'demo-sync' } })).statusCode, 401);

  const linked = await admin('POST', '/amocrm/connect', { owner: 'demo-sync' });
  assert.equal(linked.statusCode, 200);
  assert.equal(linked.json().owner, 'demo-sync');
  const page = await consentAndReturn(linked.json().url, base);
  assert.equal(page.statusCode, 200);
  assert.match(await page.body.text(), /amoCRM подключён/);
  const amoAccountId = emu.control.account().id;
  assert.deepEqual(heard.connected, [[amoAccountId, undefined]], 'the module that asked is told, without an id of its own');

  const listed = await admin('GET', '/amocrm/accounts');
  assert.equal(listed.statusCode, 200);
  const [state] = listed.json().accounts;
  assert.equal(state.amoAccountId, amoAccountId);
  assert.equal(state.status, 'active');
  assert.equal(state.owner, 'demo-sync');
  const refreshDies = Date.parse(state.refreshExpiresAt) - Date.parse(state.tokensRefreshedAt);
  assert.equal(refreshDies, 90 * DAY_MS, 'the refresh token is shown dying 3 months after it was issued');
  assert.ok(Date.parse(state.accessExpiresAt) > Date.now());
  assert.ok(!JSON.stringify(listed.json()).includes('def50200'), 'no token leaves the hub');

  // The module can use the account at once.
  assert.equal((await h.connectors.amo.api(amoAccountId).account()).id, amoAccountId);
  const refreshed = await admin('POST', `/amocrm/accounts/${amoAccountId}/refresh`);
  assert.equal(refreshed.statusCode, 200);
  assert.equal(refreshed.json().tokenVersion, 1);

  assert.equal((await admin('GET', '/amocrm/accounts/999')).statusCode, 404);
  const gone = await admin('DELETE', `/amocrm/accounts/${amoAccountId}`);
  assert.equal(gone.statusCode, 200);
  assert.equal(gone.json().status, 'disconnected');
  assert.deepEqual(heard.disconnected, [amoAccountId]);
  assert.equal((await admin('DELETE', '/amocrm/accounts/999')).statusCode, 404);

  // The OpenAPI document carries the connector's operations.
  const doc = (await h.app.inject({ url: '/openapi.json' })).json();
  assert.ok(doc.paths['/connect/amocrm/callback']?.get?.operationId);
  assert.ok(doc.paths['/admin/v1/amocrm/connect']?.post?.operationId);
});

test('the neutral disconnect hook checks the signature and tells every owner', async (t) => {
  const heard = { connected: [] as Array<[number, string | undefined]>, disconnected: [] as number[] };
  const { emu, h } = await amoTestBed(t, { modules: [apiOnlyModule(heard)] });
  const base = await h.app.listen({ host: '127.0.0.1', port: 0 });
  await consentAndReturn(await h.connectors.amo.authorizeUrl('demo-sync:tenant-7'), base);
  const accountId = emu.control.account().id;
  assert.deepEqual(heard.connected, [[accountId, 'tenant-7']]);
  const clientId = emu.control.integration().clientId;
  const forged = await h.app.inject({
    url: `/connect/amocrm/disconnect?client_uuid=${clientId}&account_id=${accountId}&signature=${'0'.repeat(64)}`,
  });
  assert.equal(forged.statusCode, 401);
  assert.equal(forged.json().error.code, 'AMO_BAD_SIGNATURE');
  assert.deepEqual(heard.disconnected, []);
  const signature = disconnectSignature(clientId, accountId, emu.control.integration().clientSecret);
  const ok = await h.app.inject({
    url: `/connect/amocrm/disconnect?client_uuid=${clientId}&account_id=${accountId}&signature=${signature}`,
  });
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(ok.json(), { disconnected: accountId });
  assert.deepEqual(heard.disconnected, [accountId]);
  assert.equal((await h.connectors.amo.getAccount(accountId))?.status, 'disconnected');
});

test('hub amocrm connect | accounts | refresh | disconnect work on the same connector', async (t) => {
  const heard = { connected: [] as Array<[number, string | undefined]>, disconnected: [] as number[] };
  const { emu, h } = await amoTestBed(t, { modules: [apiOnlyModule(heard)] });
  const base = await h.app.listen({ host: '127.0.0.1', port: 0 });
  let out = '';
  let exitCode = 0;
  const run = async (...args: string[]) => {
    out = '';
    const program = new Command('hub').exitOverride();
    registerAmoCli(program, (fn) => fn(h.hub, { api: async <A>() => h.connectors.amo as A }), {
      out: (text) => void (out += text),
      err: () => undefined,
      setExitCode: (c) => void (exitCode = c),
    });
    await program.parseAsync(['node', 'hub', 'amocrm', ...args]);
    return out;
  };
  await assert.rejects(run('connect', '--for', 'nobody'), /not a module that uses amoCRM/);
  const link = (await run('connect', '--for', 'demo-sync')).trim();
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/oauth\?/);
  assert.equal((await consentAndReturn(link, base)).statusCode, 200);
  const id = emu.control.account().id;
  assert.deepEqual(heard.connected, [[id, undefined]]);
  assert.match(await run('accounts'), new RegExp(`^${id}\\t\\S+\\tactive\\tdemo-sync\\t`, 'm'));
  assert.equal(JSON.parse(await run('accounts', '--json'))[0].amoAccountId, id);
  assert.match(await run('refresh', String(id)), /\tactive\t/);
  assert.match(await run('refresh', '--stale'), /checked 0, refreshed 0/);
  assert.equal(exitCode, 0);
  assert.match(await run('disconnect', String(id)), /disconnected/);
  assert.deepEqual(heard.disconnected, [id]);
  await run('disconnect', '424242');
  assert.equal(exitCode, 1, 'an unknown account is an error');
});

test('the refresh job renews tokens before amoCRM’s 3-month limit and marks refused accounts for re-consent', async (t) => {
  let offsetMs = 0;
  const heard = { connected: [] as Array<[number, string | undefined]>, disconnected: [] as number[] };
  const { emu, h } = await amoTestBed(t, {
    modules: [apiOnlyModule(heard)],
    connectors: [createAmocrmConnector({ now: () => Date.now() + offsetMs }), onecConnector],
  });
  const amo: AmoConnector = h.connectors.amo;
  emu.control.addAccount({ subdomain: 'second' });
  const connectOne = async (subdomain?: string) => {
    const url = new URL(await amo.authorizeUrl('demo-sync'));
    url.searchParams.set('_emulator_decision', 'allow');
    if (subdomain) url.searchParams.set('_emulator_account', subdomain);
    const res = await request(url);
    await res.body.dump();
    return (await amo.completeAuthorization(Object.fromEntries(new URL(String(res.headers.location)).searchParams))).account;
  };
  const first = await connectOne();
  const second = await connectOne('second');
  const runJob = async () => {
    const id = await h.hub.jobs.send(REFRESH_QUEUE, {});
    return waitForJob(h, (e) => e.id === id);
  };

  // Fresh tokens: nothing to do, nothing sent.
  const tokenCalls = () => emu.control.requests.list({ path: '/oauth2/access_token' }).length;
  const callsBefore = tokenCalls();
  assert.deepEqual((await runJob()).output, { checked: 0, refreshed: 0, needsReauth: 0, failed: 0 });
  assert.equal(tokenCalls(), callsBefore);

  // Eight days on; the second account's admin switched the integration off meanwhile (no hook reached us).
  offsetMs = 8 * DAY_MS;
  emu.control.clock.advance(8 * 86_400);
  await emu.control.disconnect('second');
  const done = await runJob();
  assert.equal(done.state, 'completed');
  assert.deepEqual(done.output, { checked: 2, refreshed: 1, needsReauth: 1, failed: 0 });
  const a = (await amo.accountState(first.amoAccountId))!;
  assert.equal(a.tokenVersion, 1);
  assert.equal(a.tokensRefreshedAt?.getTime() && Math.round((a.tokensRefreshedAt.getTime() - Date.now()) / DAY_MS), 8);
  assert.equal((await amo.accountState(second.amoAccountId))!.status, 'needs_reauth');
  const listed = await h.app.inject({ url: '/admin/v1/amocrm/accounts', headers: h.admin });
  assert.deepEqual(
    listed.json().accounts.map((x: { status: string }) => x.status),
    ['active', 'needs_reauth'],
  );

  // 93 days after connecting, past the 3 months a never-used refresh token lives: the renewed one still works.
  offsetMs = 93 * DAY_MS;
  emu.control.clock.advance(85 * 86_400);
  assert.deepEqual((await runJob()).output, { checked: 1, refreshed: 1, needsReauth: 0, failed: 0 });
  assert.equal((await amo.api(first.amoAccountId).account()).id, first.amoAccountId);
});

test('worker processes schedule the refresh check at start-up', async (t) => {
  const { h } = await amoTestBed(t);
  // The check was enqueued while the hub started (before a listener could attach): read the job history.
  const job = await eventually(async () => {
    const res = await h.app.inject({ url: `/admin/v1/jobs?queue=${REFRESH_QUEUE.name}&state=completed`, headers: h.admin });
    return res.json().items?.[0] as { output: unknown } | undefined;
  }, 30_000);
  assert.deepEqual(job.output, { checked: 0, refreshed: 0, needsReauth: 0, failed: 0 });
});

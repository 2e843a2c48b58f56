// Shared set-up of the 1C sync tests: a hub running only this module next to both emulators (amoCRM, where the
// account is connected for onec-sync before its secret exists, and 1C, where the base lives), an account with its
// secret, and calls with HTTP Basic.
import type { TestContext } from 'node:test';
import { createServer } from 'node:net';
import { Command } from 'commander';
import { testHub, type TestHub } from '../../helpers/hub.js';
import { createOnecSyncModule, type OnecSyncOptions } from '../../../src/modules/onec-sync/index.js';
import { onecCli } from '../../../src/modules/onec-sync/cli.js';
import { partsView, type CliIo } from '../../../src/platform/module.js';
import { createAmoEmulator, type AmoEmulator } from '../../../src/emulators/amocrm/index.js';
import { createOnecEmulator, type OnecEmulator } from '../../../src/emulators/onec/index.js';
import { connect, REDIRECT_URI } from '../../connectors/amocrm/helpers.js';

export const KEY = 29847561;
export const OTHER_KEY = 31000001;
export const PUBLISHER = { user: 'publisher', password: 'publisher-password-0123456789' };

export interface OnecTestHub extends TestHub {
  readonly amoEmu: AmoEmulator;
  readonly onecEmu: OnecEmulator;
  /** BASE pointing at the 1C emulator (whose base buh-main takes BASE's login and password). */
  readonly base: typeof BASE;
  /** `host:port` of each emulator, as OUTBOUND_ALLOW_HOSTS lets them in. */
  readonly allow: { readonly amo: string; readonly onec: string };
  /** The hub's origin when it listens (`listen: true`): where amoCRM delivers webhooks. */
  readonly origin?: string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * The hub with both emulators on loopback. OUTBOUND_ALLOW_HOSTS lets exactly the two emulators' host:port in, so
 * every other loopback address stays refused (the SSRF tests). `listen`: the hub takes a real port and PUBLIC_URL
 * points at it, so the amoCRM emulator's webhooks reach it.
 */
export async function onecHub(
  t: TestContext,
  opts: { env?: Record<string, string>; listen?: boolean } & OnecSyncOptions = {},
): Promise<OnecTestHub> {
  const { env, listen, ...options } = opts;
  const amoEmu = createAmoEmulator({ redirectUri: REDIRECT_URI, rateLimit: { enabled: false }, webhooks: { retryDelaysMs: [200, 500] } });
  const onecEmu = createOnecEmulator({ bases: [{ idBase: 'buh-main', publication: 'buh', login: BASE.param1, password: BASE.param2 }] });
  const allow = { amo: new URL(await amoEmu.listen()).host, onec: new URL(await onecEmu.listen()).host };
  const port = listen ? await freePort() : undefined;
  const h = await testHub(t, {
    modules: [createOnecSyncModule({ retryDelaySeconds: 1, ...options })],
    env: {
      ONEC_SYNC_PUBLISHER_USER: PUBLISHER.user,
      ONEC_SYNC_PUBLISHER_PASSWORD: PUBLISHER.password,
      ...amoEmu.hubSettings(),
      OUTBOUND_ALLOW_HOSTS: `${allow.amo},${allow.onec}`,
      ...(port ? { PUBLIC_URL: `http://127.0.0.1:${port}` } : {}),
      ...env,
    },
  });
  // Registered after the hub: node:test runs `after` hooks in order, so the hub closes first.
  t.after(() => amoEmu.close());
  t.after(() => onecEmu.close());
  const origin = port ? await h.app.listen({ port, host: '127.0.0.1' }) : undefined;
  const web = onecEmu.webAddress('buh');
  const base = { ...BASE, web_address: web, url_address: web.replace(/\/hs\/amo$/, '') };
  return Object.assign(h, { amoEmu, onecEmu, base, allow, ...(origin ? { origin } : {}) });
}

/** Connects the amoCRM account `key` for onec-sync (created in the emulator when missing), as an operator would. */
export async function connectAccount(h: OnecTestHub, key: number = KEY): Promise<void> {
  const subdomain =
    h.amoEmu.control.accounts().find((a) => a.id === key)?.subdomain ??
    h.amoEmu.control.addAccount({ subdomain: `acc${key}`, id: key }).subdomain;
  await connect(h.connectors.amo, 'onec-sync', subdomain);
}

export const basic = (user: string | number, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export async function admin(h: TestHub, method: 'GET' | 'POST', url: string, body?: unknown) {
  return h.app.inject({
    method,
    url: `/admin/v1${url}`,
    headers: { ...h.admin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}

/** Connects the account and creates its secret through the admin API. */
export async function secretOf(h: OnecTestHub, key: number = KEY): Promise<string> {
  await connectAccount(h, key);
  const res = await admin(h, 'POST', `/onec/accounts/${key}/secret`);
  if (res.statusCode !== 201) throw new Error(`secret create: ${res.statusCode} ${res.body}`);
  return res.json().secret as string;
}

/** A caller of /onec with the given Authorization header (none when undefined). */
export function onec(h: TestHub, authorization: string | undefined) {
  return (method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) =>
    h.app.inject({
      method,
      url: `/onec${url}`,
      headers: {
        ...(authorization ? { authorization } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
}

/** An account with its secret and a caller authenticated as it. */
export async function account(h: OnecTestHub, key: number = KEY) {
  const secret = await secretOf(h, key);
  return { key, secret, call: onec(h, basic(key, secret)) };
}

export const BASE = {
  key: KEY,
  id_base: 'buh-main',
  web_address: 'https://203.0.113.10/buh/hs/amo',
  url_address: 'https://203.0.113.10/buh',
  param1: 'amo',
  param2: 'пароль-1С-secret-777',
};

/** Runs `hub …` against the test hub; what it wrote and its exit status. */
export async function cli(h: TestHub, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let exitCode = 0;
  const io: CliIo = { out: (s) => void out.push(s), err: (s) => void err.push(s), setExitCode: (c) => void (exitCode = c) };
  const program = new Command('hub').exitOverride();
  onecCli(
    program,
    (fn) =>
      fn(
        h.hub,
        partsView(() => h.apis),
      ),
    io,
  );
  await program.parseAsync(['node', 'hub', ...args]);
  return { out: out.join(''), err: err.join(''), exitCode };
}

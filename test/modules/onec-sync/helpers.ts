// Shared set-up of the 1C sync tests: a hub running only this module, an account with its secret, and calls
// with HTTP Basic.
import type { TestContext } from 'node:test';
import { Command } from 'commander';
import { testHub, type TestHub } from '../../helpers/hub.js';
import { createOnecSyncModule, type OnecSyncOptions } from '../../../src/modules/onec-sync/index.js';
import { onecCli } from '../../../src/modules/onec-sync/cli.js';
import { partsView, type CliIo } from '../../../src/platform/module.js';

export const KEY = 29847561;
export const OTHER_KEY = 31000001;
export const PUBLISHER = { user: 'publisher', password: 'publisher-password-0123456789' };

export function onecHub(t: TestContext, opts: { env?: Record<string, string> } & OnecSyncOptions = {}): Promise<TestHub> {
  const { env, ...options } = opts;
  return testHub(t, {
    modules: [createOnecSyncModule(options)],
    env: { ONEC_SYNC_PUBLISHER_USER: PUBLISHER.user, ONEC_SYNC_PUBLISHER_PASSWORD: PUBLISHER.password, ...env },
  });
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

/** Creates the account's secret through the admin API. */
export async function secretOf(h: TestHub, key: number = KEY): Promise<string> {
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
export async function account(h: TestHub, key: number = KEY) {
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

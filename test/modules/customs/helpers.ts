// Shared set-up of the customs tests: a hub running only this module next to the amoCRM emulator, where the account
// is connected for customs; source tokens of that account, ПТД export calls, the CLI.
import type { TestContext } from 'node:test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { testHub, type TestHub } from '../../helpers/hub.js';
import { createCustomsModule } from '../../../src/modules/customs/index.js';
import { customsCli } from '../../../src/modules/customs/cli.js';
import { defaultAlbumDir } from '../../../src/modules/customs/xsd.js';
import { partsView, type CliIo } from '../../../src/platform/module.js';
import { createAmoEmulator, type AmoEmulator } from '../../../src/emulators/amocrm/index.js';
import { connect, REDIRECT_URI } from '../../connectors/amocrm/helpers.js';

/** The amoCRM account the tests' customs business works in, and a second one (tenant isolation). */
export const ACCOUNT = 29847561;
export const OTHER_ACCOUNT = 31000001;

export interface CustomsTestHub extends TestHub {
  readonly amoEmu: AmoEmulator;
  readonly accountId: number;
}

export async function customsHub(t: TestContext, env: Record<string, string> = {}): Promise<CustomsTestHub> {
  const amoEmu = createAmoEmulator({ redirectUri: REDIRECT_URI, rateLimit: { enabled: false } });
  const origin = await amoEmu.listen();
  const h = await testHub(t, {
    modules: [createCustomsModule({ retryDelaySeconds: 1 })],
    env: { ...amoEmu.hubSettings(), OUTBOUND_ALLOW_HOSTS: new URL(origin).host, ...env },
  });
  // Registered after the hub: node:test runs `after` hooks in order, so the hub closes first.
  t.after(() => amoEmu.close());
  const hub = Object.assign(h, { amoEmu, accountId: ACCOUNT });
  await connectAccount(hub, ACCOUNT);
  return hub;
}

/** Connects an amoCRM account for customs (created in the emulator when missing), as an operator would. */
export async function connectAccount(h: CustomsTestHub, id: number): Promise<void> {
  const subdomain =
    h.amoEmu.control.accounts().find((a) => a.id === id)?.subdomain ?? h.amoEmu.control.addAccount({ subdomain: `acc${id}`, id }).subdomain;
  await connect(h.connectors.amo, 'customs', subdomain);
}

export async function admin(h: TestHub, method: 'GET' | 'POST' | 'DELETE' | 'PUT', url: string, payload?: unknown) {
  return h.app.inject({
    method,
    url: `/admin/v1${url}`,
    headers: h.admin,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

/** Creates a source's token of the account (the test account by default) through the admin API. */
export async function tokenOf(h: TestHub, source: string, account: number = ACCOUNT): Promise<string> {
  const res = await admin(h, 'POST', `/customs/accounts/${account}/tokens/${source}`);
  if (res.statusCode !== 201) throw new Error(`token create: ${res.statusCode} ${res.body}`);
  return res.json().token as string;
}

/** POST /alta/ptd/export with the given headers (a token in X-Hub-Token when `token` is a string). */
export function exportPtd(h: TestHub, body: unknown, auth: { token?: string; headers?: Record<string, string>; query?: string } = {}) {
  return h.app.inject({
    method: 'POST',
    url: `/alta/ptd/export${auth.query ?? ''}`,
    headers: { 'content-type': 'application/json', ...(auth.token ? { 'x-hub-token': auth.token } : {}), ...auth.headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Runs `hub customs …` against the test hub; what it wrote and its exit status. */
export async function cli(h: TestHub, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let exitCode = 0;
  const io: CliIo = { out: (s) => void out.push(s), err: (s) => void err.push(s), setExitCode: (c) => void (exitCode = c) };
  const program = new Command('hub').exitOverride();
  customsCli(
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

export const ALBUM = join(defaultAlbumDir(), '5.23.0', 'PassengerDeclaration.xsd');
export const HAVE_XMLLINT = spawnSync('xmllint', ['--version']).status === 0;

/** The system xmllint's verdict on a document (an independent libxml2 build): null when valid, its output otherwise. */
export function xmllint(xml: string): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'ptd-'));
  try {
    const file = join(dir, 'ptd.xml');
    writeFileSync(file, xml);
    const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', ALBUM, file], { encoding: 'utf8' });
    return r.status === 0 ? null : `${r.stdout}${r.stderr}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

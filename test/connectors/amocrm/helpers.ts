// Shared set-up for the amoCRM connector tests: an in-process emulator on a real port and a hub pointed at it.
import type { TestContext } from 'node:test';
import { request } from 'undici';
import { createAmoEmulator, type AmoEmulator } from '../../../src/emulators/amocrm/index.js';
import type { AmoEmulatorOptions } from '../../../src/emulators/amocrm/index.js';
import type { AmoConnector } from '../../../src/connectors/amocrm/index.js';
import type { AnyModule } from '../../../src/platform/module.js';
import { testHub, type TestHub } from '../../helpers/hub.js';

export const REDIRECT_URI = 'http://127.0.0.1/quiz/webhook/create';

export interface AmoTestBed {
  readonly emu: AmoEmulator;
  readonly origin: string;
  readonly h: TestHub;
  readonly amo: AmoConnector;
}

export async function amoTestBed(
  t: TestContext,
  opts: {
    emulator?: AmoEmulatorOptions;
    env?: Record<string, string>;
    modules?: readonly AnyModule[];
    connectors?: readonly AnyModule[];
  } = {},
): Promise<AmoTestBed> {
  const emu = createAmoEmulator({ redirectUri: REDIRECT_URI, ...opts.emulator });
  const origin = await emu.listen();
  const h = await testHub(t, {
    env: {
      ...emu.hubSettings(),
      ...opts.env,
    },
    ...(opts.modules ? { modules: opts.modules } : {}),
    ...(opts.connectors ? { connectors: opts.connectors } : {}),
  });
  // Registered after the hub: node:test runs `after` hooks in order, so the hub closes first.
  t.after(() => emu.close());
  return { emu, origin, h, amo: h.connectors.amo };
}

/** Follows the consent page like a browser would (the emulator decides without a human) and returns the redirect query. */
export async function consent(
  amo: AmoConnector,
  owner: string,
  decision: 'allow' | 'deny' = 'allow',
  subdomain?: string,
): Promise<Record<string, string>> {
  const url = new URL(await amo.authorizeUrl(owner));
  url.searchParams.set('_emulator_decision', decision);
  if (subdomain) url.searchParams.set('_emulator_account', subdomain);
  const res = await request(url);
  await res.body.dump();
  if (res.statusCode !== 302) throw new Error(`consent page answered ${res.statusCode}`);
  const location = new URL(String(res.headers.location));
  return Object.fromEntries(location.searchParams);
}

export async function connect(amo: AmoConnector, owner = 'test:1', subdomain?: string) {
  return amo.completeAuthorization(await consent(amo, owner, 'allow', subdomain));
}

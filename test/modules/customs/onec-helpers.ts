// Set-up of the customs module's 1C tests: a hub running the customs module beside an in-process 1C emulator on
// loopback (ONEC_ALLOW_PRIVATE_TARGETS on, as for any emulator), and the account's base set through the admin API.
import type { TestContext } from 'node:test';
import { createOnecEmulator, type OnecEmulator } from '../../../src/emulators/onec/index.js';
import type { OnecSide } from '../../../src/modules/customs/onec-side.js';
import type { OnecBaseService } from '../../../src/modules/customs/onec-bases.js';
import { ACCOUNT, customsHub, type CustomsTestHub } from './helpers.js';

export { ACCOUNT };
/** Distinctive, so a leak into a response or a log line is found by a plain search. */
export const PASSWORD = 'Пароль-1С-zq8v-секрет';
export const BASE = { idBase: 'buh-main', publication: 'buh', login: 'Администратор', password: PASSWORD };

export interface OnecCustomsHub extends CustomsTestHub {
  readonly emu: OnecEmulator;
  readonly webAddress: string;
  readonly onec: OnecSide;
  readonly onecBases: OnecBaseService;
}

export async function onecCustomsHub(t: TestContext, env: Record<string, string> = {}): Promise<OnecCustomsHub> {
  const emu = createOnecEmulator({ bases: [BASE] });
  await emu.listen();
  const h = await customsHub(t, { ...emu.hubSettings(), ONEC_TIMEOUT_MS: '3000', ...env });
  // Registered after the hub: node:test runs `after` hooks in order, so the hub closes first.
  t.after(() => emu.close());
  const api = h.apis.get('customs') as { onec: OnecSide; onecBases: OnecBaseService };
  return Object.assign(h, { emu, webAddress: emu.webAddress('buh'), onec: api.onec, onecBases: api.onecBases });
}

export function putBase(h: OnecCustomsHub, body: Record<string, unknown> = {}, account: number = ACCOUNT) {
  return h.app.inject({
    method: 'PUT',
    url: `/admin/v1/customs/accounts/${account}/onec`,
    headers: { ...h.admin, 'content-type': 'application/json' },
    payload: JSON.stringify({ id_base: BASE.idBase, web_address: h.webAddress, login: BASE.login, password: PASSWORD, ...body }),
  });
}

/** Sets the account's base (fails the test when refused). */
export async function withBase(h: OnecCustomsHub, account: number = ACCOUNT): Promise<void> {
  const res = await putBase(h, {}, account);
  if (res.statusCode !== 200) throw new Error(`base set: ${res.statusCode} ${res.body}`);
}

/** Runs `fn` and returns what it threw (fails when it did not throw). */
export async function failure<T = Error & { code?: string; retryable?: boolean; details?: unknown }>(
  fn: () => Promise<unknown>,
): Promise<T> {
  try {
    await fn();
  } catch (err) {
    return err as T;
  }
  throw new Error('expected a failure');
}

// Set-up of the customs module's 1C tests: a hub running the customs module beside an in-process 1C emulator on
// loopback (ONEC_ALLOW_PRIVATE_TARGETS on, as for any emulator), and the account's base set through the admin API.
import type { TestContext } from 'node:test';
import { createOnecEmulator, type OnecEmulator } from '../../../src/emulators/onec/index.js';
import type { OnecSide } from '../../../src/modules/customs/onec-side.js';
import type { OnecBaseService } from '../../../src/modules/customs/onec-bases.js';
import { eventually } from '../../helpers/hub.js';
import { ACCOUNT, admin, customsHub, type CustomsTestHub } from './helpers.js';

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
  // A 1C action retried after 1C was down waits a second, not the default 30.
  const h = await customsHub(t, { ...emu.hubSettings(), ONEC_TIMEOUT_MS: '3000', CUSTOMS_ONEC_RETRY_SECONDS: '1', ...env });
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

/** POST to a /1c endpoint with a token in X-Hub-Token (none when undefined). */
export function post1c(h: OnecCustomsHub, path: string, body: unknown, token?: string) {
  return h.app.inject({
    method: 'POST',
    url: `/1c${path}`,
    headers: { 'content-type': 'application/json', ...(token ? { 'x-hub-token': token } : {}) },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Waits until `n` stored requests of `source` are processed (a bound, not a sleep). */
export const processed = (h: OnecCustomsHub, source: string, n: number) =>
  eventually(async () => {
    const [row] = await h.hub.database.query<{ n: number }>(
      'select count(*)::int as n from inbox_messages where source = $1 and status = $2',
      [source, 'processed'],
    );
    return row!.n >= n ? row!.n : undefined;
  });

/** A lead in the account (amoCRM emulator), in its main pipeline, and the pipeline's stages. */
export async function leadOf(h: OnecCustomsHub): Promise<{ leadId: number; pipelineId: number; stages: number[] }> {
  const api = h.connectors.amo.api(ACCOUNT);
  const [lead] = await api.leads.create([{ name: 'Toyota Corolla 2021, Иванов' }]);
  const info = h.amoEmu.control.accounts().find((a) => a.id === ACCOUNT)!;
  const main = info.pipelines.find((p) => p.is_main)!;
  return { leadId: lead!.id, pipelineId: main.id, stages: main.statuses.filter((s) => s.type === 0).map((s) => s.id) };
}

/** A lead custom field of the account, by name (created in the emulator). */
export function leadField(h: OnecCustomsHub, name: string, type: 'text' | 'numeric' | 'url' = 'text'): number {
  const subdomain = h.amoEmu.control.accounts().find((a) => a.id === ACCOUNT)!.subdomain;
  return h.amoEmu.control.addCustomField('leads', { name, type }, subdomain);
}

/** Sets the account's mapping of a kind's code through the operator API. */
export async function mapping(h: OnecCustomsHub, kind: string, code: string, body: object): Promise<void> {
  const res = await admin(h, 'PUT', `/customs/accounts/${ACCOUNT}/mappings/${kind}/${code}`, body);
  if (res.statusCode !== 200) throw new Error(`mapping: ${res.statusCode} ${res.body}`);
}

/** The values of a lead's custom field, as the emulator holds them. */
export function fieldValue(h: OnecCustomsHub, leadId: number, fieldId: number): unknown {
  const subdomain = h.amoEmu.control.accounts().find((a) => a.id === ACCOUNT)!.subdomain;
  const lead = h.amoEmu.control.entities.get('leads', leadId, subdomain)!;
  const cf = (lead.custom_fields_values as Array<{ field_id: number; values: Array<{ value: unknown }> }> | null) ?? [];
  return cf.find((f) => f.field_id === fieldId)?.values[0]?.value;
}

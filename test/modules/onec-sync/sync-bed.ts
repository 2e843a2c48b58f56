// The 1C → amoCRM sync against both in-process emulators on real ports: the amoCRM emulator's account connected
// for onec-sync, its integration secret, the 1C emulator's base registered, field mappings onto fields added to
// the amoCRM emulator.
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { AmoEmulator } from '../../../src/emulators/amocrm/index.js';
import type { BaseOptions } from '../../../src/modules/onec-sync/options.js';
import { connect } from '../../connectors/amocrm/helpers.js';
import { basic, onec, onecHub, type OnecTestHub } from './helpers.js';

export interface SyncBed {
  readonly emu: AmoEmulator;
  readonly h: OnecTestHub;
  readonly key: number;
  readonly idBase: string;
  /** POST /onec/sync/<path> as the account's 1C. */
  post(
    path: string,
    body: Record<string, unknown>,
  ): Promise<{ status: number; body: { success: boolean; data: unknown; error: string | null } }>;
  /** The emulator's custom fields added for the mapping. */
  readonly fields: {
    contactId1c: number;
    contactLink: number;
    companyId1c: number;
    companyInn: number;
    leadId1c: number;
    leadOrder: number;
    leadSum: number;
    leadCount: number;
  };
  setOptions(options: BaseOptions): Promise<void>;
  /** amoCRM requests the hub made with this method and path (from the emulator's log). */
  amoRequests(method: string, path: string): number;
}

export async function syncBed(t: TestContext, opts: { env?: Record<string, string> } = {}): Promise<SyncBed> {
  const h = await onecHub(t, opts.env ? { env: opts.env } : {});
  const emu = h.amoEmu;
  // The emulator's seeded account, connected for onec-sync as an operator would.
  const { account } = await connect(h.connectors.amo, 'onec-sync');
  const key = account.amoAccountId;
  const secretRes = await h.app.inject({ method: 'POST', url: `/admin/v1/onec/accounts/${key}/secret`, headers: h.admin });
  assert.equal(secretRes.statusCode, 201, secretRes.body);
  const call = onec(h, basic(key, secretRes.json().secret as string));
  const idBase = 'buh-main';
  const saved = await call('POST', '/sync/base', { ...h.base, key, id_base: idBase });
  assert.equal(saved.statusCode, 200, saved.body);

  const add = (entity: 'contacts' | 'companies' | 'leads', name: string, type: 'text' | 'numeric' | 'url' = 'text') =>
    emu.control.addCustomField(entity, { name, type });
  const fields = {
    contactId1c: add('contacts', 'id 1С'),
    contactLink: add('contacts', 'Ссылка 1С', 'url'),
    companyId1c: add('companies', 'id 1С'),
    companyInn: add('companies', 'ИНН'),
    leadId1c: add('leads', 'id 1С'),
    leadOrder: add('leads', 'Номер заказа'),
    leadSum: add('leads', 'Оплачено', 'numeric'),
    leadCount: add('leads', 'Количество мест', 'numeric'),
  };
  const map = async (path: string, mapping: Record<string, number | string>) => {
    const res = await call('POST', `/sync/${path}`, { key, id_base: idBase, ...mapping });
    assert.equal(res.statusCode, 200, res.body);
  };
  await map('clients_contacts_save_fields', { id_1c: fields.contactId1c, link: fields.contactLink });
  await map('clients_companies_save_fields', { id_1c: fields.companyId1c, inn: fields.companyInn });
  await map('leads_save_fields', { id_1c: fields.leadId1c, order_number: fields.leadOrder, p_places: fields.leadCount });

  return {
    emu,
    h,
    key,
    idBase,
    fields,
    async post(path, body) {
      const res = await call('POST', `/sync/${path}`, { key, id_base: idBase, ...body });
      return { status: res.statusCode, body: res.json() };
    },
    async setOptions(options) {
      await h.hub.database.query('update onec_sync_bases set options = $3::jsonb where account_key = $1 and id_base = $2', [
        String(key),
        idBase,
        JSON.stringify(options),
      ]);
    },
    amoRequests: (method, path) => emu.control.requests.list({ method, path }).filter((r) => r.path.split('?')[0]!.endsWith(path)).length,
  };
}

/** A custom field's values of an emulator entity. */
export function fieldValues(entity: Record<string, unknown> | undefined, fieldId: number): unknown[] {
  const cfv = (entity?.custom_fields_values ?? []) as Array<{ field_id: number; values: Array<{ value: unknown }> }>;
  return cfv.find((f) => f.field_id === fieldId)?.values.map((v) => v.value) ?? [];
}

export function fieldByCode(entity: Record<string, unknown> | undefined, code: string): unknown[] {
  const cfv = (entity?.custom_fields_values ?? []) as Array<{ field_code: string | null; values: Array<{ value: unknown }> }>;
  return cfv.find((f) => f.field_code === code)?.values.map((v) => v.value) ?? [];
}

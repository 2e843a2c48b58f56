// The amoCRM → 1C set-up: a listening hub (amoCRM's webhooks reach it), the account connected for onec-sync with
// its secret, the base saved by 1C (checked in the 1C emulator) and a contact table mapping id_1c and link to two
// text fields and p_position to «Должность»; the account's webhook subscribed.
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../helpers/hub.js';
import { account, KEY, onecHub, type OnecTestHub } from './helpers.js';
import type { OnecSyncOptions } from '../../../src/modules/onec-sync/index.js';

export const SUB = `acc${KEY}`;

export interface OutboundBed {
  readonly h: OnecTestHub;
  readonly call: Awaited<ReturnType<typeof account>>['call'];
  /** Custom field ids of the account: where 1C's id and link are written back, and a mapped p_ field. */
  readonly f: { contactId1c: number; contactLink: number; position: number; leadId1c: number; leadLink: number; inn: number };
}

export async function outboundBed(t: TestContext, opts: OnecSyncOptions = {}): Promise<OutboundBed> {
  const h = await onecHub(t, { listen: true, ...opts });
  const { call } = await account(h);
  const c = h.amoEmu.control;
  const field = (entity: 'contacts' | 'leads' | 'companies', name: string) => c.addCustomField(entity, { name, type: 'text' }, SUB);
  const f = {
    contactId1c: field('contacts', 'id 1С'),
    contactLink: field('contacts', 'Ссылка 1С'),
    position: c.account(SUB).customFields.contacts.find((x) => x.name === 'Должность')!.id,
    leadId1c: field('leads', 'id заказа 1С'),
    leadLink: field('leads', 'Ссылка на заказ 1С'),
    inn: field('companies', 'ИНН'),
  };
  assert.equal((await call('POST', '/sync/base', h.base)).statusCode, 200);
  const ids = { key: KEY, id_base: 'buh-main' };
  for (const [path, map] of [
    ['/sync/clients_contacts_save_fields', { id_1c: f.contactId1c, link: f.contactLink, p_position: f.position }],
    ['/sync/clients_companies_save_fields', { inn: f.inn }],
    ['/sync/leads_save_fields', { id_1c: f.leadId1c, link: f.leadLink, p_budget: 'price' }],
  ] as const)
    assert.equal((await call('POST', path, { ...ids, ...map })).statusCode, 200, path);
  await eventually(async () => c.webhooks.list(SUB).length === 1);
  return { h, call, f };
}

/** The amoCRM API of the account, as a user of amoCRM changes things (through the hub's connector: same tokens). */
export const amoApi = (h: OnecTestHub) => h.connectors.amo.api(KEY);

/** Every webhook delivered and every stored one processed: the hub has seen all there is to see. */
export async function quiet(h: OnecTestHub): Promise<void> {
  await h.amoEmu.control.webhooks.settled();
  await eventually(async () => {
    const rows = await h.hub.database.query<{ n: number }>(
      "select count(*)::int as n from inbox_messages where source = 'onec-sync.amo' and status <> 'processed'",
    );
    return Number(rows[0]?.n) === 0;
  });
  await eventually(async () => {
    const rows = await h.hub.database.query<{ n: number }>(
      "select count(*)::int as n from pgboss.job where name like 'onec-sync.%' and state in ('created', 'retry', 'active')",
    );
    return Number(rows[0]?.n) === 0;
  });
}

/** A custom field's first value on an entity, as amoCRM now holds it. */
export function valueIn(
  e: { custom_fields_values: ReadonlyArray<{ field_id: number; values: ReadonlyArray<{ value: unknown }> }> | null } | undefined,
  id: number,
) {
  return e?.custom_fields_values?.find((v) => v.field_id === id)?.values[0]?.value;
}

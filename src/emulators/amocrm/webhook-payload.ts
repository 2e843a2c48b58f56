// The body of an account webhook, as amoCRM sends it: PHP-style form keys (`leads[status][0][id]=…`), legacy v2
// field names (date_create, last_modified, created_user_id…), every value a string, plus the `account[…]` block.
import qs from 'qs';
import type { AccountState } from './store.js';
import type { Entity, EntityType, Note } from './types.js';

export type WebhookAction = 'add' | 'update' | 'delete' | 'restore' | 'status' | 'responsible' | 'note';

export interface WebhookEvent {
  type: EntityType;
  action: WebhookAction;
  entity: Entity;
  /** The entity before the change (status / responsible events). */
  old?: Entity;
  note?: Note;
}

/** Webhook setting that subscribes to an event, e.g. `status_lead`, `add_contact`, `note_company`. */
export function settingFor(event: Pick<WebhookEvent, 'type' | 'action'>): string {
  const singular = event.type === 'leads' ? 'lead' : event.type === 'contacts' ? 'contact' : 'company';
  return `${event.action}_${singular}`;
}

const s = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? '1' : '0') : String(v));

function legacyCustomFields(account: AccountState, entity: Entity): unknown[] {
  return entity.custom_fields_values.map((f) => {
    const field = account.field(entity.type, f.field_id);
    const isDate = field?.type === 'date' || field?.type === 'date_time' || field?.type === 'birthday';
    return {
      id: s(f.field_id),
      name: s(field?.name),
      ...(field?.code ? { code: field.code } : {}),
      // Date fields arrive as a bare list of timestamps; others as {value, enum?}.
      values: isDate
        ? f.values.map((v) => s(v.value))
        : f.values.map((v) => ({ value: s(v.value), ...(v.enum_id !== undefined ? { enum: s(v.enum_id) } : {}) })),
    };
  });
}

function legacyItem(account: AccountState, event: WebhookEvent, linked: (type: EntityType) => number[]): Record<string, unknown> {
  const e = event.entity;
  const item: Record<string, unknown> = {
    id: s(e.id),
    name: s(e.name),
    responsible_user_id: s(e.responsible_user_id),
    date_create: s(e.created_at),
    last_modified: s(e.updated_at),
    created_user_id: s(e.created_by),
    modified_user_id: s(e.updated_by),
    account_id: s(account.id),
    created_at: s(e.created_at),
    updated_at: s(e.updated_at),
  };
  if (e.type === 'leads') {
    Object.assign(item, { status_id: s(e.status_id), price: s(e.price), pipeline_id: s(e.pipeline_id) });
    if (event.action === 'status')
      Object.assign(item, { old_status_id: s(event.old?.status_id), old_pipeline_id: s(event.old?.pipeline_id) });
  } else {
    item.type = e.type === 'contacts' ? 'contact' : 'company';
    if (e.type === 'companies') item.linked_leads_id = Object.fromEntries(linked('leads').map((id) => [id, { ID: s(id) }]));
    if (e.type === 'contacts') {
      const company = linked('companies')[0];
      if (company !== undefined) item.linked_company_id = s(company);
    }
  }
  if (event.action === 'responsible') item.old_responsible_user_id = s(event.old?.responsible_user_id);
  const fields = legacyCustomFields(account, e);
  if (fields.length) item.custom_fields = fields;
  const tags = e.tagIds.map((id) => account.tags[e.type].get(id)).filter((t) => t !== undefined);
  if (tags.length) item.tags = tags.map((t) => ({ id: s(t.id), name: t.name }));
  if (event.action === 'note' && event.note) {
    item.note = {
      id: s(event.note.id),
      element_id: s(event.note.entity_id),
      note_type: s(event.note.note_type),
      text: s(event.note.params.text),
      date_create: s(event.note.created_at),
    };
  }
  return item;
}

/** Form body for one delivery: every event of a request that the webhook subscribed to. */
export function buildWebhookBody(
  account: AccountState,
  events: readonly WebhookEvent[],
  linked: (e: Entity, type: EntityType) => number[],
): string {
  const tree: Record<string, Record<string, unknown[]>> = {};
  for (const event of events) {
    const key = event.type === 'leads' ? 'leads' : 'contacts'; // companies arrive under `contacts` with type=company
    ((tree[key] ??= {})[event.action] ??= []).push(legacyItem(account, event, (type) => linked(event.entity, type)));
  }
  return qs.stringify(
    { ...tree, account: { subdomain: account.subdomain, id: s(account.id), _links: { self: `https://${account.subdomain}.amocrm.ru` } } },
    { arrayFormat: 'indices' },
  );
}

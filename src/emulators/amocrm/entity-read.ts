// Reading leads, contacts and companies: the v4 JSON shape, `with=` embeds, filters, `query` search and order.
import { serialiseCustomFields } from './custom-fields.js';
import { linkedIds, linksOf } from './links.js';
import { idList, inRange, range, sortByOrder } from './paging.js';
import type { AccountState } from './store.js';
import type { Entity, EntityType } from './types.js';

const href = (apiBase: string, type: EntityType, id: number) => ({ self: { href: `${apiBase}/api/v4/${type}/${id}` } });

export function parseWith(query: Record<string, unknown>): Set<string> {
  return new Set(
    String(query.with ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

export function serialiseEntity(
  account: AccountState,
  entity: Entity,
  apiBase: string,
  withSet: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const tags = entity.tagIds
    .map((id) => account.tags[entity.type].get(id))
    .filter((t) => t !== undefined)
    .map((t) => ({ id: t.id, name: t.name, color: t.color }));
  const refs = (toType: EntityType) =>
    linkedIds(account, entity.type, entity.id, toType).map((id) => ({ id, _links: href(apiBase, toType, id) }));
  const common = {
    id: entity.id,
    name: entity.name,
    responsible_user_id: entity.responsible_user_id,
    group_id: entity.group_id,
    created_by: entity.created_by,
    updated_by: entity.updated_by,
    created_at: entity.created_at,
    updated_at: entity.updated_at,
    closest_task_at: null,
    is_deleted: entity.is_deleted,
  };
  const cf = serialiseCustomFields(account, entity.type, entity.custom_fields_values);
  if (entity.type === 'leads') {
    const embedded: Record<string, unknown> = { tags, companies: refs('companies') };
    if (withSet.has('contacts')) {
      embedded.contacts = linksOf(account, 'leads', entity.id)
        .filter((l) => l.to_entity_type === 'contacts')
        .map((l) => ({
          id: l.to_entity_id,
          is_main: l.metadata?.main_contact === true,
          _links: href(apiBase, 'contacts', l.to_entity_id),
        }));
    }
    return {
      id: entity.id,
      name: entity.name,
      price: entity.price,
      responsible_user_id: entity.responsible_user_id,
      group_id: entity.group_id,
      status_id: entity.status_id,
      pipeline_id: entity.pipeline_id,
      loss_reason_id: entity.loss_reason_id ?? null,
      created_by: entity.created_by,
      updated_by: entity.updated_by,
      created_at: entity.created_at,
      updated_at: entity.updated_at,
      closed_at: entity.closed_at ?? null,
      closest_task_at: null,
      is_deleted: entity.is_deleted,
      custom_fields_values: cf,
      score: null,
      account_id: account.id,
      labor_cost: null,
      is_price_modified_by_robot: false,
      _links: href(apiBase, 'leads', entity.id),
      _embedded: embedded,
    };
  }
  if (entity.type === 'contacts') {
    const embedded: Record<string, unknown> = { tags, companies: refs('companies') };
    if (withSet.has('leads')) embedded.leads = refs('leads');
    return {
      ...common,
      first_name: entity.first_name ?? '',
      last_name: entity.last_name ?? '',
      is_unsorted: false,
      custom_fields_values: cf,
      account_id: account.id,
      _links: href(apiBase, 'contacts', entity.id),
      _embedded: embedded,
    };
  }
  const embedded: Record<string, unknown> = { tags };
  if (withSet.has('contacts')) embedded.contacts = refs('contacts');
  if (withSet.has('leads')) embedded.leads = refs('leads');
  return {
    ...common,
    custom_fields_values: cf,
    account_id: account.id,
    _links: href(apiBase, 'companies', entity.id),
    _embedded: embedded,
  };
}

/** Substring search (case-insensitive) over names and every custom field value, phones and emails included. */
function matchesQuery(entity: Entity, needle: string): boolean {
  if (entity.name.toLowerCase().includes(needle)) return true;
  if (entity.first_name?.toLowerCase().includes(needle) || entity.last_name?.toLowerCase().includes(needle)) return true;
  return entity.custom_fields_values.some((f) => f.values.some((v) => String(v.value).toLowerCase().includes(needle)));
}

export function listEntities(account: AccountState, type: EntityType, query: Record<string, unknown>): Entity[] {
  const filter = (typeof query.filter === 'object' && query.filter !== null ? query.filter : {}) as Record<string, unknown>;
  const ids = idList(filter.id);
  const responsible = idList(filter.responsible_user_id);
  const pipelines = idList(filter.pipeline_id);
  const names = filter.name === undefined ? undefined : (Array.isArray(filter.name) ? filter.name : [filter.name]).map(String);
  const updated = range(filter.updated_at);
  const created = range(filter.created_at);
  const closed = range(filter.closed_at);
  const statuses = parseStatuses(filter.statuses);
  const needle = typeof query.query === 'string' || typeof query.query === 'number' ? String(query.query).toLowerCase().trim() : '';
  const idSet = ids ? new Set(ids) : undefined;
  const source =
    idSet && idSet.size < account.entities[type].size
      ? [...idSet].map((id) => account.entities[type].get(id)).filter((e) => e !== undefined)
      : [...account.entities[type].values()];
  const result = source.filter(
    (e) =>
      !e.is_deleted &&
      (!idSet || idSet.has(e.id)) &&
      (!responsible || responsible.includes(e.responsible_user_id)) &&
      (!pipelines || (e.pipeline_id !== undefined && pipelines.includes(e.pipeline_id))) &&
      (!names || names.includes(e.name)) &&
      inRange(e.updated_at, updated) &&
      inRange(e.created_at, created) &&
      (!closed || inRange(e.closed_at, closed)) &&
      (!statuses || statuses.some((s) => s.pipeline_id === e.pipeline_id && (s.status_id === undefined || s.status_id === e.status_id))) &&
      (!needle || matchesQuery(e, needle)),
  );
  return sortByOrder(result, query.order);
}

function parseStatuses(value: unknown): Array<{ pipeline_id: number; status_id?: number }> | undefined {
  if (value === undefined || value === null || typeof value !== 'object') return undefined;
  return Object.values(value as Record<string, unknown>)
    .filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
    .map((v) => ({ pipeline_id: Number(v.pipeline_id), status_id: v.status_id !== undefined ? Number(v.status_id) : undefined }));
}

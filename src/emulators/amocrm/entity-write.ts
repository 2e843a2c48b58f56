// Creating and updating leads, contacts and companies. A batch is validated completely first (amoCRM rejects the
// whole request with `validation-errors` per request_id), then committed; changes become webhook events.
import { applyCustomFieldValues } from './custom-fields.js';
import { addLink, ALLOWED_LINKS } from './links.js';
import { problem, ValidationErrors } from './problem.js';
import { LOST_STATUS_ID, WON_STATUS_ID } from './seed.js';
import type { AccountState, EmulatorStore } from './store.js';
import { applyTagChange, parseTagRefs, type TagChange } from './tags.js';
import type { Entity, EntityType } from './types.js';
import type { WebhookEvent } from './webhook-payload.js';

export const MAX_BATCH = 250;

export interface WriteContext {
  store: EmulatorStore;
  account: AccountState;
  /** The user behind the access token (created_by/updated_by default). */
  userId: number;
  /** Filled with what changed, for webhooks. */
  events: WebhookEvent[];
}

export interface Draft {
  type: EntityType;
  entity: Entity;
  original: Entity | null;
  tags: TagChange;
  links: Array<{ toType: EntityType; toId: number; metadata: Record<string, unknown> | null }>;
  requestId: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** The body of a batch endpoint: a non-empty JSON array of at most 250 objects. */
export function requireBatch(body: unknown, max = MAX_BATCH): Record<string, unknown>[] {
  if (
    body === undefined ||
    body === null ||
    (Array.isArray(body) && body.length === 0) ||
    (isObject(body) && Object.keys(body).length === 0)
  ) {
    throw problem(400, 'Request data can not be empty');
  }
  if (!Array.isArray(body)) {
    const errors = new ValidationErrors();
    errors.add('0', 'InvalidType', '', 'This value should be of type array.');
    errors.throwIfAny();
  }
  const items = body as unknown[];
  if (items.length > max) throw problem(422, `Limit ${max} per page`);
  return items.map((item) => (isObject(item) ? item : {}));
}

export const requestIdOf = (item: Record<string, unknown>, index: number): string =>
  typeof item.request_id === 'string' || typeof item.request_id === 'number' ? String(item.request_id) : String(index);

export function blankEntity(ctx: WriteContext, type: EntityType): Entity {
  const now = ctx.store.clock.nowSeconds();
  const base: Entity = {
    id: 0,
    type,
    name: '',
    responsible_user_id: ctx.userId,
    group_id: 0,
    created_by: ctx.userId,
    updated_by: ctx.userId,
    created_at: now,
    updated_at: now,
    custom_fields_values: [],
    tagIds: [],
    is_deleted: false,
  };
  if (type === 'leads') {
    const pipeline = ctx.account.mainPipeline();
    const firstStage = pipeline.statuses.find((s) => s.type === 0)!;
    Object.assign(base, { price: 0, pipeline_id: pipeline.id, status_id: firstStage.id, closed_at: null, loss_reason_id: null });
  }
  if (type === 'contacts') Object.assign(base, { first_name: '', last_name: '' });
  return base;
}

/** Validates one item against `base` (a blank entity for create, the stored one for update); errors are collected. */
export function draftEntity(
  ctx: WriteContext,
  type: EntityType,
  input: Record<string, unknown>,
  base: Entity,
  original: Entity | null,
  requestId: string,
  errors: ValidationErrors,
  path = '',
): Draft {
  const at = (field: string) => (path ? `${path}.${field}` : field);
  const fail = (code: string, field: string) => errors.add(requestId, code, at(field));
  const entity: Entity = { ...base, custom_fields_values: base.custom_fields_values, tagIds: base.tagIds };
  const draft: Draft = { type, entity, original, tags: {}, links: [], requestId };

  if (input.name !== undefined) {
    if (typeof input.name === 'string') entity.name = input.name;
    else if (typeof input.name === 'number') entity.name = String(input.name);
    else fail('InvalidType', 'name');
  }
  if (type === 'contacts') {
    for (const f of ['first_name', 'last_name'] as const) {
      if (input[f] === undefined || input[f] === null) continue;
      if (typeof input[f] === 'string') entity[f] = input[f];
      else fail('InvalidType', f);
    }
  }
  for (const f of ['responsible_user_id', 'created_by', 'updated_by'] as const) {
    const v = input[f];
    if (v === undefined || v === null) continue;
    if (!isInt(v)) fail('InvalidType', f);
    // 0 is "the robot"; any other id must be an active user of the account (amoCRM rejects deactivated ones).
    else if (v !== 0 || f === 'responsible_user_id') {
      if (!ctx.account.user(v)?.isActive) fail('NotSupportedChoice', f);
      else entity[f] = v;
    } else entity[f] = v;
  }
  for (const f of ['created_at', 'updated_at'] as const) {
    if (input[f] === undefined || input[f] === null) continue;
    if (isInt(input[f])) entity[f] = input[f];
    else fail('InvalidType', f);
  }
  if (type === 'leads') draftLeadFields(ctx, input, entity, original, fail);

  const cf = applyCustomFieldValues(
    { account: ctx.account, type, errors, requestId, path: at('custom_fields_values') },
    entity.custom_fields_values,
    input.custom_fields_values,
  );
  if (cf) entity.custom_fields_values = cf;

  const embedded = isObject(input._embedded) ? input._embedded : {};
  if ('tags' in embedded)
    draft.tags.replace =
      embedded.tags === null ? null : parseTagRefs(ctx.account, type, embedded.tags, at('_embedded.tags'), errors, requestId);
  if (input.tags_to_add !== undefined)
    draft.tags.add = parseTagRefs(ctx.account, type, input.tags_to_add, at('tags_to_add'), errors, requestId);
  if (input.tags_to_delete !== undefined)
    draft.tags.remove = parseTagRefs(ctx.account, type, input.tags_to_delete, at('tags_to_delete'), errors, requestId);
  for (const toType of ALLOWED_LINKS[type]) {
    const list = embedded[toType];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      fail('InvalidType', `_embedded.${toType}`);
      continue;
    }
    list.forEach((ref: unknown, i) => {
      const id = isObject(ref) ? ref.id : undefined;
      if (!isInt(id) || !ctx.account.entities[toType].has(id)) fail('NotSupportedChoice', `_embedded.${toType}.${i}.id`);
      else
        draft.links.push({
          toType,
          toId: id,
          metadata: isObject(ref) && typeof ref.is_main === 'boolean' ? { main_contact: ref.is_main } : null,
        });
    });
  }
  return draft;
}

function draftLeadFields(
  ctx: WriteContext,
  input: Record<string, unknown>,
  entity: Entity,
  original: Entity | null,
  fail: (code: string, field: string) => void,
): void {
  if (input.price !== undefined && input.price !== null) {
    if (isInt(input.price) && input.price >= 0) entity.price = input.price;
    else fail('InvalidType', 'price');
  }
  const pipelineId = input.pipeline_id;
  const statusId = input.status_id;
  if (pipelineId !== undefined && pipelineId !== null && !isInt(pipelineId)) return fail('InvalidType', 'pipeline_id');
  if (statusId !== undefined && statusId !== null && !isInt(statusId)) return fail('InvalidType', 'status_id');
  let pipeline = ctx.account.pipeline(entity.pipeline_id!);
  if (isInt(pipelineId)) {
    pipeline = ctx.account.pipeline(pipelineId);
    if (!pipeline) return fail('NotSupportedChoice', 'pipeline_id');
  }
  if (isInt(statusId)) {
    // A status id names its pipeline (142/143 exist in every pipeline, so those keep the current one).
    const owner =
      isInt(pipelineId) || statusId === WON_STATUS_ID || statusId === LOST_STATUS_ID
        ? pipeline
        : ctx.account.pipelines.find((p) => p.statuses.some((s) => s.id === statusId));
    if (!owner?.statuses.some((s) => s.id === statusId)) return fail('NotSupportedChoice', 'status_id');
    pipeline = owner;
    entity.status_id = statusId;
  } else if (isInt(pipelineId) && pipelineId !== original?.pipeline_id) {
    entity.status_id = pipeline!.statuses.find((s) => s.type === 0)!.id;
  }
  entity.pipeline_id = pipeline!.id;
  const closed = entity.status_id === WON_STATUS_ID || entity.status_id === LOST_STATUS_ID;
  if (entity.status_id !== original?.status_id) entity.closed_at = closed ? ctx.store.clock.nowSeconds() : null;
}

/** Stores a validated draft: assigns an id, applies tags and links, and records webhook events. */
export function commitDraft(ctx: WriteContext, draft: Draft): Entity {
  const { entity, original, type } = draft;
  if (!original) entity.id = ctx.store.ids.take(type === 'leads' ? 'lead' : type === 'contacts' ? 'contact' : 'company');
  if (type === 'contacts' && !entity.name) entity.name = [entity.first_name, entity.last_name].filter(Boolean).join(' ');
  if (type === 'leads' && !entity.name) entity.name = `Сделка #${entity.id}`;
  if (original) {
    entity.updated_at = Math.max(ctx.store.clock.nowSeconds(), entity.updated_at);
    entity.updated_by = ctx.userId;
  }
  entity.tagIds = applyTagChange(ctx.store, ctx.account, type, entity.tagIds, draft.tags);
  ctx.account.entities[type].set(entity.id, entity);
  for (const link of draft.links) addLink(ctx.account, type, entity.id, link.toType, link.toId, link.metadata);
  recordEvents(ctx, entity, original);
  return entity;
}

export function recordEvents(ctx: WriteContext, entity: Entity, original: Entity | null): void {
  const snapshot = { ...entity };
  if (!original) {
    ctx.events.push({ type: entity.type, action: 'add', entity: snapshot });
    return;
  }
  ctx.events.push({ type: entity.type, action: 'update', entity: snapshot });
  if (entity.type === 'leads' && (entity.status_id !== original.status_id || entity.pipeline_id !== original.pipeline_id)) {
    ctx.events.push({ type: 'leads', action: 'status', entity: snapshot, old: original });
  }
  if (entity.responsible_user_id !== original.responsible_user_id)
    ctx.events.push({ type: entity.type, action: 'responsible', entity: snapshot, old: original });
}

export function createEntities(ctx: WriteContext, type: EntityType, body: unknown): Entity[] {
  const items = requireBatch(body);
  const errors = new ValidationErrors();
  const drafts = items.map((item, i) => draftEntity(ctx, type, item, blankEntity(ctx, type), null, requestIdOf(item, i), errors));
  errors.throwIfAny();
  return drafts.map((d) => commitDraft(ctx, d));
}

export function updateEntities(ctx: WriteContext, type: EntityType, body: unknown): Array<{ entity: Entity; requestId: string }> {
  const items = requireBatch(body);
  const errors = new ValidationErrors();
  const drafts: Draft[] = [];
  items.forEach((item, i) => {
    const requestId = requestIdOf(item, i);
    const stored = isInt(item.id) ? ctx.account.entities[type].get(item.id) : undefined;
    if (!stored) errors.add(requestId, isInt(item.id) ? 'NotFound' : 'NotBlank', 'id');
    else drafts.push(draftEntity(ctx, type, item, stored, stored, requestId, errors));
  });
  errors.throwIfAny();
  return drafts.map((d) => ({ entity: commitDraft(ctx, d), requestId: d.requestId }));
}

/** PATCH /{entity}/{id}: a single object (an array there is 405, as amoCRM answers). */
export function updateOne(ctx: WriteContext, type: EntityType, id: number, body: unknown): Entity {
  if (Array.isArray(body)) throw problem(405, 'Method Not Allowed');
  if (!isObject(body) || Object.keys(body).length === 0) throw problem(400, 'Request data can not be empty');
  const stored = ctx.account.entities[type].get(id);
  if (!stored) throw problem(404, 'Entity not found');
  const errors = new ValidationErrors();
  const draft = draftEntity(ctx, type, body, stored, stored, '0', errors);
  errors.throwIfAny();
  return commitDraft(ctx, draft);
}

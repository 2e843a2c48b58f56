// Notes on leads, contacts and companies: POST /{entity}/notes (items carry entity_id) or /{entity}/{id}/notes,
// with `params` validated per note type.
import type { WriteContext } from './entity-write.js';
import { requestIdOf, requireBatch } from './entity-write.js';
import { ValidationErrors } from './problem.js';
import type { EntityType, Note } from './types.js';

type ParamKind = 'string' | 'int' | 'number';

/** Required params per note type (amoCRM's documented types; optional params are not listed). */
export const NOTE_PARAMS: Record<string, Record<string, ParamKind>> = {
  common: { text: 'string' },
  service_message: { service: 'string', text: 'string' },
  extended_service_message: { service: 'string', text: 'string' },
  call_in: { uniq: 'string', duration: 'int', source: 'string', link: 'string', phone: 'string' },
  call_out: { uniq: 'string', duration: 'int', source: 'string', link: 'string', phone: 'string' },
  sms_in: { text: 'string', phone: 'string' },
  sms_out: { text: 'string', phone: 'string' },
  geolocation: { text: 'string', address: 'string', longitude: 'number', latitude: 'number' },
  attachment: { file_uuid: 'string', file_name: 'string' },
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeOk(kind: ParamKind, v: unknown): boolean {
  if (kind === 'string') return typeof v === 'string';
  if (kind === 'int') return typeof v === 'number' && Number.isInteger(v);
  return typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)));
}

/** Creates notes; `entityId` is set for the per-entity route (items then need no entity_id). */
export function createNotes(
  ctx: WriteContext,
  type: EntityType,
  body: unknown,
  entityId?: number,
): Array<{ note: Note; requestId: string }> {
  const items = requireBatch(body);
  const errors = new ValidationErrors();
  const valid: Array<{ item: Record<string, unknown>; target: number; requestId: string }> = [];
  items.forEach((item, i) => {
    const requestId = requestIdOf(item, i);
    const before = JSON.stringify(errors);
    const target = entityId ?? item.entity_id;
    if (typeof target !== 'number' || !ctx.account.entities[type].has(target))
      errors.add(requestId, entityId ? 'NotFound' : 'NotSupportedChoice', 'entity_id');
    const spec = typeof item.note_type === 'string' ? NOTE_PARAMS[item.note_type] : undefined;
    if (!spec) errors.add(requestId, typeof item.note_type === 'string' ? 'NotSupportedChoice' : 'NotBlank', 'note_type');
    else if (!isObject(item.params))
      errors.add(requestId, item.params === undefined || item.params === null ? 'NotBlank' : 'InvalidType', 'params');
    else {
      for (const [name, kind] of Object.entries(spec)) {
        const v = item.params[name];
        if (v === undefined || v === null || v === '') errors.add(requestId, 'NotBlank', `params.${name}`);
        else if (!typeOk(kind, v)) errors.add(requestId, 'InvalidType', `params.${name}`);
      }
    }
    if (item.created_by !== undefined && item.created_by !== null && item.created_by !== 0) {
      if (typeof item.created_by !== 'number' || !ctx.account.user(item.created_by)?.isActive)
        errors.add(requestId, 'NotSupportedChoice', 'created_by');
    }
    if (JSON.stringify(errors) === before) valid.push({ item, target: target as number, requestId });
  });
  errors.throwIfAny();
  const now = ctx.store.clock.nowSeconds();
  return valid.map(({ item, target, requestId }) => {
    const note: Note = {
      id: ctx.store.ids.take('note'),
      entity_type: type,
      entity_id: target,
      note_type: item.note_type as string,
      params: { ...(item.params as Record<string, unknown>) },
      created_by: typeof item.created_by === 'number' ? item.created_by : ctx.userId,
      created_at: now,
      updated_at: now,
    };
    ctx.account.notes.set(note.id, note);
    const entity = ctx.account.entities[type].get(target)!;
    ctx.events.push({ type, action: 'note', entity: { ...entity }, note });
    return { note, requestId };
  });
}

export function serialiseNote(accountId: number, note: Note, apiBase: string): Record<string, unknown> {
  return {
    id: note.id,
    entity_id: note.entity_id,
    created_by: note.created_by,
    updated_by: note.created_by,
    created_at: note.created_at,
    updated_at: note.updated_at,
    responsible_user_id: note.created_by,
    group_id: 0,
    note_type: note.note_type,
    params: note.params,
    account_id: accountId,
    _links: { self: { href: `${apiBase}/api/v4/${note.entity_type}/${note.entity_id}/notes/${note.id}` } },
  };
}

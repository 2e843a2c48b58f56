// POST /api/v4/leads/complex: up to 50 leads, each with at most one new (or existing) contact and company,
// ≤40 custom field values per entity, a plain-array answer, and optional duplicate control that matches
// contacts by normalised phone/email against records that existed before the request (never within it).
import { multitextValues, normalisePhone } from './custom-fields.js';
import { blankEntity, commitDraft, draftEntity, requestIdOf, type Draft, type WriteContext } from './entity-write.js';
import { addLink } from './links.js';
import { problem, ValidationErrors } from './problem.js';
import type { Entity } from './types.js';

export const MAX_COMPLEX = 50;
export const MAX_COMPLEX_FIELDS = 40;

export interface ComplexResult {
  id: number;
  contact_id: number | null;
  company_id: number | null;
  request_id: string[];
  merged: boolean;
}

/** An existing entity (optionally updated by a duplicate-control merge) or a new one. */
type Side = { existing: Entity; update?: Draft } | { draft: Draft } | null;

interface Planned {
  lead: Draft;
  contact: Side;
  company: Side;
  merged: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function createComplex(ctx: WriteContext, body: unknown, duplicateControl: boolean): ComplexResult[] {
  if (body === undefined || body === null || (Array.isArray(body) && body.length === 0))
    throw problem(400, 'Request data can not be empty');
  const errors = new ValidationErrors();
  if (!Array.isArray(body)) errors.add('0', 'InvalidType', '', 'This value should be of type array.');
  else if (body.length > MAX_COMPLEX)
    errors.add('0', 'TooManyElements', '', `This collection should contain ${MAX_COMPLEX} elements or less.`);
  errors.throwIfAny();
  const duplicates = duplicateControl ? indexContacts(ctx) : null;
  const planned = (body as unknown[]).map((raw, i) =>
    plan(ctx, isObject(raw) ? raw : {}, requestIdOf(isObject(raw) ? raw : {}, i), errors, duplicates),
  );
  errors.throwIfAny();

  const results: ComplexResult[] = [];
  const byMergedContact = new Map<number, ComplexResult>();
  for (const p of planned) {
    const target = p.contact && 'existing' in p.contact && p.merged ? byMergedContact.get(p.contact.existing.id) : undefined;
    if (target) {
      // Two incoming items matched the same existing contact: amoCRM answers them as one merged result.
      target.request_id.push(p.lead.requestId);
      continue;
    }
    const company = commitSide(ctx, p.company);
    const contact = commitSide(ctx, p.contact);
    const lead = commitDraft(ctx, p.lead);
    if (contact) addLink(ctx.account, 'leads', lead.id, 'contacts', contact.id, { main_contact: true });
    if (company) addLink(ctx.account, 'leads', lead.id, 'companies', company.id);
    if (contact && company) addLink(ctx.account, 'contacts', contact.id, 'companies', company.id);
    const result: ComplexResult = {
      id: lead.id,
      contact_id: contact?.id ?? null,
      company_id: company?.id ?? null,
      request_id: [p.lead.requestId],
      merged: p.merged,
    };
    if (p.merged && contact) byMergedContact.set(contact.id, result);
    results.push(result);
  }
  return results;
}

function commitSide(ctx: WriteContext, side: Side): Entity | null {
  if (!side) return null;
  if ('draft' in side) return commitDraft(ctx, side.draft);
  return side.update ? commitDraft(ctx, side.update) : side.existing;
}

function plan(
  ctx: WriteContext,
  item: Record<string, unknown>,
  requestId: string,
  errors: ValidationErrors,
  duplicates: Map<string, Entity> | null,
): Planned {
  const embedded = isObject(item._embedded) ? item._embedded : {};
  const leadInput: Record<string, unknown> = { ...item, _embedded: 'tags' in embedded ? { tags: embedded.tags } : {} };
  checkFieldCount(item.custom_fields_values, 'custom_fields_values', requestId, errors);
  const lead = draftEntity(ctx, 'leads', leadInput, blankEntity(ctx, 'leads'), null, requestId, errors);
  if (isObject(embedded.metadata)) {
    // Incoming-lead metadata (forms, calls…) puts the lead into "incoming leads" of its pipeline.
    const unsorted = ctx.account.pipeline(lead.entity.pipeline_id!)?.statuses.find((s) => s.type === 1);
    if (unsorted) lead.entity.status_id = unsorted.id;
  }
  const contact = planSide(ctx, 'contacts', embedded.contacts, requestId, errors);
  const company = planSide(ctx, 'companies', embedded.companies, requestId, errors);
  if (duplicates && contact && 'draft' in contact) {
    const match = findDuplicate(ctx, contact.draft.entity, duplicates);
    if (match) {
      // The existing contact is updated with what came in and keeps its identity.
      const update = draftEntity(
        ctx,
        'contacts',
        { custom_fields_values: contactInput(embedded).custom_fields_values },
        match,
        match,
        requestId,
        new ValidationErrors(),
      );
      return { lead, contact: { existing: match, update }, company, merged: true };
    }
  }
  return { lead, contact, company, merged: false };
}

function contactInput(embedded: Record<string, unknown>): Record<string, unknown> {
  const list = Array.isArray(embedded.contacts) ? embedded.contacts : [];
  return isObject(list[0]) ? list[0] : {};
}

function planSide(ctx: WriteContext, type: 'contacts' | 'companies', list: unknown, requestId: string, errors: ValidationErrors): Side {
  if (list === undefined || list === null) return null;
  const path = `_embedded.${type}`;
  if (!Array.isArray(list)) return (errors.add(requestId, 'InvalidType', path), null);
  if (list.length > 1) return (errors.add(requestId, 'TooManyElements', path, 'This collection should contain 1 element or less.'), null);
  const input = isObject(list[0]) ? list[0] : undefined;
  if (!input) return null;
  if (input.id !== undefined && input.id !== null) {
    const existing = typeof input.id === 'number' ? ctx.account.entities[type].get(input.id) : undefined;
    if (!existing) return (errors.add(requestId, 'NotSupportedChoice', `${path}.0.id`), null);
    return { existing };
  }
  checkFieldCount(input.custom_fields_values, `${path}.0.custom_fields_values`, requestId, errors);
  return { draft: draftEntity(ctx, type, input, blankEntity(ctx, type), null, requestId, errors, `${path}.0`) };
}

function checkFieldCount(values: unknown, path: string, requestId: string, errors: ValidationErrors): void {
  if (Array.isArray(values) && values.length > MAX_COMPLEX_FIELDS) {
    errors.add(requestId, 'TooManyElements', path, `This collection should contain ${MAX_COMPLEX_FIELDS} elements or less.`);
  }
}

/** Existing contacts by normalised phone (`p:`) and lower-cased email (`e:`), built before the batch is applied. */
function indexContacts(ctx: WriteContext): Map<string, Entity> {
  const index = new Map<string, Entity>();
  for (const c of ctx.account.entities.contacts.values()) {
    for (const phone of multitextValues(ctx.account, 'contacts', c.custom_fields_values, 'PHONE'))
      if (normalisePhone(phone)) index.set(`p:${normalisePhone(phone)}`, c);
    for (const email of multitextValues(ctx.account, 'contacts', c.custom_fields_values, 'EMAIL'))
      if (email.trim()) index.set(`e:${email.trim().toLowerCase()}`, c);
  }
  return index;
}

function findDuplicate(ctx: WriteContext, incoming: Entity, index: Map<string, Entity>): Entity | undefined {
  for (const phone of multitextValues(ctx.account, 'contacts', incoming.custom_fields_values, 'PHONE')) {
    const hit = index.get(`p:${normalisePhone(phone)}`);
    if (hit) return hit;
  }
  for (const email of multitextValues(ctx.account, 'contacts', incoming.custom_fields_values, 'EMAIL')) {
    const hit = index.get(`e:${email.trim().toLowerCase()}`);
    if (hit) return hit;
  }
  return undefined;
}

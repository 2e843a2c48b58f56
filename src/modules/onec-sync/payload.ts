// What the hub sends 1C for an amoCRM entity (seed 001 §1.2, §1.3), built from the entity as amoCRM holds it and
// the base's field-correspondence table ("1C field name → amoCRM field id or code"). A mapping key starting with
// `p_` sends that amoCRM field's value under the key; `id_1c` and `link` name the fields 1C's answer is written
// back into. Pure functions: outbound.ts reads the entities and sends.
import type { AmoCompany, AmoContact, AmoCustomFieldValueRead, AmoCustomFieldValueWrite, AmoLead } from '../../connectors/amocrm/index.js';
import type { OnecCompanyClient, OnecContactClient, OnecCustomValues } from '../../connectors/onec/index.js';
import { keysFromAmo, normaliseTaxId } from './match-keys.js';

export type FieldMap = Readonly<Record<string, number | string>>;
type Entity = { readonly custom_fields_values: readonly AmoCustomFieldValueRead[] | null; readonly [k: string]: unknown };

/** A custom field id (a number, or a string of digits), else a code (PHONE, EMAIL, a field's own code) or a built-in. */
const fieldId = (target: number | string): number | undefined =>
  typeof target === 'number' ? target : /^[0-9]+$/.test(target) ? Number(target) : undefined;

const text = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function customField(e: Entity, target: number | string): AmoCustomFieldValueRead | undefined {
  const id = fieldId(target);
  return (e.custom_fields_values ?? []).find((f) => (id !== undefined ? f.field_id === id : f.field_code === target));
}

/** The value of a mapped field as text: several values (phones, multiselects) joined with ", "; none: undefined. */
export function valueOf(e: Entity, target: number | string): string | undefined {
  const field = customField(e, target);
  if (field) {
    const values = field.values.map((v) => text(v.value)).filter((v) => v !== '');
    return values.length ? values.join(', ') : undefined;
  }
  // A built-in field named by its code: name, price, responsible_user_id…
  if (fieldId(target) === undefined && typeof target === 'string' && target in e) {
    const v = e[target];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
  }
  return undefined;
}

/** The `p_***` keys of a table, each with its amoCRM value ('' when the field is empty: 1C clears it). */
export function customValues(e: Entity, map: FieldMap | null): OnecCustomValues {
  const out: Record<string, string> = {};
  for (const [name, target] of Object.entries(map ?? {})) if (name.startsWith('p_')) out[name] = valueOf(e, target) ?? '';
  return out as OnecCustomValues;
}

const first = (e: Entity, code: string) =>
  customField(e, code)
    ?.values.map((v) => text(v.value))
    .find((v) => v !== '');

export function contactClient(e: AmoContact, map: FieldMap | null, id1c?: string): OnecContactClient {
  const phone = first(e, 'PHONE');
  const email = first(e, 'EMAIL');
  return {
    id: e.id,
    name: e.name,
    responsible_user_id: e.responsible_user_id ?? 0,
    ...(phone ? { phone } : {}),
    ...(email ? { email } : {}),
    ...(id1c ? { id_1c: id1c } : {}),
    ...customValues(e, map),
  };
}

/**
 * The company's ИНН/УНП: the field the table maps `inn` (or `p_inn`) to, else the first valid tax id among its
 * values (accounts keep it in a field of their own choosing). Undefined: 1C cannot take the company.
 */
export function innOf(e: AmoCompany, map: FieldMap | null): string | undefined {
  for (const name of ['inn', 'p_inn']) {
    const target = map?.[name];
    const v = target === undefined ? undefined : valueOf(e, target);
    if (v && normaliseTaxId(v)) return normaliseTaxId(v);
  }
  return keysFromAmo('companies', e.custom_fields_values).find((k) => k.kind === 'inn')?.value;
}

export function companyClient(e: AmoCompany, map: FieldMap | null, inn: string, id1c?: string): OnecCompanyClient {
  return {
    id: e.id,
    name: e.name,
    responsible_user_id: e.responsible_user_id ?? 0,
    inn,
    ...(id1c ? { id_1c: id1c } : {}),
    ...customValues(e, map),
  };
}

export function orderBase(lead: AmoLead, map: FieldMap | null, id1c?: string) {
  return {
    id: lead.id,
    name: lead.name,
    responsible_user_id: lead.responsible_user_id ?? 0,
    ...(id1c ? { id_1c: id1c } : {}),
    ...customValues(lead, map),
  };
}

/**
 * The custom field values to PATCH so the entity holds 1C's `id_1c` and `link` in the fields the table names —
 * only those that differ from what the entity holds (an unchanged write would only cause a webhook echo).
 */
export function writeBack(e: Entity, map: FieldMap | null, answer: { id_1c: string; link: string }): AmoCustomFieldValueWrite[] {
  const out: AmoCustomFieldValueWrite[] = [];
  for (const name of ['id_1c', 'link'] as const) {
    const target = map?.[name];
    const value = answer[name];
    if (target === undefined || value === '' || valueOf(e, target) === value) continue;
    const id = fieldId(target);
    if (id !== undefined) out.push({ field_id: id, values: [{ value }] });
    // A code that is a built-in (name…) is not a custom field: 1C's id never overwrites the entity's name.
    else if (!(String(target) in e)) out.push({ field_code: String(target), values: [{ value }] });
  }
  return out;
}

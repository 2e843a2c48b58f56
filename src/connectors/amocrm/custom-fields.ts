// Turns `{ field, value }` pairs into amoCRM `custom_fields_values`, by the field's type. A value amoCRM would
// reject (unknown enum, text in a numeric field…) is reported as an error, never silently dropped, so callers
// can tell the user which answer did not make it into the CRM.
import { AMO_FACTS } from './facts.js';
import type {
  AmoCustomField,
  AmoCustomFieldValueWrite,
  AmoFieldValueWrite,
  BuiltFieldValues,
  FieldAssignment,
  FieldValueError,
} from './types.js';

class ValueError extends Error {
  constructor(
    readonly code: FieldValueError['code'],
    message: string,
  ) {
    super(message);
  }
}

export function buildCustomFieldsValues(defs: readonly AmoCustomField[], assignments: readonly FieldAssignment[]): BuiltFieldValues {
  const values: AmoCustomFieldValueWrite[] = [];
  const errors: FieldValueError[] = [];
  const index = new Map<number, AmoCustomFieldValueWrite>();
  for (const a of assignments) {
    const def = findField(defs, a.field);
    if (!def) {
      errors.push({ field: a.field, code: 'UNKNOWN_FIELD', message: `no custom field ${JSON.stringify(a.field)}` });
      continue;
    }
    try {
      const built = a.value === null ? null : toValues(def, a.value, a.enumCode);
      // Two assignments to one field merge (e.g. two phone answers); null (clear) wins only when alone.
      const existing = index.get(def.id);
      if (existing && existing.values && built) existing.values.push(...built);
      else if (!existing) {
        const entry: AmoCustomFieldValueWrite = { field_id: def.id, values: built };
        index.set(def.id, entry);
        values.push(entry);
      } else existing.values = built ?? existing.values;
    } catch (err) {
      if (!(err instanceof ValueError)) throw err;
      errors.push({ field: a.field, code: err.code, message: `${def.name}: ${err.message}` });
    }
  }
  return { values, errors };
}

function findField(defs: readonly AmoCustomField[], field: number | string): AmoCustomField | undefined {
  if (typeof field === 'number') return defs.find((d) => d.id === field);
  if (/^\d+$/.test(field)) return defs.find((d) => d.id === Number(field));
  return (
    defs.find((d) => d.code !== null && d.code === field) ??
    defs.find((d) => d.name === field) ??
    defs.find((d) => d.name.toLowerCase() === field.toLowerCase())
  );
}

function toValues(def: AmoCustomField, value: unknown, enumCode?: string): AmoFieldValueWrite[] {
  switch (def.type) {
    case 'text':
    case 'textarea':
    case 'url':
    case 'streetaddress':
      return [{ value: text(value) }];
    case 'numeric':
    case 'price':
    case 'monetary':
      return [{ value: numeric(value) }];
    case 'checkbox':
      return [{ value: bool(value) }];
    case 'select':
    case 'radiobutton':
    case 'category':
      return [{ enum_id: enumId(def, single(value)) }];
    case 'multiselect':
      return (Array.isArray(value) ? value : [value]).map((v) => ({ enum_id: enumId(def, v) }));
    case 'date':
    case 'date_time':
    case 'birthday':
      return [{ value: unixSeconds(value) }];
    case 'multitext':
      return (Array.isArray(value) ? value : [value]).map((v) => multitext(def, v, enumCode));
    default:
      throw new ValueError('UNSUPPORTED_TYPE', `fields of type ${def.type} are not supported`);
  }
}

function single(value: unknown): unknown {
  if (Array.isArray(value)) {
    if (value.length !== 1) throw new ValueError('INVALID_TYPE', 'expects exactly one option');
    return value[0];
  }
  return value;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ValueError('INVALID_TYPE', `expects text, got ${describe(value)}`);
}

function numeric(value: unknown): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value.trim().replace(/\s/g, '').replace(',', '.'))
        : NaN;
  if (!Number.isFinite(n)) throw new ValueError('INVALID_TYPE', `expects a number, got ${describe(value)}`);
  return n;
}

function bool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true') return true;
  if (value === 0 || value === '0' || value === 'false') return false;
  throw new ValueError('INVALID_TYPE', `expects true or false, got ${describe(value)}`);
}

function enumId(def: AmoCustomField, value: unknown): number {
  const enums = def.enums ?? [];
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))) {
    const byId = enums.find((e) => e.id === Number(value));
    if (byId) return byId.id;
  }
  if (typeof value === 'string') {
    const wanted = value.trim().toLowerCase();
    const byValue = enums.find((e) => e.value === value) ?? enums.find((e) => e.value.trim().toLowerCase() === wanted);
    if (byValue) return byValue.id;
  }
  throw new ValueError(
    'UNKNOWN_ENUM',
    `${describe(value)} is not one of ${enums.map((e) => JSON.stringify(e.value)).join(', ') || 'its options'}`,
  );
}

function unixSeconds(value: unknown): number {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return Math.floor(value.getTime() / 1000);
  if (typeof value === 'number' && Number.isFinite(value)) return Math.floor(value > 1e11 ? value / 1000 : value);
  if (typeof value === 'string' && value.trim() !== '') {
    if (/^\d+$/.test(value.trim())) return unixSeconds(Number(value.trim()));
    const dmy = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(value.trim()); // Russian forms write 31.12.2025
    const ms = dmy ? Date.UTC(Number(dmy[3]), Number(dmy[2]) - 1, Number(dmy[1])) : Date.parse(value);
    if (Number.isFinite(ms)) return Math.floor(ms / 1000);
  }
  throw new ValueError('INVALID_TYPE', `expects a date, got ${describe(value)}`);
}

function multitext(def: AmoCustomField, value: unknown, defaultCode?: string): AmoFieldValueWrite {
  const codes = (def.enums ?? []).map((e) => (e.code ?? e.value).toUpperCase());
  const pick = (code: string | undefined): string => {
    const wanted = (code ?? defaultCode ?? AMO_FACTS.multitextDefaultEnumCode).toUpperCase();
    if (codes.length && !codes.includes(wanted))
      throw new ValueError('UNKNOWN_ENUM', `enum code ${wanted} is not one of ${codes.join(', ')}`);
    return wanted;
  };
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as { value?: unknown; enumCode?: string; enum_code?: string };
    return { value: text(v.value), enum_code: pick(v.enumCode ?? v.enum_code) };
  }
  const s = text(value).trim();
  if (s === '') throw new ValueError('INVALID_TYPE', 'expects a non-empty value');
  return { value: s, enum_code: pick(undefined) };
}

function describe(value: unknown): string {
  const s = JSON.stringify(value);
  return s === undefined ? String(value) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

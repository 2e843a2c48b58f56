// Validating and applying `custom_fields_values` the way amoCRM does: field by id or code (explicit nulls for
// the other one are fine), values typed per field type, enums by id, code or value, `values: null` clears.
import type { ValidationErrors } from './problem.js';
import type { AccountState } from './store.js';
import type { CustomField, EntityType, StoredFieldValues, StoredValue } from './types.js';

export interface CfContext {
  account: AccountState;
  type: EntityType;
  errors: ValidationErrors;
  requestId: string;
  /** Path prefix of the list, e.g. `custom_fields_values` or `_embedded.contacts.0.custom_fields_values`. */
  path: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Returns the new stored list, or undefined when the input did not touch custom fields (or had errors). */
export function applyCustomFieldValues(ctx: CfContext, current: StoredFieldValues[], input: unknown): StoredFieldValues[] | undefined {
  if (input === undefined || input === null) return undefined;
  if (!Array.isArray(input)) {
    ctx.errors.add(ctx.requestId, 'InvalidType', ctx.path);
    return undefined;
  }
  const next = new Map(current.map((f) => [f.field_id, f]));
  let ok = true;
  input.forEach((item, i) => {
    const at = `${ctx.path}.${i}`;
    if (!isObject(item)) {
      ctx.errors.add(ctx.requestId, 'InvalidType', at);
      ok = false;
      return;
    }
    const field = resolveField(ctx, item, at);
    if (!field) {
      ok = false;
      return;
    }
    if (item.values === null || (Array.isArray(item.values) && item.values.length === 0)) {
      next.delete(field.id);
      return;
    }
    if (!Array.isArray(item.values)) {
      ctx.errors.add(ctx.requestId, 'InvalidType', `${at}.values`);
      ok = false;
      return;
    }
    const values: StoredValue[] = [];
    item.values.forEach((raw, j) => {
      const value = isObject(raw)
        ? normaliseValue(ctx, field, raw, `${at}.values.${j}`)
        : (ctx.errors.add(ctx.requestId, 'InvalidType', `${at}.values.${j}`), undefined);
      if (value) values.push(value);
      else ok = false;
    });
    if (ok && (field.type === 'select' || field.type === 'radiobutton' || field.type === 'checkbox') && values.length > 1) {
      ctx.errors.add(ctx.requestId, 'TooManyElements', `${at}.values`);
      ok = false;
    }
    if (ok) next.set(field.id, { field_id: field.id, values });
  });
  return ok ? [...next.values()] : undefined;
}

function resolveField(ctx: CfContext, item: Record<string, unknown>, at: string): CustomField | undefined {
  const { field_id: id, field_code: code } = item;
  if (id !== undefined && id !== null) {
    if (typeof id !== 'number' || !Number.isInteger(id)) {
      ctx.errors.add(ctx.requestId, 'InvalidType', `${at}.field_id`);
      return undefined;
    }
    const field = ctx.account.field(ctx.type, id);
    if (!field) ctx.errors.add(ctx.requestId, 'NotSupportedChoice', `${at}.field_id`);
    return field;
  }
  if (code !== undefined && code !== null) {
    if (typeof code !== 'string') {
      ctx.errors.add(ctx.requestId, 'InvalidType', `${at}.field_code`);
      return undefined;
    }
    const field = ctx.account.fieldByCode(ctx.type, code.toUpperCase());
    if (!field) ctx.errors.add(ctx.requestId, 'NotSupportedChoice', `${at}.field_code`);
    return field;
  }
  ctx.errors.add(ctx.requestId, 'NotBlank', `${at}.field_id`);
  return undefined;
}

function normaliseValue(ctx: CfContext, field: CustomField, raw: Record<string, unknown>, at: string): StoredValue | undefined {
  const fail = (code: string, sub: string): undefined => (ctx.errors.add(ctx.requestId, code, `${at}.${sub}`), undefined);
  const { value } = raw;
  switch (field.type) {
    case 'text':
    case 'textarea':
    case 'url':
    case 'streetaddress':
      if (typeof value === 'string') return { value };
      if (typeof value === 'number') return { value: String(value) };
      return fail(value === undefined || value === null ? 'NotBlank' : 'InvalidType', 'value');
    case 'numeric':
    case 'price':
      if (typeof value === 'number' && Number.isFinite(value)) return { value: String(value) };
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return { value: value.trim() };
      return fail('InvalidType', 'value');
    case 'checkbox':
      if (typeof value === 'boolean') return { value };
      return fail('InvalidType', 'value');
    case 'date':
    case 'date_time':
    case 'birthday': {
      const ts = toTimestamp(value);
      return ts === undefined ? fail('InvalidType', 'value') : { value: ts };
    }
    case 'select':
    case 'radiobutton':
    case 'multiselect':
      return resolveEnum(field, raw, fail);
    case 'multitext': {
      if (typeof value !== 'string' && typeof value !== 'number')
        return fail(value === undefined || value === null ? 'NotBlank' : 'InvalidType', 'value');
      const hasEnum = (raw.enum_id ?? null) !== null || (raw.enum_code ?? null) !== null;
      const choice = hasEnum
        ? resolveEnum(field, { enum_id: raw.enum_id, enum_code: raw.enum_code }, fail)
        : { value: '', enum_id: field.enums![0]!.id };
      if (!choice) return undefined;
      const chosen = field.enums!.find((e) => e.id === choice.enum_id)!;
      return { value: String(value), enum_id: chosen.id, enum_code: chosen.value };
    }
  }
}

/** select / radiobutton / multiselect / multitext enums: by enum_id, enum_code or value (explicit nulls ignored). */
function resolveEnum(
  field: CustomField,
  raw: Record<string, unknown>,
  fail: (code: string, sub: string) => undefined,
): StoredValue | undefined {
  const enums = field.enums ?? [];
  const { enum_id: enumId, enum_code: enumCode, value } = raw;
  if (enumId !== undefined && enumId !== null) {
    if (typeof enumId !== 'number') return fail('InvalidType', 'enum_id');
    const e = enums.find((x) => x.id === enumId);
    return e ? { value: e.value, enum_id: e.id } : fail('NotSupportedChoice', 'enum_id');
  }
  if (enumCode !== undefined && enumCode !== null) {
    if (typeof enumCode !== 'string') return fail('InvalidType', 'enum_code');
    const e = enums.find((x) => x.value.toUpperCase() === enumCode.toUpperCase());
    return e ? { value: e.value, enum_id: e.id } : fail('NotSupportedChoice', 'enum_code');
  }
  if (typeof value === 'string') {
    const e = enums.find((x) => x.value === value);
    return e ? { value: e.value, enum_id: e.id } : fail('NotSupportedChoice', 'value');
  }
  return fail(value === undefined || value === null ? 'NotBlank' : 'InvalidType', 'value');
}

function toTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    if (/^\d+$/.test(value.trim())) return Number(value.trim());
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return Math.floor(ms / 1000);
  }
  return undefined;
}

/** How GET shows the values: null when there are none, else with field name, code and type. */
export function serialiseCustomFields(account: AccountState, type: EntityType, stored: StoredFieldValues[]): unknown[] | null {
  if (stored.length === 0) return null;
  return stored.map((f) => {
    const field = account.field(type, f.field_id);
    return {
      field_id: f.field_id,
      field_name: field?.name ?? '',
      field_code: field?.code ?? null,
      field_type: field?.type ?? 'text',
      values: f.values,
    };
  });
}

/** Digits of a phone without the country prefix ambiguity (+7… vs 8…): the last 10 digits. */
export function normalisePhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length > 10 ? digits.slice(-10) : digits;
}

export function multitextValues(account: AccountState, type: EntityType, stored: StoredFieldValues[], code: 'PHONE' | 'EMAIL'): string[] {
  const field = account.fieldByCode(type, code);
  if (!field) return [];
  return stored.find((f) => f.field_id === field.id)?.values.map((v) => String(v.value)) ?? [];
}

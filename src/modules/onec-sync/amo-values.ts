// Turns what 1C sent into amoCRM field values through the base's field-correspondence table (§2.7): each mapped
// 1C field names an amoCRM custom field (id or code) or a built-in field. Values amoCRM would refuse are reported
// in Russian with both field names, never dropped silently.
import {
  buildCustomFieldsValues,
  type AmoCustomField,
  type AmoCustomFieldValueWrite,
  type FieldAssignment,
} from '../../connectors/amocrm/index.js';
import { onecError } from './errors.js';

/** Built-in amoCRM fields a mapping may name instead of a custom field. */
export const BUILT_IN_TARGETS = ['name', 'price', 'responsible_user_id'] as const;
type BuiltIn = (typeof BUILT_IN_TARGETS)[number];

export interface MappedValues {
  readonly custom: FieldAssignment[];
  readonly builtIn: Partial<Record<BuiltIn, unknown>>;
}

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

/** The assignments of the mapped fields present in `input` (fields the caller handles itself are skipped). */
export function mappedValues(
  mapping: Record<string, number | string> | null,
  input: Record<string, unknown>,
  skip: readonly string[] = [],
): MappedValues {
  const custom: FieldAssignment[] = [];
  const builtIn: MappedValues['builtIn'] = {};
  for (const [onecField, target] of Object.entries(mapping ?? {})) {
    if (skip.includes(onecField) || !present(input[onecField])) continue;
    if (typeof target === 'string' && (BUILT_IN_TARGETS as readonly string[]).includes(target))
      builtIn[target as BuiltIn] = input[onecField];
    else custom.push({ field: target, value: input[onecField] });
  }
  return { custom, builtIn };
}

const REASONS: Record<string, string> = {
  UNKNOWN_FIELD: 'такого поля в amoCRM нет',
  UNKNOWN_ENUM: 'такого варианта в списке поля нет',
  INVALID_TYPE: 'значение не подходит по типу',
  UNSUPPORTED_TYPE: 'поле этого типа не поддерживается',
};

/**
 * custom_fields_values for the assignments. `source` names the 1C field behind each amoCRM field for messages.
 * Throws FIELD_REJECTED (400) listing every field that cannot take its value.
 */
export function buildValues(
  defs: readonly AmoCustomField[],
  assignments: readonly FieldAssignment[],
  source: (field: number | string) => string,
): AmoCustomFieldValueWrite[] {
  const built = buildCustomFieldsValues(defs, assignments);
  if (built.errors.length > 0)
    throw onecError(
      'FIELD_REJECTED',
      `Поля не записаны в amoCRM: ${built.errors.map((e) => `«${source(e.field)}» → ${fieldName(defs, e.field)}: ${REASONS[e.code] ?? e.code}`).join('; ')}`,
    );
  return built.values;
}

function fieldName(defs: readonly AmoCustomField[], field: number | string): string {
  const def = defs.find((d) => d.id === Number(field) || d.code === field);
  return def ? `«${def.name}» (${def.id})` : `поле ${String(field)}`;
}

/** Whether a created entity carries `value` in field `fieldId` (how a lost create is recognised by its id_1c). */
export function holds(
  entity: { custom_fields_values: ReadonlyArray<{ field_id: number; values?: ReadonlyArray<{ value?: unknown }> | null }> | null },
  fieldId: number,
  value: string,
): boolean {
  return (entity.custom_fields_values ?? []).some((f) => f.field_id === fieldId && (f.values ?? []).some((v) => String(v.value) === value));
}

/** A 1C number in a string ("125 000,50") as a number; undefined when empty. */
export function money(v: number | string | null | undefined): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') return v;
  return Number(v.replace(/\s/g, '').replace(',', '.'));
}

/** An id that may come as "", null, a number or a string of digits. */
export function amoId(v: number | string | null | undefined): number | undefined {
  return v === undefined || v === null || v === '' ? undefined : Number(v);
}

export function textOf(v: string | number | null | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = String(v).trim();
  return s === '' ? undefined : s;
}

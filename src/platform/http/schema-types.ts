// Two TypeBox shapes the contracts use instead of unions. fast-json-stringify writes an `anyOf` by running each
// branch's Ajv validator on the value (allocating an error object whenever a branch fails), while a type list or an
// `enum` costs it one typeof test. On the tracking list (50 rows, six nullable or enum fields each) the unions made
// about 40 % of all bytes a request allocated. Both shapes are plain JSON Schema 2020-12, as OpenAPI 3.1 reads it,
// and TypeBox's own Value.Check understands them through the registered kinds below.
import {
  Kind,
  Type,
  TypeRegistry,
  type SchemaOptions,
  type Static,
  type TInteger,
  type TSchema,
  type TString,
  type TUnsafe,
} from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** The schema a Nullable wraps, kept under a symbol so it never reaches Ajv, the serializer or the OpenAPI document. */
const INNER = Symbol('nullable inner schema');
const PRIMITIVES = ['string', 'number', 'integer', 'boolean'] as const;
type Primitive = (typeof PRIMITIVES)[number];

TypeRegistry.Set<{ enum: readonly string[] }>('StringEnum', (schema, value) => typeof value === 'string' && schema.enum.includes(value));
TypeRegistry.Set<{ [INNER]: TSchema }>('Nullable', (schema, value) => value === null || Value.Check(schema[INNER], value));

/** One of a closed set of strings: `{"type": "string", "enum": [...]}`. */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, [Kind]: 'StringEnum', type: 'string', enum: [...values] });
}

/** The schema or null: `{"type": ["integer", "null"], ...}`; an enum gains null among its values. */
export function Nullable<T extends TSchema>(schema: T, options: SchemaOptions = {}): TUnsafe<Static<T> | null> {
  const type = (schema as { type?: unknown }).type;
  if (!PRIMITIVES.includes(type as Primitive)) {
    throw new Error(`Nullable() takes a string, number, integer or boolean schema, not ${JSON.stringify(type)}`);
  }
  const { [Kind]: _kind, ...keywords } = schema as TSchema & { enum?: unknown[] };
  return Type.Unsafe<Static<T> | null>({
    ...keywords,
    ...options,
    [Kind]: 'Nullable',
    [INNER]: schema,
    type: [type as Primitive, 'null'],
    ...(keywords.enum ? { enum: [...keywords.enum, null] } : {}),
  });
}

// Strings and integers that can reach the database. PostgreSQL refuses U+0000 in text and jsonb (a 500 from a
// valid-looking request), jsonb refuses a lone UTF-16 surrogate (JSON.stringify writes it as a `\ud800` escape), and
// no field of ours has a use for the other C0 control characters except tab, line feed and carriage return in free
// text. Integers are bounded by what their column holds, so no value the schema accepts overflows a column or an
// OFFSET. The patterns are plain JSON Schema and mean the same with and without the `u` flag (Ajv uses it,
// TypeBox's Value.Check does not): a surrogate pair is one character in the first, two matching halves in the second.

const PAIR = '[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]';
/** No C0 control character, no lone surrogate: names, codes, ids, filters. */
export const NO_CONTROL_CHARS = `^(?:[^\\u0000-\\u001F\\uD800-\\uDFFF]|${PAIR})*$`;
/** The same, but tab, line feed and carriage return allowed: notes, answers, descriptions. */
export const NO_CONTROL_CHARS_BUT_WHITESPACE = `^(?:[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uD800-\\uDFFF]|${PAIR})*$`;

/** The largest id a bigint/bigserial column hands out that a JavaScript number still holds exactly. */
export const MAX_ID = Number.MAX_SAFE_INTEGER;

type StringOptions = Omit<SchemaOptions, 'pattern'> & { minLength?: number; maxLength: number; format?: string };

/** A one-line string: no control characters. `maxLength` is required, so every stored string is bounded. */
export function LineString(options: StringOptions & { pattern?: string }): TString {
  const { pattern, ...rest } = options;
  return Type.String({ ...rest, pattern: pattern ? alsoNoControlChars(pattern) : NO_CONTROL_CHARS });
}

/** Free text: tab, line feed and carriage return allowed, other control characters refused. */
export function TextString(options: StringOptions): TString {
  return Type.String({ ...options, pattern: NO_CONTROL_CHARS_BUT_WHITESPACE });
}

/**
 * A field's own pattern plus the control-character rule, as one pattern (a schema holds one): the lookahead
 * refuses control characters anywhere, then the field's pattern applies as written.
 */
export function alsoNoControlChars(pattern: string): string {
  return `^(?=${NO_CONTROL_CHARS.slice(1)})(?:${pattern})`;
}

/** An id in a bigint column (path ids, foreign ids): 1 … 2^53 − 1. */
export function IdInteger(options: SchemaOptions = {}): TInteger {
  return Type.Integer({ minimum: 1, maximum: MAX_ID, ...options });
}

// Two TypeBox shapes the contracts use instead of unions. fast-json-stringify writes an `anyOf` by running each
// branch's Ajv validator on the value (allocating an error object whenever a branch fails), while a type list or an
// `enum` costs it one typeof test. On the tracking list (50 rows, six nullable or enum fields each) the unions made
// about 40 % of all bytes a request allocated. Both shapes are plain JSON Schema 2020-12, as OpenAPI 3.1 reads it,
// and TypeBox's own Value.Check understands them through the registered kinds below.
import { Kind, Type, TypeRegistry, type SchemaOptions, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';
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

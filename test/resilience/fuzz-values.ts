// Values for the fuzzing suite, generated from the JSON Schemas of the OpenAPI document: valid ones (every keyword
// the hub's schemas use: types and type lists, enums, bounds, lengths, patterns, formats, records, unions) and
// hostile ones (wrong types, control characters, huge and non-finite numbers, deep nesting, lone surrogates),
// and a mutation that puts a hostile value somewhere inside a valid one.
import fc from 'fast-check';
import { alsoNoControlChars, NO_CONTROL_CHARS, NO_CONTROL_CHARS_BUT_WHITESPACE } from '../../src/platform/http/schema-types.js';
import { CUSTOMS_LINE, CUSTOMS_TEXT, Line } from '../../src/modules/customs/contract.js';

export type Schema = Record<string, unknown>;
type Json = unknown;

// eslint-disable-next-line no-control-regex -- control characters are what this replaces
const C0 = /[\u0000-\u001f]/g;
/** alsoNoControlChars(p) is `<head>p<tail>`: generators use p alone (fast-check reads no lookahead). */
const [HEAD, TAIL] = alsoNoControlChars('\u0001').split('\u0001') as [string, string];
/** The customs module's one-line strings wrap a field's pattern the same way, with its stricter character rule. */
const [CUSTOMS_HEAD, CUSTOMS_TAIL] = Line({ maxLength: 1, pattern: '\u0001' }).pattern!.split('\u0001') as [string, string];

function printable(min: number, max: number): fc.Arbitrary<string> {
  return fc
    .string({
      unit: fc.oneof(
        fc.constantFrom('a', 'Z', '7', ' ', '-', '_', '.', 'ж', 'Ё', '😀', '\u00a0'),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
      ),
      minLength: min,
      maxLength: max,
    })
    .map((s) => s.replace(C0, 'x'));
}

function fromPattern(pattern: string, min: number, max: number): fc.Arbitrary<string> {
  const inner =
    pattern.startsWith(HEAD) && pattern.endsWith(TAIL)
      ? pattern.slice(HEAD.length, -TAIL.length)
      : pattern.startsWith(CUSTOMS_HEAD) && pattern.endsWith(CUSTOMS_TAIL)
        ? pattern.slice(CUSTOMS_HEAD.length, -CUSTOMS_TAIL.length)
        : pattern;
  if (inner === NO_CONTROL_CHARS || inner === CUSTOMS_LINE) return printable(min, max);
  if (inner === NO_CONTROL_CHARS_BUT_WHITESPACE || inner === CUSTOMS_TEXT)
    return fc.oneof(printable(min, max), fc.constant('две\nстроки\tи\r'.slice(0, max)));
  // Not filtered to the length bounds: a value that misses them is one more invalid input, and a filter could spin.
  return fc.stringMatching(new RegExp(inner), { size: 'small' }).map((s) => s.replace(C0, 'x').slice(0, Math.max(max, min, 1)));
}

function integer(min: number, max: number): fc.Arbitrary<number> {
  const lo = Math.ceil(Math.max(min, Number.MIN_SAFE_INTEGER));
  const hi = Math.floor(Math.min(max, Number.MAX_SAFE_INTEGER));
  const edges = fc.constantFrom(lo, hi);
  if (lo >= -0x80000000 && hi <= 0x7fffffff) return fc.oneof(fc.integer({ min: lo, max: hi }), edges);
  // Small values are the likely ones (ids that exist); the rest of a wide range is sampled as doubles, never filtered.
  const smallLo = Math.max(lo, Math.min(-1000, hi - 2000));
  const small = fc.integer({ min: smallLo, max: Math.min(hi, smallLo + 2000) });
  const wide = fc.double({ min: lo, max: hi, noNaN: true }).map((x) => Math.min(hi, Math.max(lo, Math.round(x))));
  return fc.oneof(small, wide, edges);
}

function stringOf(s: Schema): fc.Arbitrary<string> {
  const min = (s.minLength as number | undefined) ?? 0;
  const max = Math.min((s.maxLength as number | undefined) ?? 50, 60);
  switch (s.format) {
    case 'date-time':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'date':
      return fc
        .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'uuid':
      return fc.uuid();
    case 'uri':
      return fc.constantFrom('http://127.0.0.1:9/hook', 'https://example.com/x');
  }
  if (typeof s.pattern === 'string') return fromPattern(s.pattern, min, Math.max(min, max));
  return printable(min, Math.max(min, max));
}

/** A value the schema accepts (as far as the keywords above go; `known` ids are offered for integers too). */
export function validValue(s: Schema | undefined, known: readonly number[] = [], depth = 0): fc.Arbitrary<Json> {
  if (!s || depth > 8) return fc.constant(null);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as Json[]));
  if ('const' in s) return fc.constant(s.const);
  const union = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (union) return fc.oneof(...union.map((b) => validValue(b, known, depth + 1)));
  if (Array.isArray(s.type)) return fc.oneof(...(s.type as string[]).map((t) => validValue({ ...s, type: t }, known, depth)));
  switch (s.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const range = integer((s.minimum as number | undefined) ?? -1e6, (s.maximum as number | undefined) ?? 1e6);
      const ids = known.filter(
        (n) => n >= ((s.minimum as number | undefined) ?? -Infinity) && n <= ((s.maximum as number | undefined) ?? Infinity),
      );
      return ids.length ? fc.oneof(fc.constantFrom(...ids), range) : range;
    }
    case 'number': {
      const min = (s.minimum as number | undefined) ?? -1e9;
      const max = (s.maximum as number | undefined) ?? 1e9;
      return fc.oneof(
        fc.double({ min, max, noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom(min, max),
        integer(Math.ceil(min), Math.floor(max)),
      );
    }
    case 'string':
      return stringOf(s);
    case 'array': {
      const min = (s.minItems as number | undefined) ?? 0;
      return fc.array(validValue(s.items as Schema, known, depth + 1), {
        minLength: min,
        maxLength: Math.max(min, Math.min((s.maxItems as number | undefined) ?? 3, 3)),
      });
    }
    case 'object':
    default:
      return objectOf(s, known, depth);
  }
}

function objectOf(s: Schema, known: readonly number[], depth: number): fc.Arbitrary<Json> {
  const props = (s.properties ?? {}) as Record<string, Schema>;
  const required = (s.required ?? []) as string[];
  const model = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, validValue(v, known, depth + 1)]));
  const base = fc.record(model, { requiredKeys: required.filter((k) => k in props) });
  const patterns = Object.entries((s.patternProperties ?? {}) as Record<string, Schema>);
  const minProps = (s.minProperties as number | undefined) ?? 0;
  if (patterns.length === 0) return base.filter((o) => Object.keys(o as object).length >= minProps);
  const extra = fc.oneof(
    ...patterns.map(([p, v]) => fc.dictionary(fromPattern(p, 1, 20), validValue(v, known, depth + 1), { maxKeys: 3 })),
  );
  return fc.tuple(base, extra).map(([a, b]) => ({ ...(b as object), ...(a as object) }));
}

export function nested(depth: number): Json {
  let v: Json = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** Values no schema of ours accepts where it stands, or accepts only at the edge. */
export const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    true,
    false,
    null,
    0,
    -1,
    -0,
    1.5,
    1e308,
    -1e308,
    2 ** 53,
    2 ** 53 + 2,
    2 ** 63,
    1e21,
    '0x12F',
    '1e400',
    'Infinity',
    '-Infinity',
    'NaN',
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\u0001\u0007\u001b\u001f',
    'tab\there',
    '\ud800',
    '\udfff\ud800',
    '\uffff\ufffe',
    '%00',
    "' or 1=1 --",
    '$(reboot)',
    [],
    {},
    [null],
    JSON.parse('{"__proto__":{"polluted":true}}') as Json,
    { constructor: { prototype: { polluted: true } } },
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 66, max: 3000 }).map(nested),
  fc.integer({ min: 1001, max: 12_000 }).map((n) => 'x'.repeat(n)),
  fc.double(),
);

/** Replaces one value somewhere inside `value` (or the whole of it) with a hostile one, or adds an unknown key. */
export function mutate(value: Json): fc.Arbitrary<Json> {
  const paths: Array<Array<string | number>> = [[]];
  const walk = (v: Json, path: Array<string | number>, depth: number) => {
    if (depth > 6 || v === null || typeof v !== 'object') return;
    for (const [k, child] of Object.entries(v as object)) {
      const p = [...path, Array.isArray(v) ? Number(k) : k];
      paths.push(p);
      walk(child, p, depth + 1);
    }
  };
  walk(value, [], 0);
  return fc.tuple(fc.constantFrom(...paths), hostileValue, fc.boolean()).map(([path, hostile, addKey]) => {
    const copy = structuredClone(value) as Json;
    if (path.length === 0)
      return addKey && copy && typeof copy === 'object' && !Array.isArray(copy) ? { ...copy, 'unknown\u0000key': hostile } : hostile;
    let parent = copy as Record<string | number, Json>;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
    parent[path[path.length - 1]!] = hostile;
    return copy;
  });
}

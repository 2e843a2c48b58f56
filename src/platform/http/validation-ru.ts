// Ajv's validation errors in Russian, for every module whose partner reads Russian (quiz, tracking, 1C, customs,
// SAMBA): one translation by keyword and parameters, so a client reads "отсутствует обязательное поле «name»"
// rather than "must have required property 'name'" — or, worse, a parameter object printed as [object Object].
// Keywords not listed keep Ajv's English text after the field name.
import type { FastifySchemaValidationError } from 'fastify';

type AjvError = Pick<FastifySchemaValidationError, 'instancePath' | 'keyword' | 'message'> & { readonly params?: Record<string, unknown> };

/** The field an error is about, dotted (`contact.phone`, `answers.0.value`). */
function fieldOf(e: AjvError): string {
  const path = (e.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const missing = e.params?.missingProperty;
  return typeof missing === 'string' ? (path ? `${path}.${missing}` : missing) : path;
}

const TYPES: Record<string, string> = {
  string: 'строка',
  integer: 'целое число',
  number: 'число',
  boolean: 'true или false',
  object: 'объект',
  array: 'массив',
  null: 'null',
};

const show = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** One Ajv error as a Russian phrase; `part` is where it was found (Fastify's validationContext: body, querystring…). */
export function russianValidationError(e: AjvError, part?: string): string {
  const p = e.params ?? {};
  const name = fieldOf(e);
  const at = name ? `поле «${name}»: ` : '';
  switch (e.keyword) {
    case 'required':
      return `отсутствует обязательное поле «${name}»`;
    case 'additionalProperties':
      // A query string is a flat list of parameters: "field" there would send a client looking in its JSON.
      if (part === 'querystring' && !name) return `неизвестный параметр запроса «${String(p.additionalProperty)}»`;
      return `${name ? `в «${name}» ` : ''}лишнее поле «${String(p.additionalProperty)}»`;
    case 'propertyNames':
      return `${at}недопустимое имя поля «${String(p.propertyName)}»`;
    case 'type': {
      const types = String(p.type)
        .split(',')
        .map((t) => TYPES[t] ?? t);
      return `${at}ожидается ${types.join(' или ')}`;
    }
    case 'enum':
      return `${at}допустимые значения: ${(p.allowedValues as unknown[] | undefined)?.map(show).join(', ') ?? ''}`;
    case 'const':
      return `${at}допустимое значение: ${show(p.allowedValue)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${at}значение должно быть ${String(p.comparison)} ${String(p.limit)}`;
    case 'minLength':
      return `${at}длина не меньше ${String(p.limit)}`;
    case 'maxLength':
      return `${at}длина не больше ${String(p.limit)}`;
    case 'minItems':
      return `${at}элементов не меньше ${String(p.limit)}`;
    case 'maxItems':
      return `${at}элементов не больше ${String(p.limit)}`;
    case 'minProperties':
      return name ? `${at}полей не меньше ${String(p.limit)}` : `нужно хотя бы ${String(p.limit)} поле(й)`;
    case 'maxProperties':
      return `${at}полей не больше ${String(p.limit)}`;
    case 'uniqueItems':
      return `${at}элементы повторяются (№ ${String(p.j)} и № ${String(p.i)})`;
    case 'multipleOf':
      return `${at}значение должно быть кратно ${String(p.multipleOf)}`;
    case 'format':
      return `${at}ожидается формат ${String(p.format)}`;
    case 'pattern':
      // The regular expression itself means nothing to a 1C operator or a quiz builder; the field's description in
      // the OpenAPI document says what is expected.
      return String(p.pattern).includes('\\u0000')
        ? `${at}недопустимые символы (управляющие символы, U+0000 и одиночные суррогаты запрещены) или неверный формат`
        : `${at}недопустимые символы или неверный формат`;
    case 'maxDepth': // not Ajv's: the JSON parser's nesting limit (body.ts), shaped like a schema violation
      return `вложенность JSON больше ${String(p.limit)} уровней`;
    case 'anyOf':
    case 'oneOf':
      return `${at}значение не подходит ни под один из допустимых вариантов`;
    default:
      return `${at}${e.message ?? 'некорректное значение'}`;
  }
}

/** Every error of one failed validation, joined; the branch errors an `anyOf`/`oneOf` explains are left out. */
export function russianValidation(errors: readonly AjvError[], part?: string): string {
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const kept = errors.filter((e) => unions.includes(e) || !unions.some((u) => (e.instancePath ?? '').startsWith(u.instancePath ?? '')));
  return [...new Set(kept.map((e) => russianValidationError(e, part)))].join('; ');
}

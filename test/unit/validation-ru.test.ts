// The platform's Russian rendering of Ajv's errors: every keyword the hub's schemas use reads as Russian.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
import { russianValidation } from '../../src/platform/http/validation-ru.js';

const ajv = new Ajv({ allErrors: true });
const errorsOf = (schema: object, value: unknown) => {
  const validate = ajv.compile(schema);
  assert.equal(validate(value), false);
  return russianValidation(validate.errors!);
};

test('each keyword as a Russian phrase naming the field', () => {
  const schema = {
    type: 'object',
    required: ['name', 'inn'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 5 },
      inn: { type: 'string', pattern: '^\\d{10}$' },
      count: { type: 'integer', minimum: 1 },
      status: { enum: ['pending', 'issued'] },
      tags: { type: 'array', maxItems: 1, uniqueItems: true },
      map: { type: 'object', propertyNames: { pattern: '^\\d+$' } },
    },
  };
  const text = errorsOf(schema, { name: '', inn: '12', count: 0.5, status: 'lost', tags: [1, 1], map: { x: 1 }, extra: { a: 1 } });
  for (const phrase of [
    'поле «name»: длина не меньше 1',
    'поле «inn»: недопустимые символы или неверный формат',
    'поле «count»: ожидается целое число',
    'поле «status»: допустимые значения: pending, issued',
    'поле «tags»: элементов не больше 1',
    'лишнее поле «extra»',
    'поле «map»: недопустимое имя поля «x»',
  ])
    assert.ok(text.includes(phrase), `${phrase}\n  in: ${text}`);
  assert.doesNotMatch(text, /\bmust\b|\[object Object\]/);
  assert.equal(errorsOf(schema, { inn: '1234567890' }), 'отсутствует обязательное поле «name»');
  assert.equal(
    errorsOf({ type: 'object', properties: { a: { type: ['string', 'null'] } } }, { a: 1 }),
    'поле «a»: ожидается строка или null',
  );
});

test('a failed anyOf reads as one phrase, not as every branch that did not match', () => {
  const text = errorsOf(
    { type: 'object', properties: { id: { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^x' }] } } },
    { id: true },
  );
  assert.equal(text, 'поле «id»: значение не подходит ни под один из допустимых вариантов');
});

test('an unknown query parameter is named as a parameter, and the seed’s {"QuestionID":{…}} map shape reads without [object Object]', () => {
  const query = { type: 'object', additionalProperties: false, properties: { page: { type: 'integer' } } };
  const validate = ajv.compile(query);
  assert.equal(validate({ status: 'pending' }), false);
  assert.equal(russianValidation(validate.errors!, 'querystring'), 'неизвестный параметр запроса «status»');
  assert.equal(russianValidation(validate.errors!, 'body'), 'лишнее поле «status»');
  const map = { type: 'object', additionalProperties: false, patternProperties: { '^\\d+$': { type: 'integer' } } };
  const text = errorsOf({ type: 'object', properties: { Lead: { type: 'array', items: map } } }, { Lead: [{ QuestionID: { 1: 2 } }] });
  assert.equal(text, 'в «Lead.0» лишнее поле «QuestionID»');
});

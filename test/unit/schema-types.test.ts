// Nullable and StringEnum: plain JSON Schema type lists and enums (no anyOf, which fast-json-stringify serialises
// by running Ajv on every value), understood by Ajv with coercion, by TypeBox's Value.Check (the import uses it) and
// kept out of the OpenAPI document's wire form except as standard keywords.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { Ajv } from 'ajv';
import { Nullable, StringEnum } from '../../src/platform/http/schema-types.js';
import { TrackingList } from '../../src/modules/tracking/contract.js';

const Status = StringEnum(['pending', 'sent'], { description: 'состояние' });
const Row = Type.Object({
  status: Status,
  previous: Nullable(Status),
  amount: Nullable(Type.Number({ minimum: 0 })),
  note: Type.Optional(Nullable(Type.String({ maxLength: 3 }))),
});

test('the wire form is a type list or an enum, with the inner keywords kept', () => {
  assert.deepEqual(JSON.parse(JSON.stringify(Row)).properties, {
    status: { description: 'состояние', type: 'string', enum: ['pending', 'sent'] },
    previous: { description: 'состояние', type: ['string', 'null'], enum: ['pending', 'sent', null] },
    amount: { minimum: 0, type: ['number', 'null'] },
    note: { maxLength: 3, type: ['string', 'null'] },
  });
  assert.equal(JSON.stringify(TrackingList).includes('anyOf'), false, 'the tracking list serialises without anyOf');
  assert.throws(() => Nullable(Type.Object({})), /string, number, integer or boolean/);
});

test('Value.Check and Ajv (with the server’s coercion) agree on what is valid', () => {
  const ajv = new Ajv({ coerceTypes: 'array', allowUnionTypes: true });
  const validate = ajv.compile(JSON.parse(JSON.stringify(Row)));
  const cases: Array<[unknown, boolean]> = [
    [{ status: 'pending', previous: null, amount: null }, true],
    [{ status: 'sent', previous: 'pending', amount: 1.5, note: 'abc' }, true],
    [{ status: 'sent', previous: null, amount: 0, note: null }, true],
    [{ status: 'lost', previous: null, amount: null }, false],
    [{ status: 'sent', previous: 'lost', amount: null }, false],
    [{ status: 'sent', previous: null, amount: -1 }, false],
    [{ status: 'sent', previous: null, amount: null, note: 'abcd' }, false],
    [{ status: 'sent', previous: null }, false],
  ];
  for (const [value, valid] of cases) {
    assert.equal(Value.Check(Row, value), valid, `Value.Check ${JSON.stringify(value)}`);
    assert.equal(validate(structuredClone(value)), valid, `Ajv ${JSON.stringify(value)}`);
  }
  // Coercion as in query strings: a numeric string becomes a number, null stays null rather than becoming 0.
  const coerced = { status: 'sent', previous: null, amount: '2.5' as unknown };
  assert.equal(validate(coerced), true);
  assert.deepEqual(coerced, { status: 'sent', previous: null, amount: 2.5 });
});

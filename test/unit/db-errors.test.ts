// Which database failures answer 503 (the database is away: retry) and which stay 500 (the statement failed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { isDatabaseUnavailable } from '../../src/platform/db/errors.js';

const sqlError = (code: string, message = 'server says no') => Object.assign(new Error(message), { code, severity: 'FATAL' });
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

test('connection-level failures are "unavailable", wrapped or not', () => {
  const unavailable: Array<[string, unknown]> = [
    ['refused', refused()],
    ['refused on every address (AggregateError)', Object.assign(new AggregateError([refused(), refused()], ''), { code: 'ECONNREFUSED' })],
    ['refused, inside drizzle', new DrizzleQueryError('select 1', [], new AggregateError([refused()], ''))],
    ['reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['admin shutdown 57P01', sqlError('57P01', 'terminating connection due to administrator command')],
    ['starting up 57P03', sqlError('57P03', 'the database system is starting up')],
    ['too many connections 53300', sqlError('53300')],
    ['connection exception class 08', sqlError('08006')],
    ['connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['pool wait timed out', new Error('timeout exceeded when trying to connect')],
    ['PGlite closed', new DrizzleQueryError('select 1', [], new Error('PGlite is closed'))],
  ];
  for (const [name, err] of unavailable) assert.equal(isDatabaseUnavailable(err), true, name);
});

test('a failing statement is not "unavailable", even when its values spell the words', () => {
  const failing: Array<[string, unknown]> = [
    ['unique violation', sqlError('23505', 'duplicate key value violates unique constraint "x"')],
    ['syntax error', sqlError('42601')],
    ['data exception', sqlError('22P02', 'invalid input syntax for type integer: "Connection terminated"')],
    ['values quoted by drizzle', new DrizzleQueryError('insert …', ['PGlite is closed'], sqlError('23505'))],
    ['a plain bug', new TypeError('Cannot read properties of undefined')],
    ['not an error', 'ECONNREFUSED'],
  ];
  for (const [name, err] of failing) assert.equal(isDatabaseUnavailable(err), false, name);
});

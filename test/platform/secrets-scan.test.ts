// The scan every test hub runs at close (test/helpers/secrets-scan.ts) finds what it must: shown here on a hub
// made to leak on purpose, in its logs and in a table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testHub, TEST_ADMIN_TOKEN } from '../helpers/hub.js';
import { findSecrets, scanHub, secretValues } from '../helpers/secrets-scan.js';
import { settingGroups } from '../../src/app.js';

test('the secret scan finds tokens, keys and secret settings in logs and tables, and nothing in a clean hub', async (t) => {
  const h = await testHub(t, { skipSecretScan: true, env: { QUIZ_JWT_SECRET: 'quiz-jwt-secret-0123456789' } });
  const known = [TEST_ADMIN_TOKEN, ...secretValues({ QUIZ_JWT_SECRET: 'quiz-jwt-secret-0123456789', PORT: '8080' }, settingGroups())];
  assert.deepEqual(known, [TEST_ADMIN_TOKEN, 'quiz-jwt-secret-0123456789'], 'only values of settings marked secret');
  assert.deepEqual(await scanHub({ logs: h.logs, database: h.hub.database, known }), [], 'a fresh hub is clean');

  h.hub.log.info({ key: `tb_${'a'.repeat(32)}` }, 'oops');
  await h.hub.database.query('create table leak_probe (v text)');
  await h.hub.database.query('insert into leak_probe values ($1), ($2)', [`whsec_${'Q'.repeat(32)}`, 'x quiz-jwt-secret-0123456789 y']);
  const found = await scanHub({ logs: h.logs, database: h.hub.database, known });
  assert.ok(
    found.some((p) => p.startsWith('logs: tracking API key')),
    found.join('\n'),
  );
  assert.ok(found.some((p) => p.startsWith('table "public"."leak_probe": webhook signing secret')));
  assert.ok(found.some((p) => p.startsWith('table "public"."leak_probe": a secret setting value')));
});

test('credential shapes: amoCRM tokens and bearer JWTs are found, prefixes and hashes are not', () => {
  const jwt = ['eyJhbGciOiJIUzI1NiJ9', 'eyJhY2NvdW50X2lkIjoxfQ', 'c2lnbmF0dXJlLWJ5dGVzLWhlcmU'].join('.');
  assert.equal(findSecrets(`Bearer ${jwt}`, []).length, 1);
  assert.equal(findSecrets(`def50200${'ab'.repeat(40)}`, []).length, 1);
  assert.deepEqual(findSecrets('tb_abcde (prefix), sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', []), []);
});

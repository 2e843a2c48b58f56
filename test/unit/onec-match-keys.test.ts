// What makes a 1C counterparty the same as an amoCRM entity: phone and e-mail normalisation, ИНН/УНП control
// digits, and the keys read from amoCRM's custom field values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidInn, isValidKpp, isValidUnp } from '../../src/platform/rules/requisites.js';
import { keysFromAmo, keysFromOnec, normaliseEmail, normalisePhone } from '../../src/modules/onec-sync/match-keys.js';

test('ИНН: 10 and 12 digits with their control digits; УНП: 9 digits; КПП: format', () => {
  for (const inn of ['7707083893', '500100732259', '7736050003']) assert.ok(isValidInn(inn), inn);
  for (const inn of ['7707083894', '500100732258', '770708389', '77070838931', 'abcdefghij', '']) assert.ok(!isValidInn(inn), inn);
  assert.ok(isValidUnp('100582333'));
  assert.ok(!isValidUnp('100582334'));
  assert.ok(isValidKpp('773601001'));
  assert.ok(isValidKpp('7736AB001'));
  assert.ok(!isValidKpp('77360100'));
});

test('phones compare by digits, Russian trunk forms included; e-mails case-insensitively', () => {
  assert.equal(normalisePhone('+7 (999) 123-45-67'), '79991234567');
  assert.equal(normalisePhone('8 999 123 45 67'), '79991234567');
  assert.equal(normalisePhone('9991234567'), '79991234567');
  assert.equal(normalisePhone('+375 29 123-45-67'), '375291234567');
  assert.equal(normalisePhone('12-34'), undefined);
  assert.equal(normaliseEmail(' Ivanov@Example.RU '), 'ivanov@example.ru');
  assert.equal(normaliseEmail('not an email'), undefined);
});

test('1C sends several phones in one string; duplicates and invalid ИНН drop out', () => {
  const keys = keysFromOnec({ phone: '+7 999 123-45-67; 8 (999) 1234567, 8 912 000 11 22', email: 'a@b.ru', inn: '7707083894' });
  assert.deepEqual(
    keys.map((k) => `${k.kind}:${k.value}`),
    ['phone:79991234567', 'phone:79120001122', 'email:a@b.ru'],
  );
  assert.equal(keys[0]!.raw, '+7 999 123-45-67');
});

test('amoCRM keys: a contact’s PHONE and EMAIL; a company’s valid ИНН in any text field, not in its phones', () => {
  const contact = keysFromAmo('contacts', [
    { field_code: 'PHONE', values: [{ value: '+7 999 123-45-67' }, { value: '8 912 000 11 22' }] },
    { field_code: 'EMAIL', values: [{ value: 'A@B.ru' }] },
    { field_code: null, values: [{ value: '7707083893' }] },
  ]);
  assert.deepEqual(
    contact.map((k) => `${k.kind}:${k.value}`),
    ['phone:79991234567', 'phone:79120001122', 'email:a@b.ru'],
  );
  const company = keysFromAmo('companies', [
    { field_code: 'PHONE', values: [{ value: '7707083893' }] },
    { field_code: null, values: [{ value: ' 7707083893 ' }, { value: 'ООО' }] },
    { field_code: null, values: null },
  ]);
  assert.deepEqual(
    company.map((k) => `${k.kind}:${k.value}`),
    ['inn:7707083893'],
  );
});

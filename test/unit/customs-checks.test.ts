// The customs module's pure pieces: VIN check digits, the ИНН checksum, decimal places and formatting, splitting a
// description into the album's 250-character parts, and finding the request field of an XSD complaint's line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decimalsOf, innValid, vinCheckDigit } from '../../src/modules/customs/checks.js';
import { decimal, fold, parts } from '../../src/modules/customs/ptd-builder.js';
import { fieldAtLine } from '../../src/modules/customs/ptd.js';
import { COUNTRIES, CURRENCIES } from '../../src/modules/customs/codes.js';

test('the North-American VIN check digit (49 CFR 565); other VINs have none', () => {
  assert.equal(vinCheckDigit('1HGCM82633A004352'), '3');
  assert.equal(vinCheckDigit('1M8GDM9AXKP042788'), 'X');
  assert.equal(vinCheckDigit('11111111111111111'), '1');
  assert.equal(vinCheckDigit('1HGCM82653A004352'), '3', 'the 9th character is what is checked, not used');
  assert.equal(vinCheckDigit('JTDBR32E720123456'), null, 'a Japanese VIN');
  assert.equal(vinCheckDigit('WVWZZZ1JZXW000001'), null, 'a European VIN');
});

test('ИНН: 12 digits (a person) and 10 (an organisation) with their control digits', () => {
  assert.equal(innValid('500100732259'), true);
  assert.equal(innValid('500100732250'), false);
  assert.equal(innValid('500100732269'), false, 'the first control digit');
  assert.equal(innValid('7707083893'), true);
  assert.equal(innValid('7707083894'), false);
  assert.equal(innValid('77070838'), false);
});

test('decimal places are counted as JSON wrote them, and written with a dot, no exponent, no trailing zeros', () => {
  assert.deepEqual([1, 1.5, 72.1, 0.01, 10.001, 1e-6, 1.5e-7, 123456.123456].map(decimalsOf), [0, 1, 1, 2, 3, 6, 8, 6]);
  assert.deepEqual(
    [
      [1797, 6],
      [72.1, 2],
      [0.000001, 6],
      [100, 2],
      [1e15, 2],
      [160.5, 2],
    ].map(([x, p]) => decimal(x!, p!)),
    ['1797', '72.1', '0.000001', '100', '1000000000000000', '160.5'],
  );
});

test('a description is split at spaces into at most four parts of 250 characters, never inside a surrogate pair', () => {
  assert.equal(fold(' a\r\n\tb  c '), 'a b c');
  const words = Array.from({ length: 110 }, (_, i) => `слово${i}`).join(' ');
  assert.ok(Array.from(words).length <= 1000 && Array.from(words).length > 750);
  const split = parts(words, 250, 4);
  assert.ok(split.length <= 4 && split.every((p) => Array.from(p).length <= 250));
  assert.equal(split.join(' '), words);
  const emoji = '🎂'.repeat(1000);
  const hard = parts(emoji, 250, 4);
  assert.deepEqual(
    hard.map((p) => Array.from(p).length),
    [250, 250, 250, 250],
  );
  assert.ok(hard.every((p) => p === '🎂'.repeat(250)));
  assert.deepEqual(parts(`${'x'.repeat(300)} y`, 250, 4), ['x'.repeat(250), `${'x'.repeat(50)} y`], 'a word longer than a part is cut');
});

test("an XSD complaint's line is the element it names, and that element's request field", () => {
  const xml = '<?xml version="1.0"?>\n<a>\n  <b>1</b>\n  <c>\n    <d>2</d>\n  </c>\n</a>';
  const fields = ['', 'b.field', 'c.field', 'd.field'];
  assert.deepEqual(
    [2, 3, 4, 5, 6].map((line) => fieldAtLine(xml, fields, line)),
    ['', 'b.field', 'c.field', 'd.field', 'd.field'],
  );
});

test('the code lists hold the officially assigned codes', () => {
  assert.equal(COUNTRIES.size, 249);
  assert.ok(['RU', 'JP', 'KR', 'CN', 'DE', 'AE', 'BY', 'KZ'].every((c) => COUNTRIES.has(c)));
  assert.ok(!COUNTRIES.has('XX') && !COUNTRIES.has('SU') && !COUNTRIES.has('UK'));
  assert.ok(['RUB', 'JPY', 'USD', 'EUR', 'CNY', 'KRW', 'AED', 'BYN', 'KZT'].every((c) => CURRENCIES.has(c)));
  assert.ok(!CURRENCIES.has('RUR') && !CURRENCIES.has('XAU') && !CURRENCIES.has('ABC'));
});

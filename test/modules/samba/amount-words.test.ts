// test-lane: no-database (run once, on the PGlite lane: nothing here opens the hub's database)
// «Сумма прописью»: noun agreement (рубль/рубля/рублей, тысяча/тысячи/тысяч), feminine thousands, teens, empty
// groups, kopecks in digits, and the sums of the seed's examples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { amountInWords, numberInWords, plural, RUBLE } from '../../../src/modules/samba/amount-words.js';

test('numbers in words: genders, teens, empty groups, scales', () => {
  const cases: Array<[number, string]> = [
    [0, 'ноль'],
    [1, 'один'],
    [11, 'одиннадцать'],
    [19, 'девятнадцать'],
    [20, 'двадцать'],
    [21, 'двадцать один'],
    [100, 'сто'],
    [101, 'сто один'],
    [212, 'двести двенадцать'],
    [999, 'девятьсот девяносто девять'],
    [1000, 'одна тысяча'],
    [2000, 'две тысячи'],
    [5000, 'пять тысяч'],
    [11_000, 'одиннадцать тысяч'],
    [21_001, 'двадцать одна тысяча один'],
    [1_000_000, 'один миллион'],
    [2_000_001, 'два миллиона один'],
    [1_000_000_000, 'один миллиард'],
    [5_001_002_003, 'пять миллиардов один миллион две тысячи три'],
    [1_000_000_000_000, 'один триллион'],
  ];
  for (const [n, words] of cases) assert.equal(numberInWords(n), words, String(n));
  assert.equal(numberInWords(2, 'f'), 'две');
  assert.throws(() => numberInWords(-1), RangeError);
  assert.throws(() => numberInWords(1.5), RangeError);
});

test('рубль, рубля, рублей by the last two digits', () => {
  const forms = [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 112, 1001].map((n) => plural(n, RUBLE));
  assert.deepEqual(forms, [
    'рублей',
    'рубль',
    'рубля',
    'рубля',
    'рублей',
    'рублей',
    'рублей',
    'рублей',
    'рубль',
    'рубля',
    'рублей',
    'рубль',
    'рублей',
    'рублей',
    'рубль',
  ]);
});

test('amounts: capital letter, kopecks in two digits, the seed sums', () => {
  assert.equal(amountInWords(6_000_000), 'Шестьдесят тысяч рублей 00 копеек');
  assert.equal(amountInWords(1_972_997), 'Девятнадцать тысяч семьсот двадцать девять рублей 97 копеек');
  assert.equal(amountInWords(43_670_438), 'Четыреста тридцать шесть тысяч семьсот четыре рубля 38 копеек');
  assert.equal(amountInWords(101), 'Один рубль 01 копейка');
  assert.equal(amountInWords(222), 'Два рубля 22 копейки');
  assert.equal(amountInWords(0), 'Ноль рублей 00 копеек');
  assert.equal(amountInWords(-150), 'Минус один рубль 50 копеек');
  assert.equal(
    amountInWords(100_000_000_000_000 - 1),
    'Девятьсот девяносто девять миллиардов девятьсот девяносто девять миллионов девятьсот девяносто девять тысяч девятьсот девяносто девять рублей 99 копеек',
  );
});

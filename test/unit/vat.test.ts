// The shared VAT rule (src/platform/rules/vat.ts): the rate by the document date, per-line rounding to the kopeck
// like 1C, the document's sums as sums of lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  kopecksOf,
  lineAmount,
  milliOf,
  rublesText,
  vatDocument,
  vatIncluded,
  vatLine,
  vatOnTop,
  vatRateOn,
} from '../../src/platform/rules/vat.js';

test('the rate follows the document date: 20 % to 2025-12-31, 22 % from 2026-01-01', () => {
  assert.equal(vatRateOn('2025-12-31'), 20);
  assert.equal(vatRateOn('2025-12-31T23:59:59'), 20, "1C's date-time form, the last second of 2025");
  assert.equal(vatRateOn('2026-01-01'), 22);
  assert.equal(vatRateOn('2026-01-01T00:00:00'), 22);
  assert.equal(vatRateOn('2019-01-01'), 20);
  assert.throws(() => vatRateOn('01.01.2026'), RangeError, 'a date in another spelling is refused, not misread');
});

test('VAT included: 305 ₽ at 22 % is 55 ₽; halves round away from zero', () => {
  assert.equal(vatIncluded(30_500, 22), 5_500);
  assert.equal(vatIncluded(12_000, 20), 2_000);
  assert.equal(vatIncluded(3, 20), 1, '0.5 kopeck rounds up');
  assert.equal(vatIncluded(2, 20), 0, '0.33 kopeck rounds down');
  assert.equal(vatIncluded(-3, 20), -1, 'a negative half rounds away from zero');
  assert.equal(vatIncluded(10_000, 22), 1_803, '100 ₽ · 22/122 = 18.0327… → 18.03');
  assert.equal(vatIncluded(10_000, null), 0, 'без НДС');
  assert.equal(vatIncluded(10_000, 0), 0);
});

test('VAT on top: amount · rate / 100, rounded half up', () => {
  assert.equal(vatOnTop(25_000, 22), 5_500);
  assert.equal(vatOnTop(5, 10), 1, '0.5 kopeck → 1');
  assert.equal(vatOnTop(4, 10), 0);
  assert.equal(vatOnTop(1, 22), 0, '0.22 kopeck → 0');
  assert.equal(vatOnTop(3, 20), 1, '0.6 kopeck → 1');
});

test('a line: price × quantity rounded to the kopeck, then its VAT', () => {
  assert.equal(lineAmount(33_333, 1_500), 50_000, '333.33 × 1.5 = 499.995 → 500.00');
  const incl = vatLine({ priceKop: 30_500, quantityMilli: 2_000, rate: 22 }, true);
  assert.deepEqual([incl.amountKop, incl.vatKop, incl.totalKop], [61_000, 11_000, 61_000]);
  const top = vatLine({ priceKop: 25_000, quantityMilli: 2_000, rate: 22 }, false);
  assert.deepEqual([top.amountKop, top.vatKop, top.totalKop], [50_000, 11_000, 61_000]);
});

test('the document: VAT is the sum of per-line roundings, not the rounding of the sum', () => {
  // Three lines of 0.03 ₽ at 20 % included: each line's VAT is 0.005 → 0.01; the sum is 0.03, while the VAT of
  // the 0.09 ₽ total would be 0.015 → 0.02. 1C shows 0.03, as do we.
  const doc = vatDocument(
    [1, 2, 3].map(() => ({ priceKop: 3, quantityMilli: 1_000, rate: 20 })),
    true,
  );
  assert.equal(doc.totalKop, 9);
  assert.equal(doc.vatKop, 3);
  assert.equal(vatIncluded(doc.totalKop, 20), 2, 'what a total-level rounding would have given');
  const mixed = vatDocument(
    [
      { priceKop: 30_500, quantityMilli: 1_000, rate: 22 },
      { priceKop: 10_000, quantityMilli: 1_000, rate: null },
    ],
    false,
  );
  assert.equal(mixed.vatKop, 6_710, '305 · 0.22 = 67.10, the «без НДС» line adds none');
  assert.equal(mixed.totalKop, 30_500 + 6_710 + 10_000);
});

test('money and quantities from callers: at most two (three) decimals, never rounded', () => {
  assert.equal(kopecksOf('305'), 30_500);
  assert.equal(kopecksOf('305.5'), 30_550);
  assert.equal(kopecksOf('305,05'), 30_505);
  assert.equal(kopecksOf(19729.97), 1_972_997);
  assert.equal(kopecksOf('1.005'), undefined);
  assert.equal(kopecksOf(0.1 + 0.2), undefined, '0.30000000000000004 is not a sum of money');
  assert.equal(kopecksOf('abc'), undefined);
  assert.equal(milliOf(1.5), 1_500);
  assert.equal(milliOf('2'), 2_000);
  assert.equal(milliOf('0.0005'), undefined);
  assert.equal(rublesText(30_500), '305.00');
  assert.equal(rublesText(5), '0.05');
  assert.equal(rublesText(-3), '-0.03');
});

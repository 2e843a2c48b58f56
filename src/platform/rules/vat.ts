// НДС (VAT) as 1C computes it, shared by every module that makes invoices (SAMBA, customs). Facts:
// ../shared/reference/onec-tax-invoices-tracking.md §3.2 — 20 % before 2026-01-01, 22 % from then (425-ФЗ); the rate
// follows the document date; VAT is computed per line and rounded to the kopeck, the document's VAT and total are the
// sums of its lines (never recomputed from the total, which can differ by a kopeck per line). Integers only: money
// is in kopecks, quantities in thousandths (1C's quantity has 3 decimals), products in BigInt where they may exceed
// 2^53.

/** The general rates 1C offers on a line; `null` is «Без НДС». */
export type VatRate = 0 | 10 | 20 | 22;
export const VAT_RATES: readonly VatRate[] = [0, 10, 20, 22];

/** The day the general rate became 22 %. */
export const VAT_22_FROM = '2026-01-01';

/**
 * The general rate (percent) on a date: 20 before 2026-01-01, 22 from then. `date` starts with `YYYY-MM-DD`
 * (a date, or 1C's `YYYY-MM-DDTHH:mm:ss`); compared as text, which orders such dates correctly.
 */
export function vatRateOn(date: string): 20 | 22 {
  if (!/^\d{4}-\d{2}-\d{2}/.test(date)) throw new RangeError(`vatRateOn: expected YYYY-MM-DD…, got "${date}"`);
  return date.slice(0, 10) < VAT_22_FROM ? 20 : 22;
}

/** num/den rounded half away from zero (1C's ОКР), den > 0, in BigInt. */
function divRound(num: bigint, den: bigint): bigint {
  const neg = num < 0n;
  const a = neg ? -num : num;
  const q = (2n * a + den) / (2n * den);
  return neg ? -q : q;
}

const toNumber = (v: bigint): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError('VAT: amount out of range');
  return n;
};

/** VAT contained in an amount that includes it: amount·rate/(100+rate), rounded half up to the kopeck. */
export function vatIncluded(amountKop: number, rate: number | null): number {
  if (!rate) return 0;
  return toNumber(divRound(BigInt(amountKop) * BigInt(rate), BigInt(100 + rate)));
}

/** VAT charged on top of an amount without it: amount·rate/100, rounded half up to the kopeck. */
export function vatOnTop(amountKop: number, rate: number | null): number {
  if (!rate) return 0;
  return toNumber(divRound(BigInt(amountKop) * BigInt(rate), 100n));
}

/** price (kopecks) × quantity (thousandths of a unit), rounded half up to the kopeck: the line's Сумма. */
export function lineAmount(priceKop: number, quantityMilli: number): number {
  return toNumber(divRound(BigInt(priceKop) * BigInt(quantityMilli), 1000n));
}

export interface VatLineInput {
  /** Price per unit, kopecks (with or without VAT as the document says). */
  readonly priceKop: number;
  /** Quantity in thousandths (1 unit = 1000). */
  readonly quantityMilli: number;
  /** Rate in percent; null: «Без НДС». */
  readonly rate: number | null;
}

export interface VatLine extends VatLineInput {
  /** The line's Сумма as 1C shows it: price × quantity (incl. VAT when the document's prices include it). */
  readonly amountKop: number;
  /** The line's VAT, rounded to the kopeck. */
  readonly vatKop: number;
  /** What the line adds to the total: amount (VAT included) or amount + VAT (VAT on top). */
  readonly totalKop: number;
}

export interface VatDocument {
  readonly lines: readonly VatLine[];
  /** Σ line totals. */
  readonly totalKop: number;
  /** Σ line VAT. */
  readonly vatKop: number;
}

/** One line: amount, VAT and the line's share of the total. */
export function vatLine(line: VatLineInput, pricesIncludeVat: boolean): VatLine {
  const amountKop = lineAmount(line.priceKop, line.quantityMilli);
  const vatKop = pricesIncludeVat ? vatIncluded(amountKop, line.rate) : vatOnTop(amountKop, line.rate);
  return { ...line, amountKop, vatKop, totalKop: pricesIncludeVat ? amountKop : amountKop + vatKop };
}

/** A document's lines, each computed on its own; VAT and total are their sums. */
export function vatDocument(lines: readonly VatLineInput[], pricesIncludeVat: boolean): VatDocument {
  const out = lines.map((l) => vatLine(l, pricesIncludeVat));
  return {
    lines: out,
    totalKop: out.reduce((s, l) => s + l.totalKop, 0),
    vatKop: out.reduce((s, l) => s + l.vatKop, 0),
  };
}

/** Kopecks as 1C's decimal string of roubles with two places: 30500 → "305.00", -3 → "-0.03". */
export function rublesText(kop: number): string {
  const sign = kop < 0 ? '-' : '';
  const a = Math.abs(kop);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/**
 * A decimal of roubles (a number or a string, dot or comma, at most two decimals) in kopecks; undefined when it is
 * not one. A number is read through its shortest decimal text, so 0.1 + 0.2 style values are refused, not rounded.
 */
export function kopecksOf(value: number | string): number | undefined {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  const m = /^(-?)(\d{1,15})(?:[.,](\d{1,2}))?$/.exec(text);
  if (!m) return undefined;
  const kop = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -kop : kop;
}

/** A quantity (number or string, at most three decimals) in thousandths; undefined when it is not one. */
export function milliOf(value: number | string): number | undefined {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  const m = /^(\d{1,12})(?:[.,](\d{1,3}))?$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
}

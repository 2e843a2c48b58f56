// Russian and Belarusian tax ids, checked by their control digits (ФНС: ИНН; МНС РБ: УНП). 1C and amoCRM both keep
// them as free text, so every module that matches or validates counterparties goes through these.

const digitsOf = (s: string) => [...s].map(Number);
const weighted = (d: number[], w: readonly number[]) => w.reduce((sum, k, i) => sum + k * d[i]!, 0);

const INN10 = [2, 4, 10, 3, 5, 9, 4, 6, 8] as const;
const INN11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const;
const INN12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const;
const UNP = [29, 23, 19, 17, 13, 7, 5, 3] as const;

/** ИНН of an organisation (10 digits) or a person (12 digits) with valid control digits. */
export function isValidInn(value: string): boolean {
  // All zeros passes the weights but is no one's ИНН.
  if (!/^\d{10}$|^\d{12}$/.test(value) || /^0+$/.test(value)) return false;
  const d = digitsOf(value);
  if (d.length === 10) return (weighted(d, INN10) % 11) % 10 === d[9];
  return (weighted(d, INN11) % 11) % 10 === d[10] && (weighted(d, INN12) % 11) % 10 === d[11];
}

/** Belarusian УНП: 9 digits, the last a control digit (a remainder of 10 makes the number invalid). */
export function isValidUnp(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  const d = digitsOf(value);
  const check = weighted(d, UNP) % 11;
  return check !== 10 && check === d[8];
}

/** ИНН or УНП: what seed 001 calls «ИНН/УНП». */
export const isValidTaxId = (value: string): boolean => isValidInn(value) || isValidUnp(value);

/** КПП: 4 digits of the inspection, 2 of the reason (digits or capital Latin letters since 2020, never "00"), 3 of the sequence; no checksum. */
export const isValidKpp = (value: string): boolean => /^\d{4}[\dA-Z]{2}\d{3}$/.test(value) && value.slice(4, 6) !== '00';

// «Сумма прописью» for the invoice print form, as 1C and the payment-order rules write it: roubles in words from a
// capital letter, kopecks in two digits, neither word abbreviated («Шестьдесят тысяч рублей 00 копеек»). Written
// here (a few dozen lines, tested) rather than a dependency: npm's candidates differ in engines, module format and
// whether kopecks are spelt out, and the format here must stay the bank one.

type Gender = 'm' | 'f';
type Forms = readonly [one: string, few: string, many: string];

const ONES_M = ['', 'один', 'два', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'];
const ONES_F = ['', 'одна', 'две', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'];
const TEENS = [
  'десять',
  'одиннадцать',
  'двенадцать',
  'тринадцать',
  'четырнадцать',
  'пятнадцать',
  'шестнадцать',
  'семнадцать',
  'восемнадцать',
  'девятнадцать',
];
const TENS = ['', '', 'двадцать', 'тридцать', 'сорок', 'пятьдесят', 'шестьдесят', 'семьдесят', 'восемьдесят', 'девяносто'];
const HUNDREDS = ['', 'сто', 'двести', 'триста', 'четыреста', 'пятьсот', 'шестьсот', 'семьсот', 'восемьсот', 'девятьсот'];

/** Groups of three digits above the units, with the gender their numerals agree with. */
const SCALES: ReadonlyArray<readonly [Forms, Gender]> = [
  [['тысяча', 'тысячи', 'тысяч'], 'f'],
  [['миллион', 'миллиона', 'миллионов'], 'm'],
  [['миллиард', 'миллиарда', 'миллиардов'], 'm'],
  [['триллион', 'триллиона', 'триллионов'], 'm'],
];

export const RUBLE: Forms = ['рубль', 'рубля', 'рублей'];
export const KOPECK: Forms = ['копейка', 'копейки', 'копеек'];

/** The noun form a count takes: 1, 21 рубль; 2–4, 22 рубля; 0, 5–20, 111 рублей. */
export function plural(n: number, forms: Forms): string {
  const d10 = n % 10;
  const d100 = n % 100;
  if (d100 >= 11 && d100 <= 14) return forms[2];
  if (d10 === 1) return forms[0];
  return d10 >= 2 && d10 <= 4 ? forms[1] : forms[2];
}

function triple(n: number, gender: Gender): string[] {
  const words = [HUNDREDS[Math.floor(n / 100)]!];
  const rest = n % 100;
  if (rest >= 10 && rest < 20) words.push(TEENS[rest - 10]!);
  else words.push(TENS[Math.floor(rest / 10)]!, (gender === 'f' ? ONES_F : ONES_M)[rest % 10]!);
  return words.filter(Boolean);
}

/** A whole number 0 ≤ n < 10^15 in words, lower case; `gender` is the counted noun's (рубль: m, копейка: f). */
export function numberInWords(n: number, gender: Gender = 'm'): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 1e15) throw new RangeError(`numberInWords: ${n}`);
  if (n === 0) return 'ноль';
  const words = triple(n % 1000, gender);
  let rest = Math.floor(n / 1000);
  for (const [forms, g] of SCALES) {
    if (rest === 0) break;
    const group = rest % 1000;
    if (group > 0) words.unshift(...triple(group, g), plural(group, forms));
    rest = Math.floor(rest / 1000);
  }
  return words.join(' ');
}

/** Kopecks to «Сто двадцать три рубля 45 копеек»; a negative sum gets «минус» (a refund's form). */
export function amountInWords(kopecks: number): string {
  if (!Number.isSafeInteger(kopecks)) throw new RangeError(`amountInWords: ${kopecks}`);
  const abs = Math.abs(kopecks);
  const rub = Math.floor(abs / 100);
  const kop = abs % 100;
  const text = `${kopecks < 0 ? 'минус ' : ''}${numberInWords(rub)} ${plural(rub, RUBLE)} ${String(kop).padStart(2, '0')} ${plural(kop, KOPECK)}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// The values of seed 002 as 1C reads and writes them: ИНН/КПП (checked, not only matched against a pattern), dates
// in three spellings in and one out, money in kopecks, VAT by the invoice date's rate. Pure functions, no HTTP.
import { isValidInn, isValidKpp } from '../../platform/rules/requisites.js';
import { sambaError } from './errors.js';

/** ИНН and КПП checks are the platform's (src/platform/rules/requisites.ts), shared with the 1C sync. */
export const innValid = isValidInn;
export const kppValid = isValidKpp;

/** Refuses the first wrong ИНН or КПП among the fields named inn*, kpp* (an empty one is absent), naming it. */
export function checkTaxIds(input: object): void {
  for (const [field, value] of Object.entries(input)) {
    if (typeof value !== 'string' || value === '') continue;
    if ((field === 'inn' || field.startsWith('inn_')) && !innValid(value)) {
      throw sambaError('BAD_INN', `Некорректный ИНН в поле «${field}»: ${value} (10 или 12 цифр с верными контрольными разрядами)`);
    }
    if ((field === 'kpp' || field.startsWith('kpp_')) && !kppValid(value)) {
      throw sambaError('BAD_KPP', `Некорректный КПП в поле «${field}»: ${value} (9 знаков: NNNNPPXXX)`);
    }
    // Only organisations have a КПП: a 12-digit ИНН (ИП, физ. лицо) with one names two different parties.
    const kppField = field === 'inn' ? 'kpp' : field.startsWith('inn_') ? `kpp_${field.slice(4)}` : undefined;
    const kpp = kppField && (input as Record<string, unknown>)[kppField];
    if (value.length === 12 && typeof kpp === 'string' && kpp !== '') {
      throw sambaError('BAD_KPP', `КПП в поле «${kppField}» не указывается для ИНН из 12 цифр (ИП, физ. лицо) в поле «${field}»`);
    }
  }
}

/** The dates a caller may send: YYYYMMDD, DD.MM.YYYY, ISO (date, or date and time with an optional zone). */
export const DATE_PATTERN =
  '^(\\d{8}|\\d{2}\\.\\d{2}\\.\\d{4}|\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?(Z|[+-]\\d{2}:?\\d{2})?)?)?$';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** 1C's form of a moment in Moscow time (UTC+3 all year since 2014): `YYYY-MM-DDTHH:mm:ss`. */
export function moscow(instant: Date): string {
  const t = new Date(instant.getTime() + 3 * 3600_000);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
}

function realDay(y: number, m: number, d: number): boolean {
  const day = new Date(Date.UTC(y, m - 1, d));
  return y >= 1900 && y <= 9999 && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

/**
 * A caller's date in 1C's form; a date without a time is midnight. An ISO time with a zone is moved to Moscow time;
 * without one it is taken as written (1C's own dates carry none). A day that does not exist is a 400 naming the field.
 */
export function parseDate(value: string, field: string): string {
  let y: number, m: number, d: number;
  let time = '00:00:00';
  let match: RegExpExecArray | null;
  const bad = () => sambaError('BAD_DATE', `Некорректная дата в поле «${field}»: ${value} (ожидается ГГГГММДД, ДД.ММ.ГГГГ или ISO 8601)`);
  if ((match = /^(\d{4})(\d{2})(\d{2})$/.exec(value))) [y, m, d] = [+match[1]!, +match[2]!, +match[3]!];
  else if ((match = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(value))) [d, m, y] = [+match[1]!, +match[2]!, +match[3]!];
  else if ((match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(value))) {
    [y, m, d] = [+match[1]!, +match[2]!, +match[3]!];
    const [hh, mm, ss, zone] = [+(match[4] ?? 0), +(match[5] ?? 0), +(match[6] ?? 0), match[7]];
    if (hh > 23 || mm > 59 || ss > 59 || !realDay(y, m, d)) throw bad();
    if (zone) {
      const instant = new Date(
        `${match[1]}-${match[2]}-${match[3]}T${pad(hh)}:${pad(mm)}:${pad(ss)}${zone === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`,
      );
      if (Number.isNaN(instant.getTime())) throw bad();
      return moscow(instant);
    }
    time = `${pad(hh)}:${pad(mm)}:${pad(ss)}`;
  } else throw bad();
  if (!realDay(y, m, d)) throw bad();
  return `${y}-${pad(m)}-${pad(d)}T${time}`;
}

/** The calendar day (`YYYY-MM-DD`) of a caller's date, for filters that compare days. */
export const parseDay = (value: string, field: string): string => parseDate(value, field).slice(0, 10);

/** `DD.MM.YYYY` of a stored date (payment purposes, document names). */
export const ruDate = (stored: string): string => `${stored.slice(8, 10)}.${stored.slice(5, 7)}.${stored.slice(0, 4)}`;

/** The largest sum accepted: a trillion roubles, in kopecks (times 22 still an exact double). */
export const MAX_KOPECKS = 100_000_000_000_000;

/**
 * A sum as the seed sends it (a number, or a string of digits — the parameter table says string) in kopecks. More
 * than two decimals is refused rather than rounded: the invoice would not say what the caller asked for.
 */
export function toKopecks(value: number | string, field: string, opts: { allowNegative?: boolean } = {}): number {
  const bad = (why: string) => sambaError('BAD_AMOUNT', `Некорректная сумма в поле «${field}»: ${String(value)} (${why})`);
  let kop: number;
  if (typeof value === 'number') {
    kop = Math.round(value * 100);
    if (!Number.isFinite(value) || Math.abs(value * 100 - kop) > 1e-6) throw bad('не больше двух знаков после запятой');
  } else {
    const m = /^\s*(-?)(\d{1,15})(?:[.,](\d{1,2}))?\s*$/.exec(value);
    if (!m) throw bad('ожидается число с не более чем двумя знаками после запятой');
    kop = (Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'))) * (m[1] ? -1 : 1);
  }
  if (kop === 0 || (kop < 0 && !opts.allowNegative)) throw bad(opts.allowNegative ? 'не может быть нулевой' : 'должна быть больше нуля');
  if (Math.abs(kop) > MAX_KOPECKS) throw bad('слишком большая');
  return kop;
}

/** Kopecks as the seed's JSON number of roubles (60000, 19729.97). */
export const rubles = (kop: number): number => kop / 100;

/** VAT by the invoice date's rate, in integer kopecks: the platform's rule (src/platform/rules/vat.ts), shared with customs. */
export { vatIncluded, vatRateOn } from '../../platform/rules/vat.js';

/** An empty string counts as absent (1C's clients send "" for a field they do not fill). */
export const given = (v: string | undefined | null): v is string => typeof v === 'string' && v !== '';

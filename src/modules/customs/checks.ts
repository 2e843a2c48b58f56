// What the XSD cannot see in a ПТД request: VIN rules, the ИНН checksum, real country and currency codes, decimal
// places the album allows, and fields that only make sense together (a broker needs a registry number and a
// contract). Errors refuse the request (400, each by field); warnings are answered in X-Ptd-Warnings and recorded.
import type { Problem } from './errors.js';
import { COUNTRIES, CURRENCIES } from './codes.js';
import type { PtdRequest } from './ptd-contract.js';

/** VIN: 17 characters, Latin capitals but I, O and Q, and digits (the schemas' pattern too). */
export const VIN_PATTERN = '[A-HJ-NPR-Z0-9]{17}';
const VIN = new RegExp(`^${VIN_PATTERN}$`);
const VIN_VALUES: Record<string, number> = Object.fromEntries(
  [...'ABCDEFGHJKLMNPRSTUVWXYZ'].map((c, i) => [c, [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9][i]!]),
);
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** The 9th character a North-American VIN (49 CFR 565) must carry; null for other VINs, which have no such rule. */
export function vinCheckDigit(vin: string): string | null {
  if (!/^[1-5]/.test(vin)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (/\d/.test(vin[i]!) ? Number(vin[i]) : VIN_VALUES[vin[i]!]!) * VIN_WEIGHTS[i]!;
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

/** ИНН: 10 digits (an organisation) or 12 (a person), with the FNS control digits. */
export function innValid(inn: string): boolean {
  const d = [...inn].map(Number);
  const control = (weights: number[]) => (weights.reduce((s, w, i) => s + w * d[i]!, 0) % 11) % 10;
  if (d.length === 10) return control([2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[9];
  if (d.length === 12) return control([7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[10] && control([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[11];
  return false;
}

/** Decimal places of a JSON number (written without an exponent by JSON.stringify below 1e21, above 1e-7). */
export function decimalsOf(x: number): number {
  const s = String(x);
  const exp = /e-(\d+)$/.exec(s);
  if (exp) return Number(exp[1]) + (s.split('e')[0]!.split('.')[1]?.length ?? 0);
  return s.split('.')[1]?.length ?? 0;
}

const EPTS_EEC = /^[1-3][0-9]{3}0[1-4][0-9]{9}$/;
const SBKTS = /^(ТС|ЕАЭС) [A-Z]{2} [АЕК]-[A-Z]{2}\.[А-ЯA-Z0-9]{4}\.\d{5}(\.[ИРП]\d)*$/;

export interface CheckResult {
  readonly errors: Problem[];
  readonly warnings: Problem[];
}

export function checkPtd(req: PtdRequest): CheckResult {
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const fail = (field: string, code: string, message: string) => void errors.push({ field, code, message });
  const warn = (field: string, code: string, message: string) => void warnings.push({ field, code, message });
  const country = (field: string, code: string | undefined) => {
    if (code !== undefined && !COUNTRIES.has(code)) fail(field, 'COUNTRY_UNKNOWN', `Нет такой страны в ISO 3166-1: ${code}`);
  };
  const money = (field: string, m: { amount: number; currency: string }) => {
    if (!CURRENCIES.has(m.currency)) fail(`${field}.currency`, 'CURRENCY_UNKNOWN', `Нет такой валюты в ISO 4217: ${m.currency}`);
    if (decimalsOf(m.amount) > 2) fail(`${field}.amount`, 'AMOUNT_DECIMALS', 'Сумма: не больше двух знаков после точки');
  };
  const places = (field: string, x: number | undefined, max: number) => {
    if (x !== undefined && decimalsOf(x) > max) fail(field, 'DECIMALS', `Не больше ${max} знаков после точки`);
  };

  const { declarant: d } = req;
  if (d.inn !== undefined && !innValid(d.inn)) fail('declarant.inn', 'INN_CHECKSUM', 'ИНН: не сходятся контрольные цифры');
  if (d.inn?.length === 10) warn('declarant.inn', 'INN_NOT_PERSON', 'ИНН из 10 цифр — ИНН организации, у физического лица 12 цифр');
  country('declarant.identityDoc.country', d.identityDoc.country);
  d.addresses.forEach((a, i) => country(`declarant.addresses.${i}.country`, a.country));
  country('declarant.departureCountry', d.departureCountry);
  country('declarant.destinationCountry', d.destinationCountry);

  if (!req.vehicles && !req.goods) fail('vehicles', 'NOTHING_DECLARED', 'Нужны транспортные средства (vehicles) или товары (goods)');
  req.vehicles?.items.forEach((v, i) => {
    const at = `vehicles.items.${i}`;
    if (v.vin === undefined && v.bodyNumber === undefined && v.chassisNumber === undefined)
      fail(at, 'VEHICLE_ID_MISSING', 'Нужен VIN, номер кузова или номер шасси');
    if (v.vin !== undefined) {
      if (!VIN.test(v.vin)) fail(`${at}.vin`, 'VIN_FORMAT', 'VIN: 17 символов, латинские заглавные буквы без I, O, Q и цифры');
      else {
        const expected = vinCheckDigit(v.vin);
        if (expected !== null && v.vin[8] !== expected)
          warn(`${at}.vin`, 'VIN_CHECK_DIGIT', `Контрольная цифра североамериканского VIN должна быть ${expected}, а не ${v.vin[8]}`);
      }
    }
    country(`${at}.regCountry`, v.regCountry);
    money(`${at}.price`, v.price);
    places(`${at}.powerHp`, v.powerHp, 2);
    places(`${at}.powerKw`, v.powerKw, 2);
    places(`${at}.engineVolumeCm3`, v.engineVolumeCm3, 6);
    if (v.eptsNumber !== undefined && !EPTS_EEC.test(v.eptsNumber))
      warn(`${at}.eptsNumber`, 'EPTS_FORMAT', 'Номер ЭПТС не похож на номер по модели данных ЕЭК (вид, код страны, 0, тип, 9 цифр)');
    if (v.sbktsNumber !== undefined && !SBKTS.test(v.sbktsNumber))
      warn(`${at}.sbktsNumber`, 'SBKTS_FORMAT', 'Номер СБКТС не похож на «ТС RU А-DE.НУ08.71226» (буквы А, Е, К, НУ… — кириллица)');
  });
  req.goods?.items.forEach((g, i) => {
    const at = `goods.items.${i}`;
    money(`${at}.price`, g.price);
    places(`${at}.grossKg`, g.grossKg, 6);
    places(`${at}.netKg`, g.netKg, 6);
    places(`${at}.quantity.value`, g.quantity?.value, 6);
    if (g.description.replace(/\s+/g, ' ').trim().length === 0) fail(`${at}.description`, 'EMPTY', 'Пустое описание');
  });

  const f = req.filledBy;
  if (f.role === '2' && f.brokerRegistryNumber === undefined)
    fail('filledBy.brokerRegistryNumber', 'BROKER_REQUIRED', 'Работник таможенного представителя (role = 2): нужен номер в реестре');
  if (f.role === '2' && f.contract === undefined)
    fail('filledBy.contract', 'BROKER_REQUIRED', 'Работник таможенного представителя (role = 2): нужен договор с представителем');
  if (f.role !== '2' && (f.brokerRegistryNumber !== undefined) !== (f.contract !== undefined))
    fail('filledBy.contract', 'BROKER_PAIR', 'Номер в реестре и договор таможенного представителя указываются вместе');
  return { errors, warnings };
}

// What the SAMBA services share: the filter builder (exact values, case-insensitive name parts, days and periods;
// an empty string is no filter), the "or"-group resolver (exactly one record or a message saying which is missing
// or ambiguous) and the SELECTs that read each record in the seed's field names.
import type { Hub } from '../../platform/hub.js';
import { sambaError } from './errors.js';
import { given } from './values.js';

export class Where {
  readonly parts: string[] = [];
  readonly params: unknown[] = [];

  #p(v: unknown): string {
    this.params.push(v);
    return `$${this.params.length}`;
  }
  /** column = value, when the value is given. */
  eq(column: string, value: string | boolean | undefined): this {
    if (typeof value === 'boolean' || given(value)) this.parts.push(`${column} = ${this.#p(value)}`);
    return this;
  }
  /** The lower-cased copy contains the lower-cased value (JavaScript folds Cyrillic; see schema.ts). */
  like(columnLc: string, value: string | undefined): this {
    if (given(value)) this.parts.push(`strpos(${columnLc}, ${this.#p(value.toLowerCase())}) > 0`);
    return this;
  }
  /** A stored 1C date falls on the day (`YYYY-MM-DD`). */
  day(column: string, day: string | undefined): this {
    if (given(day)) this.parts.push(`substr(${column}, 1, 10) = ${this.#p(day)}`);
    return this;
  }
  /** A stored 1C date is on or after / on or before a day. */
  from(column: string, day: string | undefined): this {
    if (given(day)) this.parts.push(`${column} >= ${this.#p(`${day}T00:00:00`)}`);
    return this;
  }
  to(column: string, day: string | undefined): this {
    if (given(day)) this.parts.push(`${column} <= ${this.#p(`${day}T23:59:59`)}`);
    return this;
  }
  raw(part: string, ...values: unknown[]): this {
    let text = part;
    for (const v of values) text = text.replace('?', this.#p(v));
    this.parts.push(text);
    return this;
  }
  get empty(): boolean {
    return this.parts.length === 0;
  }
  toString(): string {
    return this.parts.length ? `where ${this.parts.join(' and ')}` : '';
  }
}

/** How a kind of record is named in messages: «Конечный рекламодатель не найден», «найдено несколько … ». */
export interface Kind {
  readonly one: string;
  readonly notFound: string;
  readonly many: string;
}

export const KINDS = {
  finaladv: { one: 'Конечный рекламодатель', notFound: 'не найден', many: 'конечных рекламодателей' },
  customer: { one: 'Юр. лицо', notFound: 'не найдено', many: 'юр. лиц' },
  contract: { one: 'Конечный договор рекламодателя', notFound: 'не найден', many: 'конечных договоров' },
  brand: { one: 'Бренд', notFound: 'не найден', many: 'брендов' },
  campaign: { one: 'РК', notFound: 'не найдена', many: 'РК' },
  invoice: { one: 'Счет на оплату покупателю', notFound: 'не найден', many: 'счетов' },
} satisfies Record<string, Kind>;

/** The criteria of a lookup as the message shows them: «ИНН 7717707438, КПП 771701004». */
export const described = (criteria: ReadonlyArray<readonly [string, string | undefined]>): string =>
  criteria
    .filter(([, v]) => given(v))
    .map(([label, v]) => `${label} ${v}`)
    .join(', ');

/**
 * Exactly one row of `select … where`: none is NOT_FOUND, several are AMBIGUOUS; both messages say what was looked
 * for (and, when ambiguous, what would narrow it). The caller has checked that the group was given at all.
 */
export async function one<T>(hub: Hub, kind: Kind, select: string, where: Where, criteria: string, narrow: string): Promise<T> {
  const rows = await hub.database.query<T>(`${select} ${where} limit 2`, where.params);
  if (rows.length === 0) throw sambaError('NOT_FOUND', `${kind.one} ${kind.notFound}: ${criteria}`);
  if (rows.length > 1) throw sambaError('AMBIGUOUS', `Найдено несколько ${kind.many}: ${criteria}. Укажите ${narrow}`);
  return rows[0]!;
}

/** A required field that is absent or empty: 400 naming it. */
export function required(input: Record<string, unknown>, ...fields: string[]): void {
  const missing = fields.filter((f) => {
    const v = input[f];
    return v === undefined || v === null || v === '';
  });
  if (missing.length) throw sambaError('REQUIRED', `Не заполнен обязательный параметр: ${missing.map((f) => `«${f}»`).join(', ')}`);
}

/** An "or" group none of whose fields is given: 400 naming them all. */
export function requireOneOf(input: Record<string, unknown>, group: string[]): void {
  if (!group.some((f) => given(input[f] as string | undefined))) {
    throw sambaError('REQUIRED', `Не заполнен ни один из параметров: ${group.map((f) => `«${f}»`).join(' или ')}`);
  }
}

export const isUniqueViolation = (err: unknown): boolean => (err as { code?: string }).code === '23505';

// The SELECTs that read each record in the seed's field names (absent parts are "").
export const SELECT_FINALADV = `select uuid, name, full_name as "fullName", inn, kpp from samba_finaladv`;
export const SELECT_CUSTOMER = `select uuid, name, full_name as "fullName", inn, kpp from samba_customers`;
export const SELECT_CONTRACT = `select k.uuid, k.number, k.date,
    f.inn as inn_finaladv, f.kpp as kpp_finaladv, f.name as name_finaladv, f.uuid as uuid_finaladv,
    c.inn as inn_contractor, c.kpp as kpp_contractor, c.name as name_contractor, c.uuid as uuid_contractor
  from samba_contracts k join samba_finaladv f on f.uuid = k.finaladv_uuid join samba_customers c on c.uuid = k.contractor_uuid`;
export const SELECT_BRAND = `select b.uuid, b.name, c.name as name_contractor, c.inn as inn_contractor, c.kpp as kpp_contractor,
    c.uuid as uuid_contractor
  from samba_brands b join samba_customers c on c.uuid = b.contractor_uuid`;
export const SELECT_CAMPAIGN = `select r.uuid, r.name, r.rk_id, r.number_mf as "numberMF", r.date_start, r.date_end, r.advance,
    coalesce(b.name, '') as name_brand, coalesce(b.uuid, '') as uuid_brand,
    c.inn as inn_contractor, c.kpp as kpp_contractor, c.name as name_contractor, c.uuid as uuid_contractor,
    coalesce(f.inn, '') as inn_finaladv, coalesce(f.kpp, '') as kpp_finaladv, coalesce(f.name, '') as name_finaladv,
    coalesce(f.uuid, '') as uuid_finaladv,
    coalesce(k.number, '') as number_contract, coalesce(k.date, '') as date_contract, coalesce(k.uuid, '') as uuid_contract
  from samba_campaigns r join samba_customers c on c.uuid = r.contractor_uuid
    left join samba_brands b on b.uuid = r.brand_uuid
    left join samba_finaladv f on f.uuid = r.finaladv_uuid
    left join samba_contracts k on k.uuid = r.contract_uuid`;

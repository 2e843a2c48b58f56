// Final advertisers, customers (юр. лица), final contracts and brands (seed 002 §1–4). Services without HTTP:
// they take the validated input, resolve "or" groups to exactly one record and throw from the closed catalogue.
import { randomUUID } from 'node:crypto';
import type { Hub } from '../../platform/hub.js';
import type { BrandT, ContractT, CustomerT, FinalAdvT } from './answers.js';
import type { BrandCreateT, BrandQueryT, ContractQueryT, ContractUpdateT, FinalAdvQueryT, FinalAdvUpdateT } from './contract.js';
import { sambaError } from './errors.js';
import * as S from './store.js';
import { checkTaxIds, given, parseDate, parseDay, ruDate } from './values.js';

export interface Saved<T> {
  readonly message: string;
  readonly result: T;
}

interface TaxRef {
  readonly uuid?: string;
  readonly inn?: string;
  readonly kpp?: string;
}

type Org = 'finaladv' | 'customer';
const TABLE: Record<Org, string> = { finaladv: 'samba_finaladv', customer: 'samba_customers' };
const SELECT: Record<Org, string> = { finaladv: S.SELECT_FINALADV, customer: S.SELECT_CUSTOMER };

/** An organisation by uuid and/or ИНН (+КПП): exactly one, else a message saying which one is missing or ambiguous. */
export async function resolveOrg(hub: Hub, org: Org, ref: TaxRef): Promise<FinalAdvT> {
  const where = new S.Where().eq('uuid', ref.uuid).eq('inn', ref.inn).eq('kpp', ref.kpp);
  const criteria = S.described([
    ['uuid', ref.uuid],
    ['ИНН', ref.inn],
    ['КПП', ref.kpp],
  ]);
  return S.one<FinalAdvT>(hub, S.KINDS[org], SELECT[org], where, criteria, 'КПП или uuid');
}

export class OrgService {
  constructor(
    private readonly hub: Hub,
    private readonly org: Org,
  ) {}

  list(q: FinalAdvQueryT): Promise<FinalAdvT[]> {
    checkTaxIds(q);
    const where = new S.Where().eq('uuid', q.uuid).eq('inn', q.inn).eq('kpp', q.kpp).like('name_lc', q.name);
    return this.hub.database.query<FinalAdvT>(`${SELECT[this.org]} ${where} order by name, inn, kpp`, where.params);
  }

  /** A new organisation; one with the same ИНН and КПП already there is a 409 carrying it (seed §1.2). */
  async create(b: { inn?: string; kpp?: string; name?: string; fullName?: string }): Promise<FinalAdvT> {
    S.required(b, 'inn', 'name');
    checkTaxIds(b);
    const values = [randomUUID(), b.name!, b.name!.toLowerCase(), b.fullName || b.name!, b.inn!, b.kpp ?? ''];
    try {
      const [row] = await this.hub.database.query<{ uuid: string }>(
        `insert into ${TABLE[this.org]} (uuid, name, name_lc, full_name, inn, kpp) values ($1, $2, $3, $4, $5, $6)
         on conflict (inn, kpp) do nothing returning uuid`,
        values,
      );
      if (row) return (await this.list({ uuid: row.uuid }))[0]!;
    } catch (err) {
      if (!S.isUniqueViolation(err)) throw err;
    }
    throw await this.#exists(b.inn!, b.kpp ?? '');
  }

  /** Seed §1.3: found by uuid (then ИНН/КПП may change), or by ИНН (+КПП); name and full name replaced when given. */
  async update(b: FinalAdvUpdateT): Promise<Saved<{ uuid: string; inn: string; kpp: string; name: string }>> {
    S.requireOneOf(b, ['uuid', 'inn']);
    checkTaxIds(b);
    const found = given(b.uuid) ? await resolveOrg(this.hub, this.org, { uuid: b.uuid }) : await resolveOrg(this.hub, this.org, b);
    const inn = given(b.uuid) && given(b.inn) ? b.inn : found.inn;
    const kpp = given(b.uuid) && given(b.kpp) ? b.kpp : found.kpp;
    const name = given(b.name) ? b.name : found.name;
    const fullName = given(b.fullName) ? b.fullName : found.fullName;
    try {
      await this.hub.database.query(
        `update ${TABLE[this.org]} set inn = $2, kpp = $3, name = $4, name_lc = $5, full_name = $6 where uuid = $1`,
        [found.uuid, inn, kpp, name, name.toLowerCase(), fullName],
      );
    } catch (err) {
      if (S.isUniqueViolation(err)) throw await this.#exists(inn, kpp);
      throw err;
    }
    return { message: 'Конечный рекламодатель обновлен.', result: { uuid: found.uuid, inn, kpp, name } };
  }

  async #exists(inn: string, kpp: string) {
    const [other] = await this.list({ inn, kpp: kpp || undefined });
    const who = this.org === 'finaladv' ? 'Конечный рекламодатель с таким ИНН' : 'Юр. лицо с таким ИНН и КПП';
    return sambaError('EXISTS', `${who} уже существует: ${other?.name ?? ''}`, { name: other?.name ?? '', uuid: other?.uuid ?? '' });
  }
}

const finaladvOf = (b: ContractUpdateT) => ({ uuid: b.uuid_finaladv, inn: b.inn_finaladv, kpp: b.kpp_finaladv });
const contractorOf = (b: { uuid_contractor?: string; inn_contractor?: string; kpp_contractor?: string }) => ({
  uuid: b.uuid_contractor,
  inn: b.inn_contractor,
  kpp: b.kpp_contractor,
});
const short = (c: ContractT) => ({ uuid: c.uuid, number: c.number, date: c.date });

export class ContractService {
  constructor(private readonly hub: Hub) {}

  list(q: ContractQueryT): Promise<ContractT[]> {
    checkTaxIds(q);
    const where = new S.Where()
      .eq('k.uuid', q.uuid)
      .eq('k.number', q.number)
      .day('k.date', given(q.date) ? parseDay(q.date, 'date') : undefined)
      .eq('f.inn', q.inn_finaladv)
      .eq('f.kpp', q.kpp_finaladv)
      .eq('f.uuid', q.uuid_finaladv);
    return this.hub.database.query<ContractT>(`${S.SELECT_CONTRACT} ${where} order by k.date, k.number`, where.params);
  }

  /** A contract by uuid, or by number and date (+ its advertiser when given): exactly one. */
  async resolve(ref: { uuid?: string; number?: string; date?: string; finaladvUuid?: string }, field = ''): Promise<ContractT> {
    const day = given(ref.date) ? parseDay(ref.date, `date${field}`) : undefined;
    const where = new S.Where().eq('k.uuid', ref.uuid).eq('k.number', ref.number).day('k.date', day).eq('f.uuid', ref.finaladvUuid);
    const criteria = S.described([
      ['uuid', ref.uuid],
      ['номер', ref.number],
      ['дата', day && ruDate(day)],
    ]);
    return S.one<ContractT>(this.hub, S.KINDS.contract, S.SELECT_CONTRACT, where, criteria, 'uuid договора');
  }

  async create(b: ContractUpdateT): Promise<Saved<{ uuid: string; number: string; date: string }>> {
    S.required(b, 'number', 'date');
    S.requireOneOf(b, ['inn_finaladv', 'uuid_finaladv']);
    S.requireOneOf(b, ['inn_contractor', 'uuid_contractor']);
    checkTaxIds(b);
    const date = parseDate(b.date!, 'date');
    const finaladv = await resolveOrg(this.hub, 'finaladv', finaladvOf(b));
    const contractor = await resolveOrg(this.hub, 'customer', contractorOf(b));
    const uuid = randomUUID();
    try {
      await this.hub.database.query(
        `insert into samba_contracts (uuid, number, date, finaladv_uuid, contractor_uuid) values ($1, $2, $3, $4, $5)`,
        [uuid, b.number, date, finaladv.uuid, contractor.uuid],
      );
    } catch (err) {
      if (S.isUniqueViolation(err)) throw await this.#exists(finaladv.uuid, b.number!, date);
      throw err;
    }
    return { message: 'Конечный договор рекламодателя успешно создан', result: { uuid, number: b.number!, date } };
  }

  /** Seed §2.3: found by uuid (number and date are then new values) or by number and date. */
  async update(b: ContractUpdateT): Promise<Saved<{ uuid: string; number: string; date: string }>> {
    if (!given(b.uuid)) S.required(b, 'number', 'date');
    checkTaxIds(b);
    const found = given(b.uuid) ? await this.resolve({ uuid: b.uuid }) : await this.resolve({ number: b.number, date: b.date });
    const number = given(b.number) ? b.number : found.number;
    const date = given(b.date) ? parseDate(b.date, 'date') : found.date;
    const finaladv =
      given(b.uuid_finaladv) || given(b.inn_finaladv) ? (await resolveOrg(this.hub, 'finaladv', finaladvOf(b))).uuid : found.uuid_finaladv;
    const contractor =
      given(b.uuid_contractor) || given(b.inn_contractor)
        ? (await resolveOrg(this.hub, 'customer', contractorOf(b))).uuid
        : found.uuid_contractor;
    try {
      await this.hub.database.query(
        `update samba_contracts set number = $2, date = $3, finaladv_uuid = $4, contractor_uuid = $5 where uuid = $1`,
        [found.uuid, number, date, finaladv, contractor],
      );
    } catch (err) {
      if (S.isUniqueViolation(err)) throw await this.#exists(finaladv, number, date);
      throw err;
    }
    return { message: 'Конечный договор рекламодателя обновлен', result: { uuid: found.uuid, number, date } };
  }

  async #exists(finaladvUuid: string, number: string, date: string) {
    const [other] = await this.list({ uuid_finaladv: finaladvUuid, number, date });
    return sambaError('EXISTS', `Конечный договор рекламодателя уже существует: № ${number} от ${ruDate(date)}`, other && short(other));
  }
}

export class BrandService {
  constructor(private readonly hub: Hub) {}

  list(q: BrandQueryT): Promise<BrandT[]> {
    checkTaxIds(q);
    const where = new S.Where()
      .eq('b.uuid', q.uuid)
      .like('b.name_lc', q.name)
      .eq('c.inn', q.inn)
      .eq('c.inn', q.inn_contractor)
      .eq('c.kpp', q.kpp)
      .eq('c.kpp', q.kpp_contractor)
      .eq('c.uuid', q.uuid_contractor);
    return this.hub.database.query<BrandT>(`${S.SELECT_BRAND} ${where} order by b.name, b.uuid`, where.params);
  }

  async create(b: BrandCreateT): Promise<Saved<{ uuid: string; name: string }>> {
    S.required(b, 'name');
    S.requireOneOf(b, ['inn_contractor', 'uuid_contractor']);
    checkTaxIds(b);
    const contractor = await resolveOrg(this.hub, 'customer', contractorOf(b));
    const uuid = randomUUID();
    try {
      await this.hub.database.query(`insert into samba_brands (uuid, name, name_lc, contractor_uuid) values ($1, $2, $3, $4)`, [
        uuid,
        b.name,
        b.name!.toLowerCase(),
        contractor.uuid,
      ]);
    } catch (err) {
      if (S.isUniqueViolation(err)) throw await this.#exists(contractor.uuid, b.name!);
      throw err;
    }
    return { message: 'Бренд успешно создан.', result: { uuid, name: b.name! } };
  }

  async update(b: { name?: string; uuid?: string }): Promise<Saved<{ uuid: string; name: string }>> {
    S.required(b, 'name', 'uuid');
    const [found] = await this.list({ uuid: b.uuid });
    if (!found) throw sambaError('NOT_FOUND', `Бренд не найден: uuid ${b.uuid}`);
    try {
      await this.hub.database.query(`update samba_brands set name = $2, name_lc = $3 where uuid = $1`, [
        found.uuid,
        b.name,
        b.name!.toLowerCase(),
      ]);
    } catch (err) {
      if (S.isUniqueViolation(err)) throw await this.#exists(found.uuid_contractor, b.name!);
      throw err;
    }
    return { message: 'Бренд обновлен', result: { uuid: found.uuid, name: b.name! } };
  }

  async #exists(contractorUuid: string, name: string) {
    const [other] = await this.hub.database.query<{ uuid: string; name: string }>(
      `select uuid, name from samba_brands where contractor_uuid = $1 and name_lc = $2`,
      [contractorUuid, name.toLowerCase()],
    );
    return sambaError('EXISTS', `Бренд уже существует: ${other?.name ?? name}`, other);
  }
}

export type { CustomerT };

// Рекламные кампании (seed 002 §5). A campaign belongs to a contractor (юр. лицо, "or" group 1), may name its final
// advertiser (group 2) and that advertiser's contract (group 3), gets 1C's internal number numberMF (`У` + 6 digits,
// one counter for all) and a brand: the one named in the request (uuid_brand / name_brand, our extension), else the
// contractor's only brand; a contractor with several brands must name one.
import { randomUUID } from 'node:crypto';
import type { Hub } from '../../platform/hub.js';
import type { CampaignT } from './answers.js';
import type { RkQueryT, RkUpdateT } from './contract.js';
import { sambaError } from './errors.js';
import { resolveOrg, type ContractService, type Saved } from './parties.js';
import * as S from './store.js';
import { checkTaxIds, given, parseDate } from './values.js';

interface Links {
  contractor: string;
  finaladv: string | null;
  contract: string | null;
  brand: string | null;
}

const contractorOf = (b: RkUpdateT) => ({ uuid: b.uuid_contractor, inn: b.inn_contractor, kpp: b.kpp_contractor });
const anyGiven = (b: RkUpdateT, ...fields: Array<keyof RkUpdateT>) => fields.some((f) => given(b[f] as string | undefined));

/** numberMF: the next value of the one counter, `У` and at least six digits, taken in the same statement as the insert. */
const NEXT_NUMBER_MF = `with n as (
    insert into samba_counters (name, value) values ('number_mf', 1)
    on conflict (name) do update set value = samba_counters.value + 1 returning value)`;
const NUMBER_MF = `'У' || case when n.value < 1000000 then lpad(n.value::text, 6, '0') else n.value::text end`;

export class CampaignService {
  constructor(
    private readonly hub: Hub,
    private readonly contracts: ContractService,
  ) {}

  list(q: RkQueryT): Promise<CampaignT[]> {
    checkTaxIds(q);
    const where = new S.Where()
      .eq('r.uuid', q.uuid)
      .like('r.name_lc', q.name)
      .eq('r.rk_id', q.rk_id)
      .eq('r.number_mf', q.numberMF)
      .eq('c.inn', q.inn_contractor)
      .eq('c.kpp', q.kpp_contractor)
      .eq('c.uuid', q.uuid_contractor);
    return this.hub.database.query<CampaignT>(`${S.SELECT_CAMPAIGN} ${where} order by r.number_mf`, where.params);
  }

  /** A campaign by uuid and/or rk_id (both may be given: they must name the same one). */
  async resolve(ref: { uuid?: string; rk_id?: string }, names: [string, string] = ['uuid', 'rk_id']): Promise<CampaignT> {
    S.requireOneOf({ [names[0]]: ref.uuid, [names[1]]: ref.rk_id }, names);
    const where = new S.Where().eq('r.uuid', ref.uuid).eq('r.rk_id', ref.rk_id);
    const criteria = S.described([
      ['uuid', ref.uuid],
      ['rk_id', ref.rk_id],
    ]);
    return S.one<CampaignT>(this.hub, S.KINDS.campaign, S.SELECT_CAMPAIGN, where, criteria, 'uuid');
  }

  async create(b: RkUpdateT): Promise<Saved<CampaignT>> {
    S.required(b, 'rk_id');
    S.requireOneOf(b, ['inn_contractor', 'uuid_contractor']);
    checkTaxIds(b);
    const dates = this.#dates(b);
    const [existing] = await this.list({ rk_id: b.rk_id });
    if (existing) throw sambaError('EXISTS', 'РК уже существует', existing);
    const links = await this.#links(b);
    const uuid = randomUUID();
    const name = given(b.name) ? b.name : b.rk_id!;
    try {
      await this.hub.database.query(
        `${NEXT_NUMBER_MF}
         insert into samba_campaigns (uuid, rk_id, number_mf, name, name_lc, date_start, date_end, advance,
           contractor_uuid, finaladv_uuid, contract_uuid, brand_uuid)
         select $1, $2, ${NUMBER_MF}, $3, $4, $5, $6, $7, $8, $9, $10, $11 from n`,
        [uuid, b.rk_id, name, name.toLowerCase(), dates.start ?? '', dates.end ?? '', b.advance ?? false, ...this.#ids(links)],
      );
    } catch (err) {
      if (!S.isUniqueViolation(err)) throw err;
      throw sambaError('EXISTS', 'РК уже существует', (await this.list({ rk_id: b.rk_id }))[0]);
    }
    return { message: 'РК успешно создана', result: (await this.list({ uuid }))[0]! };
  }

  /** Seed §5.3: found by uuid (rk_id is then a new value) or by rk_id; every other given field replaces its value. */
  async update(b: RkUpdateT): Promise<Saved<CampaignT>> {
    S.requireOneOf(b, ['uuid', 'rk_id']);
    checkTaxIds(b);
    const found = given(b.uuid) ? await this.resolve({ uuid: b.uuid }) : await this.resolve({ rk_id: b.rk_id });
    const dates = this.#dates(b);
    const links = await this.#links(b, found);
    const name = given(b.name) ? b.name : found.name;
    try {
      await this.hub.database.query(
        `update samba_campaigns set rk_id = $2, name = $3, name_lc = $4, date_start = $5, date_end = $6, advance = $7,
           contractor_uuid = $8, finaladv_uuid = $9, contract_uuid = $10, brand_uuid = $11 where uuid = $1`,
        [
          found.uuid,
          given(b.rk_id) ? b.rk_id : found.rk_id,
          name,
          name.toLowerCase(),
          dates.start ?? found.date_start,
          dates.end ?? found.date_end,
          b.advance ?? found.advance,
          ...this.#ids(links),
        ],
      );
    } catch (err) {
      if (!S.isUniqueViolation(err)) throw err;
      throw sambaError('EXISTS', 'РК уже существует', (await this.list({ rk_id: b.rk_id }))[0]);
    }
    return { message: 'РК обновлена', result: (await this.list({ uuid: found.uuid }))[0]! };
  }

  #dates(b: RkUpdateT): { start?: string; end?: string } {
    const start = given(b.date_start) ? parseDate(b.date_start, 'date_start') : undefined;
    const end = given(b.date_end) ? parseDate(b.date_end, 'date_end') : undefined;
    if (start && end && end < start) throw sambaError('CONFLICT', 'Дата окончания РК раньше даты начала', undefined);
    return { start, end };
  }

  #ids(l: Links) {
    return [l.contractor, l.finaladv, l.contract, l.brand];
  }

  /** The contractor, advertiser, contract and brand the request names; on update, the current ones where it names none. */
  async #links(b: RkUpdateT, current?: CampaignT): Promise<Links> {
    const orNull = (v: string | undefined) => (given(v) ? v : null);
    const contractorGiven = anyGiven(b, 'inn_contractor', 'uuid_contractor');
    const contractor = contractorGiven ? (await resolveOrg(this.hub, 'customer', contractorOf(b))).uuid : current!.uuid_contractor;
    let finaladv = anyGiven(b, 'inn_finaladv', 'uuid_finaladv')
      ? (await resolveOrg(this.hub, 'finaladv', { uuid: b.uuid_finaladv, inn: b.inn_finaladv, kpp: b.kpp_finaladv })).uuid
      : orNull(current?.uuid_finaladv);
    let contract = orNull(current?.uuid_contract);
    if (anyGiven(b, 'number_contract', 'date_contract', 'uuid_contract')) {
      const finaladvNamed = anyGiven(b, 'inn_finaladv', 'uuid_finaladv');
      const found = await this.contracts.resolve(
        { uuid: b.uuid_contract, number: b.number_contract, date: b.date_contract, finaladvUuid: finaladvNamed ? finaladv! : undefined },
        '_contract',
      );
      contract = found.uuid;
      finaladv = found.uuid_finaladv;
    } else if (contract && current && finaladv !== orNull(current.uuid_finaladv)) {
      contract = null; // another advertiser: the old advertiser's contract no longer applies
    }
    const brandNamed = anyGiven(b, 'uuid_brand', 'name_brand');
    const brand =
      brandNamed || !current || contractor !== current.uuid_contractor ? await this.#brand(contractor, b) : orNull(current.uuid_brand);
    return { contractor, finaladv, contract, brand };
  }

  async #brand(contractor: string, b: RkUpdateT): Promise<string | null> {
    const named = anyGiven(b, 'uuid_brand', 'name_brand');
    const where = new S.Where().eq('contractor_uuid', contractor).eq('uuid', b.uuid_brand);
    if (given(b.name_brand)) where.eq('name_lc', b.name_brand.toLowerCase());
    const rows = await this.hub.database.query<{ uuid: string; name: string }>(
      `select uuid, name from samba_brands ${where} order by name limit 3`,
      where.params,
    );
    if (named && rows.length === 0) {
      const what = S.described([
        ['uuid', b.uuid_brand],
        ['наименование', b.name_brand],
      ]);
      throw sambaError('NOT_FOUND', `Бренд не найден у юр. лица РК: ${what}`);
    }
    if (rows.length > 1) {
      const names = rows.map((r) => r.name).join(', ') + (rows.length > 2 ? ', …' : '');
      throw sambaError('AMBIGUOUS', `У юр. лица РК несколько брендов (${names}): укажите uuid_brand или name_brand`);
    }
    return rows[0]?.uuid ?? null;
  }
}

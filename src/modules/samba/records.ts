// The operator's view of what it entered (customers, placements, acts, payments): pages of them with filters, one
// record, a partial correction checked as creation checks it, and removal. Removal is decided by the schema's foreign
// keys: a customer that contracts, brands or campaigns point at is refused with the counts; nothing points at
// placements, acts or payments, so they always go (a placement's acts name it by text only and stay).
import type { Hub } from '../../platform/hub.js';
import type { CustomerT, PaymentT } from './answers.js';
import type { InvoiceService } from './invoices.js';
import { sambaError } from './errors.js';
import * as S from './store.js';
import * as V from './records-views.js';
import type { ActRecord, Page, Paging, PaymentRow, PlacementRecord, RecordFilter } from './records-views.js';
import { checkTaxIds, given, parseDate, toKopecks } from './values.js';

export type { ActRecord, Page, Paging, PlacementRecord, RecordFilter };

const notFound = (what: string) => sambaError('NOT_FOUND', `Запись не найдена: ${what}`);
const isForeignKeyViolation = (err: unknown): boolean => (err as { code?: string }).code === '23503';

export class RecordService {
  constructor(
    private readonly hub: Hub,
    private readonly invoices: InvoiceService,
  ) {}

  /** One page of `select … where … order by …`, with the total the filter matches. */
  async #page<R, T>(select: string, from: string, where: S.Where, order: string, paging: Paging, view: (r: R) => T): Promise<Page<T>> {
    const n = where.params.length;
    const rows = await this.hub.database.query<R>(`${select} ${where} order by ${order} limit $${n + 1} offset $${n + 2}`, [
      ...where.params,
      paging.pageSize,
      (paging.page - 1) * paging.pageSize,
    ]);
    const [count] = await this.hub.database.query<{ n: number | string }>(`select count(*) as n from ${from} ${where}`, where.params);
    return { items: rows.map(view), total: Number(count?.n ?? 0), page: paging.page, page_size: paging.pageSize };
  }

  #byCampaign(f: RecordFilter, alias: string): S.Where {
    checkTaxIds(f);
    return new S.Where().eq(`${alias}.campaign_uuid`, f.uuid_rk).eq('r.rk_id', f.rk_id).eq('c.inn', f.inn).eq('c.kpp', f.kpp);
  }

  customers(f: RecordFilter, paging: Paging): Promise<Page<CustomerT>> {
    checkTaxIds(f);
    const where = new S.Where().eq('inn', f.inn).eq('kpp', f.kpp).like('name_lc', f.name);
    return this.#page(S.SELECT_CUSTOMER, 'samba_customers', where, 'name, inn, kpp, uuid', paging, (r: CustomerT) => r);
  }

  async customer(uuid: string): Promise<CustomerT> {
    const [row] = await this.hub.database.query<CustomerT>(`${S.SELECT_CUSTOMER} where uuid = $1`, [uuid]);
    if (!row) throw notFound(`Юр. лицо ${uuid}`);
    return row;
  }

  /** ИНН and КПП are checked together as they will be stored (a КПП added to a 12-digit ИНН is refused). */
  async patchCustomer(uuid: string, b: { inn?: string; kpp?: string; name?: string; fullName?: string }): Promise<CustomerT> {
    const found = await this.customer(uuid);
    const next = {
      inn: b.inn ?? found.inn,
      kpp: b.kpp ?? found.kpp,
      name: b.name ?? found.name,
      fullName: b.fullName ?? found.fullName,
    };
    S.required(next, 'inn', 'name');
    checkTaxIds(next);
    try {
      await this.hub.database.query(
        `update samba_customers set inn = $2, kpp = $3, name = $4, name_lc = $5, full_name = $6 where uuid = $1`,
        [uuid, next.inn, next.kpp, next.name, next.name.toLowerCase(), next.fullName || next.name],
      );
    } catch (err) {
      if (!S.isUniqueViolation(err)) throw err;
      const [other] = await this.hub.database.query<CustomerT>(`${S.SELECT_CUSTOMER} where inn = $1 and kpp = $2`, [next.inn, next.kpp]);
      throw sambaError('EXISTS', `Юр. лицо с таким ИНН и КПП уже существует: ${other?.name ?? ''}`, other);
    }
    return this.customer(uuid);
  }

  /** The foreign keys refuse it while contracts, brands or campaigns name it; the 409 counts them. */
  async deleteCustomer(uuid: string): Promise<CustomerT> {
    const found = await this.customer(uuid);
    try {
      await this.hub.database.query(`delete from samba_customers where uuid = $1`, [uuid]);
    } catch (err) {
      if (!isForeignKeyViolation(err)) throw err;
      const [n] = await this.hub.database.query<{ contracts: number; brands: number; campaigns: number }>(
        `select (select count(*) from samba_contracts where contractor_uuid = $1)::int as contracts,
                (select count(*) from samba_brands where contractor_uuid = $1)::int as brands,
                (select count(*) from samba_campaigns where contractor_uuid = $1)::int as campaigns`,
        [uuid],
      );
      throw sambaError(
        'IN_USE',
        `Юр. лицо ${found.name} (ИНН ${found.inn}) используется: договоров ${n!.contracts}, брендов ${n!.brands}, РК ${n!.campaigns}. Удаление невозможно`,
        n,
      );
    }
    return found;
  }

  placements(f: RecordFilter, paging: Paging): Promise<Page<PlacementRecord>> {
    const where = this.#byCampaign(f, 'p').eq('p.placement', f.placement);
    return this.#page(V.SELECT_PLACEMENT, V.FROM_PLACEMENT, where, 'r.number_mf, p.created_at, p.placement', paging, V.placementView);
  }

  async placement(uuidRk: string, placement: string): Promise<PlacementRecord> {
    const [row] = await this.hub.database.query<Parameters<typeof V.placementView>[0]>(
      `${V.SELECT_PLACEMENT} where p.campaign_uuid = $1 and p.placement = $2`,
      [uuidRk, placement],
    );
    if (!row) throw notFound(`Размещение «${placement}» РК ${uuidRk}`);
    return V.placementView(row);
  }

  async patchPlacement(uuidRk: string, placement: string, b: { placement?: string; amount?: number | string }): Promise<PlacementRecord> {
    const found = await this.placement(uuidRk, placement);
    const name = b.placement ?? found.placement;
    S.required({ placement: name }, 'placement');
    const kop = b.amount === undefined ? Math.round(found.placement_amount * 100) : toKopecks(b.amount, 'amount');
    try {
      await this.hub.database.query(
        `update samba_placements set placement = $3, amount_kop = $4 where campaign_uuid = $1 and placement = $2`,
        [uuidRk, placement, name, kop],
      );
    } catch (err) {
      if (S.isUniqueViolation(err)) throw sambaError('EXISTS', `Размещение «${name}» у РК ${found.rk_id} уже есть`);
      throw err;
    }
    return this.placement(uuidRk, name);
  }

  async deletePlacement(uuidRk: string, placement: string): Promise<PlacementRecord> {
    const found = await this.placement(uuidRk, placement);
    await this.hub.database.query(`delete from samba_placements where campaign_uuid = $1 and placement = $2`, [uuidRk, placement]);
    return found;
  }

  acts(f: RecordFilter, paging: Paging): Promise<Page<ActRecord>> {
    const where = this.#byCampaign(f, 'a').eq('a.placement', f.placement);
    return this.#page(V.SELECT_ACT, V.FROM_ACT, where, 'r.number_mf, a.created_at, a.uuid', paging, V.actView);
  }

  async act(uuid: string): Promise<ActRecord> {
    const [row] = await this.hub.database.query<Parameters<typeof V.actView>[0]>(`${V.SELECT_ACT} where a.uuid = $1`, [uuid]);
    if (!row) throw notFound(`Акт ${uuid}`);
    return V.actView(row);
  }

  async patchAct(uuid: string, b: { placement?: string; document?: string; amount?: number | string }): Promise<ActRecord> {
    const found = await this.act(uuid);
    const placement = b.placement ?? found.placement;
    const document = b.document ?? found.document;
    S.required({ placement, document }, 'placement', 'document');
    const kop = b.amount === undefined ? Math.round(found.act_amount * 100) : toKopecks(b.amount, 'amount', { allowNegative: true });
    try {
      await this.hub.database.query(`update samba_acts set placement = $2, document = $3, amount_kop = $4 where uuid = $1`, [
        uuid,
        placement,
        document,
        kop,
      ]);
    } catch (err) {
      if (S.isUniqueViolation(err))
        throw sambaError('EXISTS', `Акт «${document}» по размещению «${placement}» у РК ${found.rk_id} уже есть`);
      throw err;
    }
    return this.act(uuid);
  }

  async deleteAct(uuid: string): Promise<ActRecord> {
    const found = await this.act(uuid);
    await this.hub.database.query(`delete from samba_acts where uuid = $1`, [uuid]);
    return found;
  }

  payments(f: RecordFilter, paging: Paging): Promise<Page<PaymentT>> {
    checkTaxIds(f);
    const where = new S.Where()
      .eq('i.uuid', f.uuid_po)
      .eq('r.rk_id', f.rk_id)
      .eq('r.uuid', f.uuid_rk)
      .eq('c.inn', f.inn)
      .eq('c.kpp', f.kpp);
    // The invoice number as 1C gave it or as the caller sent it, like /payment/po finds it.
    if (given(f.number_po)) where.raw('(i.number = ? or i.ext_number = ?)', f.number_po, f.number_po);
    return this.#page(V.SELECT_PAYMENT, V.FROM_PAYMENT, where, 'p.date, p.created_at, p.uuid', paging, V.paymentView);
  }

  async payment(uuid: string): Promise<PaymentT> {
    const [row] = await this.hub.database.query<PaymentRow>(`${V.SELECT_PAYMENT} where p.uuid = $1`, [uuid]);
    if (!row) throw notFound(`Платежный документ ${uuid}`);
    return V.paymentView(row);
  }

  /** Another invoice may be named (uuid_po, or number_po + date_po), found as POST finds it. */
  async patchPayment(uuid: string, b: PaymentPatch): Promise<PaymentT> {
    const found = await this.payment(uuid);
    const relinked = given(b.uuid_po) || given(b.number_po);
    const invoice = relinked ? (await this.invoices.find({ uuid: b.uuid_po, number: b.number_po, date: b.date_po })).uuid : found.uuid_po;
    const date = given(b.date) ? parseDate(b.date, 'date') : found.date;
    const number = b.number ?? found.number;
    S.required({ number }, 'number');
    await this.hub.database.query(
      `update samba_payments set invoice_uuid = $2, doctype = $3, number_mf = $4, number = $5, date = $6, payment_date = $7,
         amount_kop = $8, details = $9 where uuid = $1`,
      [
        uuid,
        invoice,
        given(b.doctype) ? b.doctype : found.doctype,
        b.numberMF ?? found.numberMF,
        number,
        date,
        given(b.paymentdate) ? parseDate(b.paymentdate, 'paymentdate') : found.paymentdate,
        b.amount === undefined ? Math.round(found.amount * 100) : toKopecks(b.amount, 'amount', { allowNegative: true }),
        b.payment_details ?? found.payment_details,
      ],
    );
    return this.payment(uuid);
  }

  async deletePayment(uuid: string): Promise<PaymentT> {
    const found = await this.payment(uuid);
    await this.hub.database.query(`delete from samba_payments where uuid = $1`, [uuid]);
    return found;
  }
}

export interface PaymentPatch {
  readonly uuid_po?: string;
  readonly number_po?: string;
  readonly date_po?: string;
  readonly doctype?: string;
  readonly numberMF?: string;
  readonly number?: string;
  readonly date?: string;
  readonly paymentdate?: string;
  readonly amount?: number | string;
  readonly payment_details?: string;
}

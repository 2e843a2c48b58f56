// Счета на оплату покупателю (seed 002 §6). The service numbers an invoice `УЛУ` + the campaign's numberMF digits +
// `/` + its sequence within the campaign (two digits), dates it at creation (Moscow time), takes the amount with VAT
// and computes the VAT by the invoice date's rate in whole kopecks; `advance` is the campaign's. An invoice is found
// by uuid, or by number (1C's, or the caller's own sent at creation) and date.
import { randomUUID } from 'node:crypto';
import type { Hub } from '../../platform/hub.js';
import type { InvoiceT } from './answers.js';
import type { PoQueryT, PoRefT, PoUpdateT } from './contract.js';
import type { CampaignService } from './campaigns.js';
import { sambaError } from './errors.js';
import type { Saved } from './parties.js';
import * as S from './store.js';
import { given, moscow, parseDate, parseDay, ruDate, rubles, toKopecks, vatIncluded, vatRateOn } from './values.js';

interface InvoiceRow {
  uuid: string;
  number: string;
  date: string;
  advance: boolean;
  amount_kop: number;
  vat_kop: number;
  uuid_rk: string;
  rk_id: string;
  numberMF: string;
}

export const SELECT_INVOICE = `select i.uuid, i.number, i.date, i.advance, i.amount_kop, i.vat_kop,
    r.uuid as uuid_rk, r.rk_id, r.number_mf as "numberMF"
  from samba_invoices i join samba_campaigns r on r.uuid = i.campaign_uuid`;

export const invoiceView = (r: InvoiceRow): InvoiceT => ({
  uuid: r.uuid,
  number: r.number,
  date: r.date,
  advance: r.advance,
  amount: rubles(r.amount_kop),
  vat: rubles(r.vat_kop),
  uuid_rk: r.uuid_rk,
  rk_id: r.rk_id,
  numberMF: r.numberMF,
});
const saved = (r: InvoiceRow) => ({ uuid: r.uuid, number: r.number, date: r.date, amount: rubles(r.amount_kop), vat: rubles(r.vat_kop) });

/** The seed spells the campaign's uuid rk_uuid in its parameter tables and uuid_rk in its answers: both are taken. */
function rkUuidOf(b: { rk_uuid?: string; uuid_rk?: string }): string | undefined {
  if (given(b.rk_uuid) && given(b.uuid_rk) && b.rk_uuid !== b.uuid_rk) {
    throw sambaError('CONFLICT', 'rk_uuid и uuid_rk указывают на разные РК');
  }
  return given(b.rk_uuid) ? b.rk_uuid : b.uuid_rk;
}

/**
 * Insert with its number in one statement: the campaign row's update takes its lock, so concurrent invoices of one
 * campaign get consecutive sequence numbers and none is used twice (the unique index on number is the backstop).
 */
const INSERT = `with c as (
    update samba_campaigns set invoice_seq = invoice_seq + 1 where uuid = $2 returning number_mf, invoice_seq, advance)
  insert into samba_invoices (uuid, campaign_uuid, number, date, advance, amount_kop, vat_kop, vat_rate, ext_number, ext_date)
  select $1, $2, 'УЛУ' || regexp_replace(c.number_mf, '[^0-9]', '', 'g') || '/'
      || case when c.invoice_seq < 10 then '0' || c.invoice_seq::text else c.invoice_seq::text end,
    $3, c.advance, $4, $5, $6, $7, $8 from c
  returning uuid`;

const CREATED = 'Счет на оплату покупателю успешно создан';

export class InvoiceService {
  constructor(
    private readonly hub: Hub,
    private readonly campaigns: CampaignService,
    private readonly now: () => Date,
  ) {}

  async list(q: PoQueryT): Promise<InvoiceT[]> {
    const day = (v: string | undefined, field: string) => (given(v) ? parseDay(v, field) : undefined);
    const where = new S.Where()
      .from('i.date', day(q.date_start, 'date_start'))
      .to('i.date', day(q.date_end, 'date_end'))
      .day('i.date', day(q.date, 'date'))
      .eq('i.advance', q.advance === 'true' ? true : q.advance === 'false' ? false : undefined)
      .eq('i.uuid', q.uuid)
      .eq('r.uuid', rkUuidOf(q))
      .eq('r.rk_id', q.rk_id)
      .eq('r.number_mf', q.numberMF);
    if (given(q.number)) where.raw('(i.number = ? or i.ext_number = ?)', q.number, q.number);
    const rows = await this.hub.database.query<InvoiceRow>(`${SELECT_INVOICE} ${where} order by i.date, i.number`, where.params);
    return rows.map(invoiceView);
  }

  /** Seed §6.4/6.5/7.1: by uuid, or by number (1C's or the caller's) and, when given, date. */
  async find(ref: PoRefT): Promise<InvoiceT> {
    S.requireOneOf(ref, ['uuid', 'number']);
    const day = given(ref.date) ? parseDay(ref.date, 'date') : undefined;
    const where = new S.Where().eq('i.uuid', ref.uuid);
    if (given(ref.number)) where.raw('(i.number = ? or i.ext_number = ?)', ref.number, ref.number);
    if (day) where.raw('(substr(i.date, 1, 10) = ? or substr(i.ext_date, 1, 10) = ?)', day, day);
    const criteria = S.described([
      ['uuid', ref.uuid],
      ['номер', ref.number],
      ['дата', day && ruDate(day)],
    ]);
    return invoiceView(await S.one<InvoiceRow>(this.hub, S.KINDS.invoice, SELECT_INVOICE, where, criteria, 'uuid или дату счета'));
  }

  async create(b: PoUpdateT): Promise<Saved<ReturnType<typeof saved>>> {
    S.requireOneOf(b, ['rk_id', 'rk_uuid', 'uuid_rk']);
    S.required(b, 'amount');
    const amount = toKopecks(b.amount!, 'amount');
    const extDate = given(b.date) ? parseDate(b.date, 'date') : '';
    const campaign = await this.campaigns.resolve({ uuid: rkUuidOf(b), rk_id: b.rk_id });
    const repeated = await this.#repeated(b.number, extDate, campaign.uuid, amount);
    if (repeated) return repeated;
    const date = moscow(this.now());
    const rate = vatRateOn(date);
    const uuid = randomUUID();
    let rows: Array<{ uuid: string }>;
    try {
      rows = await this.hub.database.query<{ uuid: string }>(INSERT, [
        uuid,
        campaign.uuid,
        date,
        amount,
        vatIncluded(amount, rate),
        rate,
        b.number ?? '',
        extDate,
      ]);
    } catch (err) {
      // The same caller's number sent twice at once: the second insert (and its sequence bump) is undone, and it
      // answers what the first made.
      if (!S.isUniqueViolation(err)) throw err;
      const again = await this.#repeated(b.number, extDate, campaign.uuid, amount);
      if (!again) throw err;
      return again;
    }
    if (!rows[0]) throw sambaError('NOT_FOUND', `РК ${S.KINDS.campaign.notFound}: uuid ${campaign.uuid}`);
    return { message: CREATED, result: await this.#saved(uuid) };
  }

  /**
   * A POST repeating the caller's number and date (a retry after a lost answer) answers the invoice it made, as
   * the first call did; the same number and date with another campaign or sum is a different invoice under a used
   * number: 409 carrying the existing one.
   */
  async #repeated(number: string | undefined, extDate: string, campaign: string, amount: number) {
    if (!given(number)) return undefined;
    const [row] = await this.hub.database.query<{ uuid: string; campaign_uuid: string; amount_kop: number }>(
      `select uuid, campaign_uuid, amount_kop from samba_invoices where ext_number = $1 and ext_date = $2`,
      [number, extDate],
    );
    if (!row) return undefined;
    const existing = await this.#saved(row.uuid);
    if (row.campaign_uuid !== campaign || Number(row.amount_kop) !== amount) {
      const when = extDate ? ` от ${ruDate(extDate)}` : '';
      throw sambaError('EXISTS', `Счет с номером ${number}${when} уже создан (${existing.number}) с другой РК или суммой`, existing);
    }
    return { message: CREATED, result: existing };
  }

  /** Seed §6.4: the amount (and campaign) replaced; VAT recomputed at the invoice date's rate, advance from the campaign. */
  async update(b: PoUpdateT): Promise<Saved<ReturnType<typeof saved>>> {
    const found = await this.find(b);
    S.requireOneOf(b, ['rk_id', 'rk_uuid', 'uuid_rk']);
    S.required(b, 'amount');
    const amount = toKopecks(b.amount!, 'amount');
    const campaign = await this.campaigns.resolve({ uuid: rkUuidOf(b), rk_id: b.rk_id });
    const rate = vatRateOn(found.date);
    await this.hub.database.query(
      `update samba_invoices set campaign_uuid = $2, advance = $3, amount_kop = $4, vat_kop = $5, vat_rate = $6 where uuid = $1`,
      [found.uuid, campaign.uuid, campaign.advance, amount, vatIncluded(amount, rate), rate],
    );
    return { message: 'Счет на оплату покупателю обновлен', result: await this.#saved(found.uuid) };
  }

  /** Seed §6.5: refused (409, the documents listed) while payment documents exist; the check and delete are one statement. */
  async delete(ref: PoRefT): Promise<Saved<{ uuid: string; number: string; date: string }>> {
    const found = await this.find(ref);
    const rows = await this.hub.database.query(
      `delete from samba_invoices i where i.uuid = $1 and not exists (select 1 from samba_payments p where p.invoice_uuid = i.uuid)
       returning i.uuid`,
      [found.uuid],
    );
    if (rows.length === 0) {
      const docs = await this.hub.database.query<{ uuid: string; doctype: string; number_mf: string; number: string; date: string }>(
        `select uuid, doctype, number_mf, number, date from samba_payments where invoice_uuid = $1 order by date, uuid`,
        [found.uuid],
      );
      throw sambaError(
        'HAS_DOCUMENTS',
        undefined,
        docs.map((d) => ({
          uuid: found.uuid,
          number: found.number,
          date: found.date,
          uuid_doc: d.uuid,
          name_doc: `${d.doctype} ${d.number_mf || d.number} от ${documentMoment(d.date)}`,
        })),
      );
    }
    return { message: 'Счет на оплату покупателю удален', result: { uuid: found.uuid, number: found.number, date: found.date } };
  }

  async #saved(uuid: string) {
    const [row] = await this.hub.database.query<InvoiceRow>(`${SELECT_INVOICE} where i.uuid = $1`, [uuid]);
    return saved(row!);
  }
}

/** 1C's presentation of a document's moment: `17.09.2024 23:53:18`, `30.09.2024 0:00:00` (hour without a leading zero). */
export const documentMoment = (stored: string): string => `${ruDate(stored)} ${Number(stored.slice(11, 13))}${stored.slice(13, 19)}`;

// Payments against invoices (seed 002 §7.1) and placements/acts per campaign (§7.2, §7.3). Until 1C's own documents
// reach the hub (bank statement import, act import) the operator enters them through the admin API.
import { randomUUID } from 'node:crypto';
import type { Hub } from '../../platform/hub.js';
import type { PaymentT } from './answers.js';
import type { ActsQueryT, PoRefT } from './contract.js';
import type { CampaignService } from './campaigns.js';
import type { InvoiceService } from './invoices.js';
import { sambaError } from './errors.js';
import { given, parseDate, rubles, toKopecks } from './values.js';

export type PaymentStatus = PaymentT['status'];

/** The invoice's payment status from the documents' total (a refund is a negative document). */
export function paymentStatus(paidKop: number, amountKop: number): PaymentStatus {
  if (paidKop <= 0) return 'Не оплачено';
  if (paidKop < amountKop) return 'Частично оплачено';
  return paidKop === amountKop ? 'Оплачено' : 'Переплата';
}

export interface NewPayment {
  readonly uuid_po?: string;
  readonly number_po?: string;
  readonly date_po?: string;
  readonly doctype?: string;
  readonly numberMF?: string;
  readonly number: string;
  readonly date: string;
  readonly paymentdate?: string;
  readonly amount: number | string;
  readonly payment_details?: string;
}

export class PaymentService {
  constructor(
    private readonly hub: Hub,
    private readonly invoices: InvoiceService,
  ) {}

  /** The invoice's payment documents, each with the invoice's status (seed §7.1); none: an empty list. */
  async list(ref: PoRefT): Promise<PaymentT[]> {
    const invoice = await this.invoices.find(ref);
    const rows = await this.hub.database.query<{
      uuid: string;
      doctype: string;
      number_mf: string;
      number: string;
      date: string;
      payment_date: string;
      amount_kop: number;
      details: string;
    }>(
      `select uuid, doctype, number_mf, number, date, payment_date, amount_kop, details from samba_payments
       where invoice_uuid = $1 order by date, created_at, uuid`,
      [invoice.uuid],
    );
    const paid = rows.reduce((s, r) => s + r.amount_kop, 0);
    const status = paymentStatus(paid, Math.round(invoice.amount * 100));
    return rows.map((r) => ({
      uuid: r.uuid,
      doctype: r.doctype,
      numberMF: r.number_mf,
      status,
      number: r.number,
      date: r.date,
      paymentdate: r.payment_date,
      amount: rubles(r.amount_kop),
      payment_details: r.details,
      uuid_po: invoice.uuid,
      number_po: invoice.number,
      date_po: invoice.date,
    }));
  }

  /** A payment document against an invoice (found like /payment/po finds it). */
  async add(p: NewPayment): Promise<PaymentT> {
    const invoice = await this.invoices.find({ uuid: p.uuid_po, number: p.number_po, date: p.date_po });
    const date = parseDate(p.date, 'date');
    const uuid = randomUUID();
    await this.hub.database.query(
      `insert into samba_payments (uuid, invoice_uuid, doctype, number_mf, number, date, payment_date, amount_kop, details)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        uuid,
        invoice.uuid,
        p.doctype || 'Платежное поручение входящее',
        p.numberMF ?? '',
        p.number,
        date,
        given(p.paymentdate) ? parseDate(p.paymentdate, 'paymentdate') : date,
        toKopecks(p.amount, 'amount', { allowNegative: true }),
        p.payment_details ?? '',
      ],
    );
    return (await this.list({ uuid: invoice.uuid })).find((x) => x.uuid === uuid)!;
  }
}

export interface NewPlacement {
  readonly uuid_rk?: string;
  readonly rk_id?: string;
  readonly placement: string;
  readonly amount: number | string;
}

export class ActService {
  constructor(
    private readonly hub: Hub,
    private readonly campaigns: CampaignService,
  ) {}

  #campaign(q: ActsQueryT) {
    if (given(q.uuid) && given(q.uuid_rk) && q.uuid !== q.uuid_rk) throw sambaError('CONFLICT', 'uuid и uuid_rk указывают на разные РК');
    return this.campaigns.resolve({ uuid: given(q.uuid) ? q.uuid : q.uuid_rk, rk_id: q.rk_id });
  }

  /** Seed §7.2: per campaign, the placements' total and the acts' total; no campaign named: every campaign that has either. */
  async sums(q: ActsQueryT): Promise<Array<{ uuid_rk: string; placements_amount: number; acts_amount: number }>> {
    const named = given(q.uuid) || given(q.uuid_rk) || given(q.rk_id);
    const uuid = named ? (await this.#campaign(q)).uuid : null;
    const rows = await this.hub.database.query<{ uuid_rk: string; placements: number; acts: number }>(
      `select r.uuid as uuid_rk,
         coalesce((select sum(amount_kop) from samba_placements p where p.campaign_uuid = r.uuid), 0)::bigint as placements,
         coalesce((select sum(amount_kop) from samba_acts a where a.campaign_uuid = r.uuid), 0)::bigint as acts
       from samba_campaigns r
       where ($1::text is null and (exists (select 1 from samba_placements p where p.campaign_uuid = r.uuid)
                                    or exists (select 1 from samba_acts a where a.campaign_uuid = r.uuid)))
          or r.uuid = $1
       order by r.number_mf`,
      [uuid],
    );
    return rows.map((r) => ({ uuid_rk: r.uuid_rk, placements_amount: rubles(Number(r.placements)), acts_amount: rubles(Number(r.acts)) }));
  }

  /** Seed §7.3: `[placements, acts]` of one campaign, with the field names of the seed's example. */
  async details(q: ActsQueryT) {
    const c = await this.#campaign(q);
    const placements = await this.hub.database.query<{ placement: string; amount_kop: number }>(
      `select placement, amount_kop from samba_placements where campaign_uuid = $1 order by created_at, placement`,
      [c.uuid],
    );
    const acts = await this.hub.database.query<{ placement: string; document: string; amount_kop: number }>(
      `select placement, document, amount_kop from samba_acts where campaign_uuid = $1 order by created_at, uuid`,
      [c.uuid],
    );
    return [
      placements.map((p) => ({ uuid_rk: c.uuid, placement: p.placement, placement_amount: rubles(p.amount_kop) })),
      acts.map((a) => ({ uuid_rk: c.uuid, placement: a.placement, document: a.document, act_amount: rubles(a.amount_kop) })),
    ] as [
      Array<{ uuid_rk: string; placement: string; placement_amount: number }>,
      Array<{ uuid_rk: string; placement: string; document: string; act_amount: number }>,
    ];
  }

  /** A placement of a campaign with its sum; the same placement again replaces its sum. */
  async addPlacement(p: NewPlacement): Promise<{ uuid_rk: string; placement: string; placement_amount: number }> {
    const c = await this.campaigns.resolve({ uuid: p.uuid_rk, rk_id: p.rk_id }, ['uuid_rk', 'rk_id']);
    const kop = toKopecks(p.amount, 'amount');
    await this.hub.database.query(
      `insert into samba_placements (campaign_uuid, placement, amount_kop) values ($1, $2, $3)
       on conflict (campaign_uuid, placement) do update set amount_kop = excluded.amount_kop`,
      [c.uuid, p.placement, kop],
    );
    return { uuid_rk: c.uuid, placement: p.placement, placement_amount: rubles(kop) };
  }

  /** An act (реализация) closing part of a placement; the same document for the same placement again replaces its sum. */
  async addAct(p: NewPlacement & { document: string }) {
    const c = await this.campaigns.resolve({ uuid: p.uuid_rk, rk_id: p.rk_id }, ['uuid_rk', 'rk_id']);
    const kop = toKopecks(p.amount, 'amount', { allowNegative: true });
    await this.hub.database.query(
      `insert into samba_acts (uuid, campaign_uuid, placement, document, amount_kop) values ($1, $2, $3, $4, $5)
       on conflict (campaign_uuid, placement, document) do update set amount_kop = excluded.amount_kop`,
      [randomUUID(), c.uuid, p.placement, p.document, kop],
    );
    return { uuid_rk: c.uuid, placement: p.placement, document: p.document, act_amount: rubles(kop) };
  }
}

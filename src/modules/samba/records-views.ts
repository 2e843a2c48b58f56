// The rows the operator's record routes read (customers read as everywhere else, store.ts's SELECT_CUSTOMER) and
// their answers; each query joins the campaign and its contractor so that every list filters by rk_id and ИНН.
import type { PaymentT } from './answers.js';
import { paymentStatus } from './payments.js';
import { rubles } from './values.js';

export interface Paging {
  readonly page: number;
  readonly pageSize: number;
}
export interface Page<T> {
  readonly items: T[];
  readonly total: number;
  readonly page: number;
  readonly page_size: number;
}
export interface PlacementRecord {
  uuid_rk: string;
  rk_id: string;
  placement: string;
  placement_amount: number;
}
export interface ActRecord extends Omit<PlacementRecord, 'placement_amount'> {
  uuid: string;
  document: string;
  act_amount: number;
}
export interface RecordFilter {
  readonly inn?: string;
  readonly kpp?: string;
  readonly name?: string;
  readonly rk_id?: string;
  readonly uuid_rk?: string;
  readonly placement?: string;
  readonly number_po?: string;
  readonly uuid_po?: string;
}

export const FROM_PLACEMENT = `samba_placements p join samba_campaigns r on r.uuid = p.campaign_uuid
  join samba_customers c on c.uuid = r.contractor_uuid`;
export const SELECT_PLACEMENT = `select p.campaign_uuid as uuid_rk, r.rk_id, p.placement, p.amount_kop from ${FROM_PLACEMENT}`;
export const FROM_ACT = `samba_acts a join samba_campaigns r on r.uuid = a.campaign_uuid join samba_customers c on c.uuid = r.contractor_uuid`;
export const SELECT_ACT = `select a.uuid, a.campaign_uuid as uuid_rk, r.rk_id, a.placement, a.document, a.amount_kop from ${FROM_ACT}`;
export const FROM_PAYMENT = `samba_payments p join samba_invoices i on i.uuid = p.invoice_uuid
  join samba_campaigns r on r.uuid = i.campaign_uuid join samba_customers c on c.uuid = r.contractor_uuid`;
// Each payment carries its invoice's status, as /payment/po answers it: the invoice's documents summed.
export const SELECT_PAYMENT = `select p.uuid, p.doctype, p.number_mf, p.number, p.date, p.payment_date, p.amount_kop, p.details,
    i.uuid as uuid_po, i.number as number_po, i.date as date_po, i.amount_kop as invoice_kop,
    (select coalesce(sum(x.amount_kop), 0) from samba_payments x where x.invoice_uuid = i.uuid)::bigint as paid_kop
  from ${FROM_PAYMENT}`;

export interface PaymentRow {
  uuid: string;
  doctype: string;
  number_mf: string;
  number: string;
  date: string;
  payment_date: string;
  amount_kop: number;
  details: string;
  uuid_po: string;
  number_po: string;
  date_po: string;
  invoice_kop: number;
  paid_kop: number | string;
}
export const paymentView = (r: PaymentRow): PaymentT => ({
  uuid: r.uuid,
  doctype: r.doctype,
  numberMF: r.number_mf,
  status: paymentStatus(Number(r.paid_kop), Number(r.invoice_kop)),
  number: r.number,
  date: r.date,
  paymentdate: r.payment_date,
  amount: rubles(Number(r.amount_kop)),
  payment_details: r.details,
  uuid_po: r.uuid_po,
  number_po: r.number_po,
  date_po: r.date_po,
});
export const placementView = (r: { uuid_rk: string; rk_id: string; placement: string; amount_kop: number }): PlacementRecord => ({
  uuid_rk: r.uuid_rk,
  rk_id: r.rk_id,
  placement: r.placement,
  placement_amount: rubles(Number(r.amount_kop)),
});
export const actView = (r: { uuid: string; uuid_rk: string; rk_id: string; placement: string; document: string; amount_kop: number }) => ({
  uuid: r.uuid,
  uuid_rk: r.uuid_rk,
  rk_id: r.rk_id,
  placement: r.placement,
  document: r.document,
  act_amount: rubles(Number(r.amount_kop)),
});

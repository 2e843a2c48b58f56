// What the 1C contracts' schemas cannot see, checked before anything is sent to 1C and reported like a schema
// error (400 VALIDATION_FAILED, one problem per field): an ИНН's check digits, a КПП with a 12-digit ИНН or
// without any, a company without an ИНН, money with more than two decimals, quantities with more than three.
import { isValidInn, isValidKpp } from '../../platform/rules/requisites.js';
import { kopecksOf, milliOf } from '../../platform/rules/vat.js';
import { customsError, type Problem } from './errors.js';
import type { ClientDataFor1C, InvoicePaymentNotification, ServiceDataFor1CInvoice } from './onec-contract.js';

/** The largest sum accepted: 10¹³ roubles in kopecks (times 22 still an exact double). */
const MAX_KOPECKS = 1e15;

export class Problems {
  readonly list: Problem[] = [];
  add(field: string, code: string, message: string): void {
    this.list.push({ field, code, message });
  }
  /** VALIDATION_FAILED naming every problem found, when there is one. */
  throwIfAny(): void {
    if (this.list.length) throw customsError('VALIDATION_FAILED', undefined, this.list);
  }
}

export function checkInn(p: Problems, field: string, inn: string | undefined): void {
  if (inn !== undefined && !isValidInn(inn)) p.add(field, 'INN_CHECKSUM', 'ИНН: не сходятся контрольные цифры');
}

/** The route's check (webhook-routes.ts): every problem of the body, none when it may be stored. */
export const clientProblems = (body: ClientDataFor1C): Problem[] => collect((p) => clientChecks(p, body));
export const invoiceProblems = (body: ServiceDataFor1CInvoice): Problem[] => collect((p) => readLines(p, body));
export const paymentProblems = (body: InvoicePaymentNotification): Problem[] => collect((p) => readPayment(p, body));

function collect(fn: (p: Problems) => unknown): Problem[] {
  const p = new Problems();
  fn(p);
  return p.list;
}

/** The service's guard (the job runs it again on the stored body): VALIDATION_FAILED naming every problem. */
export function checkClient(body: ClientDataFor1C): void {
  const p = new Problems();
  clientChecks(p, body);
  p.throwIfAny();
}

function clientChecks(p: Problems, body: ClientDataFor1C): void {
  const c = body.client;
  checkInn(p, 'client.inn', c.inn);
  if (c.kind === 'company' && c.inn === undefined) p.add('client.inn', 'INN_REQUIRED', 'У компании (организации или ИП) ИНН обязателен');
  if (c.kpp !== undefined) {
    if (!isValidKpp(c.kpp)) p.add('client.kpp', 'KPP_FORMAT', 'КПП: 9 знаков NNNNPPXXX, PP не 00');
    else if (c.inn?.length !== 10) p.add('client.kpp', 'KPP_NOT_ALLOWED', 'КПП указывается только для организации с ИНН из 10 цифр');
  }
  p.throwIfAny();
}

/** A sum in kopecks, or a problem naming the field (undefined then). */
export function money(p: Problems, field: string, value: number | string, opts: { positive?: boolean } = {}): number | undefined {
  const kop = kopecksOf(value);
  if (kop === undefined || kop < 0 || kop > MAX_KOPECKS) {
    p.add(field, 'AMOUNT_FORMAT', `Сумма ${String(value)}: неотрицательное число, не больше двух знаков после запятой`);
    return undefined;
  }
  if (opts.positive && kop === 0) p.add(field, 'AMOUNT_ZERO', 'Сумма должна быть больше нуля');
  return kop;
}

export interface InvoiceLineValues {
  readonly name: string;
  readonly unit?: string;
  readonly priceKop: number;
  readonly quantityMilli: number;
  readonly withoutVat: boolean;
}

export function invoiceLines(body: ServiceDataFor1CInvoice): InvoiceLineValues[] {
  const p = new Problems();
  const lines = readLines(p, body);
  p.throwIfAny();
  return lines;
}

function readLines(p: Problems, body: ServiceDataFor1CInvoice): InvoiceLineValues[] {
  checkInn(p, 'client.inn', body.client.inn);
  return body.lines.map((l, i) => {
    const priceKop = money(p, `lines.${i}.price`, l.price, { positive: true }) ?? 0;
    const quantityMilli = milliOf(l.quantity);
    if (quantityMilli === undefined || quantityMilli === 0)
      p.add(`lines.${i}.quantity`, 'QUANTITY_FORMAT', `Количество ${String(l.quantity)}: больше нуля, не больше трёх знаков после запятой`);
    return {
      name: l.name,
      ...(l.unit ? { unit: l.unit } : {}),
      priceKop,
      quantityMilli: quantityMilli ?? 0,
      withoutVat: l.withoutVat === true,
    };
  });
}

interface PaymentValues {
  readonly amountKop: number;
  readonly totalPaidKop: number;
  readonly invoiceTotalKop: number | null;
}

export function paymentValues(body: InvoicePaymentNotification): PaymentValues {
  const p = new Problems();
  const values = readPayment(p, body);
  p.throwIfAny();
  return values;
}

function readPayment(p: Problems, body: InvoicePaymentNotification): PaymentValues {
  const amountKop = money(p, 'amount', body.amount, { positive: true });
  const totalPaidKop = money(p, 'totalPaid', body.totalPaid, { positive: true });
  const invoiceTotalKop = body.invoice.total === undefined ? null : money(p, 'invoice.total', body.invoice.total, { positive: true });
  if (amountKop !== undefined && totalPaidKop !== undefined && totalPaidKop < amountKop)
    p.add('totalPaid', 'TOTAL_PAID_LESS', 'Оплачено всего не может быть меньше суммы этого платежа');
  if (Number.isNaN(Date.parse(body.paidAt))) p.add('paidAt', 'DATE_FORMAT', 'Момент оплаты: дата и время ISO 8601');
  return { amountKop: amountKop ?? 0, totalPaidKop: totalPaidKop ?? 0, invoiceTotalKop: invoiceTotalKop ?? null };
}

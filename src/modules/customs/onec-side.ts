// The 1C side of the customs module, knowing nothing of HTTP: a counterparty into 1C (new_lead), an invoice into
// 1C (new_invoice, VAT per line by the invoice date) and a payment from 1C. Each returns a small result — a code and
// string values — which the module's pipeline turns into amoCRM updates by the account's mapping. Each is safe to
// run again with the same body (a job retried after 1C was down): new_lead updates the counterparty the amoCRM id
// names, new_invoice carries request_id `customs:<account>:<eventId>` which 1C dedupes, a stored invoice is
// answered without calling 1C, a payment's eventId is recorded once. 1C failures propagate as OnecError, whose
// `retryable` says whether a later attempt can succeed.
import type { Hub } from '../../platform/hub.js';
import type { OnecConnector, OnecInvoiceInput } from '../../connectors/onec/index.js';
import { rublesText, vatDocument, vatRateOn } from '../../platform/rules/vat.js';
import type { ClientDataFor1C, InvoicePaymentNotification, ServiceDataFor1CInvoice } from './onec-contract.js';
import type { OnecBaseService } from './onec-bases.js';
import { checkClient, invoiceLines, paymentValues } from './onec-values.js';

/** What happened, for the amoCRM mapping: `linked` {id_1c, link}, `invoice_created` {number, total, vat, …}, `paid` / `partially_paid` {paid, total, …}. */
export interface OnecResult {
  readonly code: 'linked' | 'invoice_created' | 'paid' | 'partially_paid';
  readonly values: Record<string, string>;
}

interface InvoiceRow {
  id: number | string;
  id_1c: string;
  number: string;
  date: string;
  link: string;
  total_kopecks: number | string | null;
  vat_kopecks: number | string | null;
  paid_kopecks: number | string;
  status: 'issued' | 'partially_paid' | 'paid';
}

const INVOICE_COLUMNS = 'id, id_1c, number, date, link, total_kopecks, vat_kopecks, paid_kopecks, status';
const num = (v: number | string | null) => (v === null ? null : Number(v));

/** The idempotency key of an invoice in 1C: one per amoCRM account and trigger event. */
export const invoiceRequestId = (accountId: number, eventId: string) => `customs:${accountId}:${eventId}`;

export class OnecSide {
  constructor(
    private readonly hub: Hub,
    private readonly onec: Pick<OnecConnector, 'upsertCounterparty' | 'createInvoice'>,
    private readonly bases: Pick<OnecBaseService, 'target'>,
  ) {}

  /** new_lead: the client as a 1C counterparty (a company by its ИНН); other requisites ride as p_* values. */
  async sendClient(accountId: number, body: ClientDataFor1C): Promise<OnecResult> {
    checkClient(body);
    const c = body.client;
    const target = await this.bases.target(accountId);
    const extra: Record<`p_${string}`, string> = {};
    if (c.kpp) extra.p_kpp = c.kpp;
    if (c.birthDate) extra.p_birth_date = c.birthDate;
    if (c.address) extra.p_address = c.address;
    if (c.passport) {
      const pp = c.passport;
      extra.p_passport = [pp.series, pp.number].filter(Boolean).join(' ');
      if (pp.issueDate) extra.p_passport_issue_date = pp.issueDate;
      if (pp.issuedBy) extra.p_passport_issued_by = pp.issuedBy;
      if (pp.issuerCode) extra.p_passport_issuer_code = pp.issuerCode;
    }
    // A contact's ИНН travels as p_inn: 1C tells a company by `inn` (ONEC_FACTS.counterpartyKey).
    if (c.kind === 'contact' && c.inn) extra.p_inn = c.inn;
    const common = {
      id: c.id,
      name: c.name,
      responsible_user_id: body.responsibleUserId,
      ...(c.id1c ? { id_1c: c.id1c } : {}),
      ...(c.phone ? { phone: c.phone } : {}),
      ...(c.email ? { email: c.email } : {}),
      p_lead_id: String(body.leadId),
      ...extra,
    };
    const linked = await this.onec.upsertCounterparty(target, c.kind === 'company' ? { ...common, inn: c.inn! } : common);
    return { code: 'linked', values: { id_1c: linked.id_1c, link: linked.link } };
  }

  /**
   * new_invoice: VAT per line at the invoice date's rate (none on «без НДС» lines), rounded to the kopeck; totals
   * are the sums of the lines. Stored in customs_invoices under the event; the same event again answers the stored
   * invoice without calling 1C.
   */
  async createInvoice(accountId: number, body: ServiceDataFor1CInvoice): Promise<OnecResult> {
    const lines = invoiceLines(body);
    const known = await this.#invoiceOfEvent(accountId, body.eventId);
    if (known) return created(known);
    const rate = vatRateOn(body.date);
    const doc = vatDocument(
      lines.map((l) => ({ priceKop: l.priceKop, quantityMilli: l.quantityMilli, rate: l.withoutVat ? null : rate })),
      body.vatIncluded,
    );
    const invoice: OnecInvoiceInput = {
      request_id: invoiceRequestId(accountId, body.eventId),
      lead_id: body.leadId,
      date: body.date,
      currency: 'RUB',
      client: {
        name: body.client.name,
        ...(body.client.id1c ? { id_1c: body.client.id1c } : {}),
        ...(body.client.inn ? { inn: body.client.inn } : {}),
      },
      vat_included: body.vatIncluded,
      lines: doc.lines.map((l, i) => ({
        name: lines[i]!.name,
        quantity: l.quantityMilli / 1000,
        ...(lines[i]!.unit ? { unit: lines[i]!.unit } : {}),
        price: rublesText(l.priceKop),
        amount: rublesText(l.amountKop),
        vat_rate: l.rate === null ? null : (l.rate as 20 | 22),
        vat_amount: rublesText(l.vatKop),
      })),
      total: rublesText(doc.totalKop),
      vat_total: rublesText(doc.vatKop),
    };
    const made = await this.onec.createInvoice(await this.bases.target(accountId), invoice);
    await this.hub.database.query(
      `insert into customs_invoices (amo_account_id, lead_id, event_id, id_1c, number, date, link, total_kopecks, vat_kopecks, status)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'issued') on conflict do nothing`,
      [accountId, body.leadId, body.eventId, made.id_1c, made.number, made.date || body.date, made.link, doc.totalKop, doc.vatKop],
    );
    return created((await this.#invoiceOfEvent(accountId, body.eventId))!);
  }

  /**
   * A payment of an invoice: the paid sum only grows (an older notification arriving late never lowers it), an
   * invoice once paid stays paid, and a repeated eventId changes nothing (and answers the invoice as it stands).
   * An invoice the hub did not make (the accountant's) is recorded on its first payment.
   */
  async recordPayment(accountId: number, body: InvoicePaymentNotification): Promise<OnecResult> {
    const v = paymentValues(body);
    await this.hub.database.query(
      `insert into customs_invoices (amo_account_id, lead_id, id_1c, number, date, total_kopecks, status)
       values ($1, $2, $3, $4, $5, $6, 'issued') on conflict do nothing`,
      [accountId, body.leadId, body.invoice.id1c, body.invoice.number, body.paidAt.slice(0, 10), v.invoiceTotalKop],
    );
    const [invoice] = await this.hub.database.query<InvoiceRow>(
      `select ${INVOICE_COLUMNS} from customs_invoices where amo_account_id = $1 and id_1c = $2`,
      [accountId, body.invoice.id1c],
    );
    const updated = await this.hub.database.query<InvoiceRow>(
      `with p as (
         insert into customs_invoice_payments (amo_account_id, event_id, invoice_id, paid_at, amount_kopecks, total_paid_kopecks, kind)
         values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing returning *)
       update customs_invoices i set
         paid_kopecks = greatest(i.paid_kopecks, p.total_paid_kopecks),
         total_kopecks = coalesce(i.total_kopecks, $8::bigint),
         status = case when i.status = 'paid' or p.kind = 'full'
                         or greatest(i.paid_kopecks, p.total_paid_kopecks) >= coalesce(i.total_kopecks, $8::bigint, 'Infinity'::numeric)
                       then 'paid' else 'partially_paid' end,
         last_paid_at = greatest(i.last_paid_at, p.paid_at),
         updated_at = now()
       from p where i.id = p.invoice_id
       returning ${INVOICE_COLUMNS.split(', ')
         .map((c) => `i.${c}`)
         .join(', ')}`,
      [accountId, body.eventId, invoice!.id, body.paidAt, v.amountKop, v.totalPaidKop, body.kind, v.invoiceTotalKop],
    );
    const row = updated[0] ?? invoice!;
    return paid(row);
  }

  async #invoiceOfEvent(accountId: number, eventId: string): Promise<InvoiceRow | undefined> {
    const [row] = await this.hub.database.query<InvoiceRow>(
      `select ${INVOICE_COLUMNS} from customs_invoices where amo_account_id = $1 and event_id = $2`,
      [accountId, eventId],
    );
    return row;
  }
}

function created(r: InvoiceRow): OnecResult {
  return {
    code: 'invoice_created',
    values: {
      id_1c: r.id_1c,
      number: r.number,
      date: r.date,
      link: r.link,
      total: rublesText(num(r.total_kopecks) ?? 0),
      vat: rublesText(num(r.vat_kopecks) ?? 0),
    },
  };
}

function paid(r: InvoiceRow): OnecResult {
  const total = num(r.total_kopecks);
  return {
    code: r.status === 'paid' ? 'paid' : 'partially_paid',
    values: {
      id_1c: r.id_1c,
      number: r.number,
      paid: rublesText(Number(r.paid_kopecks)),
      total: total === null ? '' : rublesText(total),
    },
  };
}

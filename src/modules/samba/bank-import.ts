// Importing a bank statement (bank-statement.ts) as payment documents: each incoming payment whose purpose names
// exactly one known invoice becomes a payment of that invoice; the others are reported (no invoice named, unknown,
// several). A document's identity — number, date, sum, payer's account and ИНН — is stored with its payment under a
// unique index, so importing the same statement (or an overlapping one) again adds nothing.
import { randomUUID } from 'node:crypto';
import type { Hub } from '../../platform/hub.js';
import { sha256Hex } from '../../platform/security/secrets.js';
import {
  decodeStatement,
  invoiceNumbersIn,
  isIncoming,
  parseStatement,
  StatementFormatError,
  type StatementDocument,
} from './bank-statement.js';
import { sambaError } from './errors.js';
import { parseDate, toKopecks } from './values.js';

export interface ImportReport {
  readonly imported: Array<{ line: number; number: string; date: string; amount: string; invoice: string }>;
  readonly duplicates: Array<{ line: number; number: string; date: string; invoice: string }>;
  readonly unmatched: Array<{ line: number; number: string; date: string; amount: string; purpose: string; reason: string }>;
  readonly malformed: Array<{ line: number; reason: string }>;
  /** Outgoing documents (from the statement's own account): not payments of our invoices. */
  readonly outgoing: number;
}

/** 1C's name of an incoming payment document of this kind (the seed's doctype «Платежное поручение входящее»). */
const doctypeOf = (kind: string) => (/входящ/i.test(kind) ? kind : `${kind || 'Платежное поручение'} входящее`);

const sourceKey = (d: StatementDocument) => sha256Hex(['bank', d.number, d.date, d.amount, d.payerAccount, d.payerInn].join('\u0000'));

export class BankImportService {
  constructor(private readonly hub: Hub) {}

  async import(bytes: Uint8Array): Promise<ImportReport> {
    let statement;
    try {
      statement = parseStatement(decodeStatement(bytes));
    } catch (err) {
      if (err instanceof StatementFormatError)
        throw sambaError('BAD_STATEMENT', `Файл не является выпиской 1CClientBankExchange: ${err.message}`);
      throw err;
    }
    const report: ImportReport = { imported: [], duplicates: [], unmatched: [], malformed: [...statement.malformed], outgoing: 0 };
    const incoming = statement.documents.filter((d) => isIncoming(d, statement.accounts));
    (report as { outgoing: number }).outgoing = statement.documents.length - incoming.length;
    const wanted = [...new Set(incoming.flatMap((d) => invoiceNumbersIn(d.purpose)))];
    const invoices = new Map(
      wanted.length === 0
        ? []
        : (
            await this.hub.database.query<{ uuid: string; number: string }>(
              `select uuid, number from samba_invoices where number = any($1::text[])`,
              [wanted],
            )
          ).map((r) => [r.number, r.uuid] as const),
    );
    for (const d of incoming) {
      const named = invoiceNumbersIn(d.purpose);
      const known = named.filter((n) => invoices.has(n));
      const unmatched = (reason: string) =>
        report.unmatched.push({ line: d.line, number: d.number, date: d.date, amount: d.amount, purpose: d.purpose, reason });
      if (named.length === 0) unmatched('в назначении платежа нет номера счета');
      else if (known.length === 0) unmatched(`счет не найден: ${named.join(', ')}`);
      else if (known.length > 1) unmatched(`назначение называет несколько счетов: ${known.join(', ')}`);
      else await this.#save(d, known[0]!, invoices.get(known[0]!)!, report);
    }
    return report;
  }

  async #save(d: StatementDocument, invoiceNumber: string, invoiceUuid: string, report: ImportReport): Promise<void> {
    let amount: number, date: string, received: string;
    try {
      amount = toKopecks(d.amount, 'Сумма');
      date = parseDate(d.date, 'Дата');
      received = d.received ? parseDate(d.received, 'ДатаПоступило') : date;
    } catch (err) {
      report.malformed.push({ line: d.line, reason: `документ № ${d.number}: ${(err as Error).message}` });
      return;
    }
    const rows = await this.hub.database.query(
      `insert into samba_payments (uuid, invoice_uuid, doctype, number_mf, number, date, payment_date, amount_kop, details, source_key)
       values ($1, $2, $3, '', $4, $5, $6, $7, $8, $9) on conflict (source_key) do nothing returning uuid`,
      [randomUUID(), invoiceUuid, doctypeOf(d.kind), d.number, date, received, amount, d.purpose, sourceKey(d)],
    );
    if (rows.length) report.imported.push({ line: d.line, number: d.number, date: d.date, amount: d.amount, invoice: invoiceNumber });
    else report.duplicates.push({ line: d.line, number: d.number, date: d.date, invoice: invoiceNumber });
  }
}

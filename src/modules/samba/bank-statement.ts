// A bank statement in 1C's standard exchange format (1CClientBankExchange, the text file every Russian bank client
// and 1C:Бухгалтерия exchange): `Key=Value` lines, a header, account sections `СекцияРасчСчет … КонецРасчСчет` and
// documents `СекцияДокумент=<вид> … КонецДокумента`, then `КонецФайла`. Encoding windows-1251 (`Кодировка=Windows`)
// or cp866 (`Кодировка=DOS`); a UTF-8 file (with a BOM) is taken too. Pure parsing: which documents are incoming,
// which are malformed (with their line), and the invoice numbers their payment purposes name.

export interface StatementDocument {
  /** The line of `СекцияДокумент=` (1-based), for reports. */
  readonly line: number;
  readonly kind: string;
  readonly number: string;
  /** `DD.MM.YYYY` as written. */
  readonly date: string;
  readonly amount: string;
  readonly received: string;
  readonly payerAccount: string;
  readonly payerInn: string;
  readonly payer: string;
  readonly recipientAccount: string;
  readonly purpose: string;
}

export interface ParsedStatement {
  /** The accounts the statement is about (header `РасчСчет=` and account sections). */
  readonly accounts: ReadonlySet<string>;
  readonly documents: StatementDocument[];
  readonly malformed: Array<{ line: number; reason: string }>;
}

export class StatementFormatError extends Error {}

/** The text of the file's bytes, by its declared encoding. */
export function decodeStatement(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  // The header names the encoding in that encoding: read as cp866, a DOS file says so; anything else is windows-1251.
  const dos = new TextDecoder('ibm866').decode(bytes);
  return /^Кодировка=DOS\s*$/m.test(dos) ? dos : new TextDecoder('windows-1251').decode(bytes);
}

const FIELDS: Record<string, keyof StatementDocument> = {
  Номер: 'number',
  Дата: 'date',
  Сумма: 'amount',
  ДатаПоступило: 'received',
  ПлательщикСчет: 'payerAccount',
  ПлательщикИНН: 'payerInn',
  Плательщик: 'payer',
  Плательщик1: 'payer',
  ПолучательСчет: 'recipientAccount',
  НазначениеПлатежа: 'purpose',
};

/** `DD.MM.YYYY` naming a day that exists. */
function isDate(value: string | undefined): boolean {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(value ?? '');
  if (!m) return false;
  const day = new Date(Date.UTC(+m[3]!, +m[2]! - 1, +m[1]!));
  return day.getUTCDate() === +m[1]! && day.getUTCMonth() === +m[2]! - 1;
}
const SUM = /^\d{1,15}(\.\d{1,2})?$/;

export function parseStatement(text: string): ParsedStatement {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines[0]?.trim() !== '1CClientBankExchange') throw new StatementFormatError('not a 1CClientBankExchange file (first line)');
  const accounts = new Set<string>();
  const documents: StatementDocument[] = [];
  const malformed: Array<{ line: number; reason: string }> = [];
  let doc: { line: number; kind: string; f: Partial<Record<keyof StatementDocument, string>> } | undefined;
  let ended = false;
  const close = () => {
    if (!doc) return;
    const { line, kind, f: d } = doc;
    doc = undefined;
    const reason = !d.number
      ? 'нет номера (Номер)'
      : !isDate(d.date)
        ? `неверная дата «${d.date ?? ''}»`
        : !SUM.test(d.amount ?? '')
          ? `неверная сумма «${d.amount ?? ''}»`
          : d.received && !isDate(d.received)
            ? `неверная дата поступления «${d.received}»`
            : undefined;
    if (reason) malformed.push({ line, reason: `документ № ${d.number || '?'}: ${reason}` });
    else
      documents.push({
        line,
        kind,
        number: d.number!,
        date: d.date!,
        amount: d.amount!,
        received: d.received ?? '',
        payerAccount: d.payerAccount ?? '',
        payerInn: d.payerInn ?? '',
        payer: d.payer ?? '',
        recipientAccount: d.recipientAccount ?? '',
        purpose: d.purpose ?? '',
      });
  };
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (!raw || ended) continue;
    const eq = raw.indexOf('=');
    const key = eq < 0 ? raw : raw.slice(0, eq);
    const value = eq < 0 ? '' : raw.slice(eq + 1).trim();
    if (key === 'СекцияДокумент') {
      if (doc) malformed.push({ line: doc.line, reason: `документ № ${doc.f.number || '?'}: нет КонецДокумента` });
      doc = { line: i + 1, kind: value, f: {} };
    } else if (key === 'КонецДокумента') {
      if (doc) close();
      else malformed.push({ line: i + 1, reason: 'КонецДокумента без СекцияДокумент' });
    } else if (key === 'КонецФайла') ended = true;
    else if (doc) {
      const field = FIELDS[key];
      if (field && !(field === 'payer' && doc.f.payer)) doc.f[field] = value;
    } else if (key === 'РасчСчет' && value) accounts.add(value); // the header's, or an account section's
  }
  if (doc) malformed.push({ line: doc.line, reason: `документ № ${doc.f.number || '?'}: нет КонецДокумента` });
  if (!ended) malformed.push({ line: lines.length, reason: 'нет КонецФайла: файл обрезан?' });
  return { accounts, documents, malformed };
}

/** Incoming to one of the statement's accounts; a statement naming no account: those with a receipt date. */
export const isIncoming = (d: StatementDocument, accounts: ReadonlySet<string>): boolean =>
  accounts.size > 0 ? accounts.has(d.recipientAccount) : d.received !== '';

/**
 * The invoice numbers a payment purpose names: three letters (a word of their own), the campaign digits, `/`, the
 * sequence — written `№УЛУ080367/01`, `№ УЛУ 080367 / 01` or in lower case, all read as `УЛУ080367/01`.
 */
export function invoiceNumbersIn(purpose: string): string[] {
  const found = new Set<string>();
  for (const m of purpose.matchAll(/(?<![А-ЯЁа-яёA-Za-z])([А-ЯЁа-яё]{3})\s*(\d{6,})\s*\/\s*(\d{2,3})(?!\d)/g))
    found.add(`${m[1]!.toUpperCase()}${m[2]}/${m[3]}`);
  return [...found];
}

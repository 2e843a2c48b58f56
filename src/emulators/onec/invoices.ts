// new_invoice (the hub's extension of seed §1, docs/connectors/onec.md) as an emulated 1C base answers it: a
// счёт на оплату покупателю per request_id (a repeated request_id answers the invoice already made, whatever else
// the body says), numbered "0000-000001" per base. Like a careful handler it refuses, with a 400 `{error}` in
// Russian, a body whose required fields are missing or whose sums are not its own: each line's amount and VAT are
// recomputed here (price × quantity rounded to the kopeck, VAT of the line rounded half up) and so are the totals.
// The arithmetic is written out again on purpose rather than imported from the hub: the emulator checks the hub.
import { randomUUID } from 'node:crypto';
import { OnecFault } from './protocol.js';

type Json = Record<string, unknown>;

export interface InvoiceLine {
  readonly name: string;
  readonly quantity: string;
  readonly unit: string;
  readonly price: string;
  readonly amount: string;
  readonly vat_rate: number | null;
  readonly vat_amount: string;
}

export interface Invoice {
  readonly id_1c: string;
  readonly number: string;
  readonly date: string;
  readonly link: string;
  readonly request_id: string;
  readonly lead_id: string;
  readonly client: { id_1c?: string; name: string; inn?: string };
  readonly vat_included: boolean;
  readonly lines: readonly InvoiceLine[];
  readonly total: string;
  readonly vat_total: string;
  /** How many new_invoice requests named this request_id (1 = never repeated). */
  requests: number;
}

const RATES = [0, 10, 20, 22];
const present = (v: unknown) => v !== undefined && v !== null && v !== '';
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function missing(o: Json, fields: readonly string[], where: string): void {
  const absent = fields.filter((f) => !present(o[f]));
  if (absent.length) throw new OnecFault(400, `${where}: не заполнены обязательные поля ${absent.join(', ')}`);
}

/** "305.00" / 305 → 30500n kopecks; two decimals at most. */
function kop(v: unknown, where: string): bigint {
  const m = /^(-?)(\d{1,15})(?:\.(\d{1,2}))?$/.exec(typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '');
  if (!m) throw new OnecFault(400, `${where}: не число с двумя знаками после точки (${String(v)})`);
  const k = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -k : k;
}

function milli(v: unknown, where: string): bigint {
  const m = /^(\d{1,12})(?:\.(\d{1,3}))?$/.exec(typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '');
  if (!m || /^0+(\.0*)?$/.test(m[0])) throw new OnecFault(400, `${where}: количество должно быть положительным числом (${String(v)})`);
  return BigInt(m[1]!) * 1000n + BigInt((m[2] ?? '').padEnd(3, '0'));
}

/** ОКР(a / b, 2) in kopecks: half away from zero. */
const round = (a: bigint, b: bigint) => (a < 0n ? -((2n * -a + b) / (2n * b)) : (2n * a + b) / (2n * b));
const text = (k: bigint) => {
  const a = k < 0n ? -k : k;
  return `${k < 0n ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
};

export class InvoiceBook {
  readonly byRequest = new Map<string, Invoice>();
  #number = 0;

  /** The invoice of this request_id (made now, or before). */
  handle(body: Json, linkOf: (id: string) => string): Json {
    missing(body, ['request_id', 'lead_id', 'date', 'currency', 'client', 'lines', 'total', 'vat_total'], 'new_invoice');
    const requestId = String(body.request_id);
    const seen = this.byRequest.get(requestId);
    if (seen) {
      seen.requests++;
      return this.#answer(seen);
    }
    const invoice = this.#check(body);
    const id = randomUUID();
    const made: Invoice = {
      ...invoice,
      id_1c: id,
      number: `0000-${String(++this.#number).padStart(6, '0')}`,
      link: linkOf(id),
      request_id: requestId,
      requests: 1,
    };
    this.byRequest.set(requestId, made);
    return this.#answer(made);
  }

  #answer = (i: Invoice): Json => ({ id_1c: i.id_1c, number: i.number, date: i.date, link: i.link, total: i.total });

  #check(body: Json): Omit<Invoice, 'id_1c' | 'number' | 'link' | 'request_id' | 'requests'> {
    const date = String(body.date);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
      throw new OnecFault(400, `new_invoice: дата ${date} не в формате ГГГГ-ММ-ДД`);
    if (body.currency !== 'RUB') throw new OnecFault(400, `new_invoice: валюта ${String(body.currency)} не поддерживается (только RUB)`);
    if (typeof body.vat_included !== 'boolean') throw new OnecFault(400, 'new_invoice: vat_included должно быть true или false');
    if (!isObject(body.client)) throw new OnecFault(400, 'new_invoice: client должен быть объектом');
    missing(body.client, ['name'], 'new_invoice client');
    if (!Array.isArray(body.lines) || body.lines.length === 0) throw new OnecFault(400, 'new_invoice: нет строк (lines)');
    const included = body.vat_included;
    let total = 0n;
    let vatTotal = 0n;
    const lines = body.lines.map((l: unknown, i): InvoiceLine => {
      const where = `new_invoice lines[${i}]`;
      if (!isObject(l)) throw new OnecFault(400, `${where}: строка должна быть объектом`);
      missing(l, ['name', 'quantity', 'price', 'amount', 'vat_amount'], where);
      if (!('vat_rate' in l) || !(l.vat_rate === null || RATES.includes(l.vat_rate as number)))
        throw new OnecFault(400, `${where}: ставка НДС ${String(l.vat_rate)} неизвестна (0, 10, 20, 22 или null — без НДС)`);
      const rate = l.vat_rate === null ? 0n : BigInt(l.vat_rate as number);
      const amount = round(kop(l.price, `${where}.price`) * milli(l.quantity, `${where}.quantity`), 1000n);
      if (amount !== kop(l.amount, `${where}.amount`))
        throw new OnecFault(400, `${where}: сумма ${String(l.amount)} не равна цене × количество (${text(amount)})`);
      const vat = rate === 0n ? 0n : included ? round(amount * rate, 100n + rate) : round(amount * rate, 100n);
      if (vat !== kop(l.vat_amount, `${where}.vat_amount`))
        throw new OnecFault(400, `${where}: сумма НДС ${String(l.vat_amount)} не совпадает с расчётом 1С (${text(vat)})`);
      total += included ? amount : amount + vat;
      vatTotal += vat;
      return {
        name: String(l.name),
        quantity: String(l.quantity),
        unit: present(l.unit) ? String(l.unit) : 'шт',
        price: text(kop(l.price, `${where}.price`)),
        amount: text(amount),
        vat_rate: l.vat_rate === null ? null : Number(l.vat_rate),
        vat_amount: text(vat),
      };
    });
    if (kop(body.total, 'new_invoice total') !== total)
      throw new OnecFault(400, `new_invoice: итог ${String(body.total)} не равен сумме строк (${text(total)})`);
    if (kop(body.vat_total, 'new_invoice vat_total') !== vatTotal)
      throw new OnecFault(400, `new_invoice: НДС ${String(body.vat_total)} не равен сумме НДС строк (${text(vatTotal)})`);
    const c = body.client;
    return {
      date,
      lead_id: String(body.lead_id),
      client: {
        name: String(c.name),
        ...(present(c.id_1c) ? { id_1c: String(c.id_1c) } : {}),
        ...(present(c.inn) ? { inn: String(c.inn) } : {}),
      },
      vat_included: included,
      lines,
      total: text(total),
      vat_total: text(vatTotal),
    };
  }
}

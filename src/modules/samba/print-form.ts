// The invoice print form (seed 002 §6.2, GET /files/po): one model of «Счет на оплату» in the layout 1C and most
// generators use — the payment-order sample block (bank, БИК, accounts, ИНН/КПП, recipient), the title, supplier,
// buyer and basis, the table, Итого / «В том числе НДС» / Всего к оплате, the count and sum, the sum in words and
// the signatures — rendered as PDF, DOCX or XLSX by print-pdf.ts, print-docx.ts and print-xlsx.ts. Everything a
// renderer prints is a string made here, so the three formats cannot disagree.
import type { Hub } from '../../platform/hub.js';
import { amountInWords } from './amount-words.js';
import type { InvoiceService } from './invoices.js';
import type { PoRefT } from './contract.js';
import type { SambaSettings } from './settings.js';
import { ruDate } from './values.js';

export const FORMATS = ['pdf', 'docx', 'xlsx'] as const;
export type Format = (typeof FORMATS)[number];

export interface Party {
  readonly name: string;
  readonly inn: string;
  readonly kpp: string;
  readonly address: string;
}

export interface InvoiceForm {
  readonly number: string;
  /** `DD.MM.YYYY`, for the file name. */
  readonly day: string;
  /** «Счет на оплату № УЛУ000001/01 от 9 октября 2024 г.» */
  readonly title: string;
  readonly bank: { readonly name: string; readonly bik: string; readonly corrAccount: string; readonly account: string };
  readonly supplier: Party;
  readonly buyer: Party;
  /** «Договор № 135/19 от 01.10.2019», or '' without a contract. */
  readonly basis: string;
  readonly lines: ReadonlyArray<{
    readonly text: string;
    readonly qty: string;
    readonly unit: string;
    readonly price: string;
    readonly sum: string;
  }>;
  readonly total: string;
  /** «В том числе НДС 20%:» and the sum. */
  readonly vatLabel: string;
  readonly vat: string;
  /** «Всего наименований 1, на сумму 60 000,00 руб.» */
  readonly summary: string;
  readonly words: string;
  readonly director: string;
  readonly accountant: string;
}

const MONTHS = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];

/** `2024-10-09T…` → «9 октября 2024 г.» */
export const longDate = (stored: string): string =>
  `${Number(stored.slice(8, 10))} ${MONTHS[Number(stored.slice(5, 7)) - 1]} ${stored.slice(0, 4)} г.`;

/** Kopecks as 1C prints them: «60 000,00» (plain spaces between thousands, so every font and text search agrees). */
export function money(kop: number): string {
  const sign = kop < 0 ? '-' : '';
  const abs = Math.abs(kop);
  const rub = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${sign}${rub},${String(abs % 100).padStart(2, '0')}`;
}

/** A party's line on the form: «ООО «ТОРНАДО», ИНН 3526019521, КПП 352601001, адрес». */
export const partyLine = (p: Party): string =>
  [p.name, p.inn && `ИНН ${p.inn}`, p.kpp && `КПП ${p.kpp}`, p.address].filter(Boolean).join(', ');

export interface FormRow {
  number: string;
  date: string;
  amount_kop: number;
  vat_kop: number;
  vat_rate: number;
  advance: boolean;
  rk_id: string;
  rk_name: string;
  date_start: string;
  date_end: string;
  buyer_name: string;
  buyer_inn: string;
  buyer_kpp: string;
  contract_number: string | null;
  contract_date: string | null;
}

export const SELECT_FORM = `select i.number, i.date, i.amount_kop, i.vat_kop, i.vat_rate, i.advance,
    r.rk_id, r.name as rk_name, r.date_start, r.date_end,
    c.full_name as buyer_name, c.inn as buyer_inn, c.kpp as buyer_kpp,
    k.number as contract_number, k.date as contract_date
  from samba_invoices i
  join samba_campaigns r on r.uuid = i.campaign_uuid
  join samba_customers c on c.uuid = r.contractor_uuid
  left join samba_contracts k on k.uuid = r.contract_uuid
  where i.uuid = $1`;

/** What the invoice is for: the campaign and its period (1C's line is the placement service of the РК). */
function lineText(r: FormRow): string {
  const period = r.date_start && r.date_end ? ` за период с ${ruDate(r.date_start)} по ${ruDate(r.date_end)}` : '';
  const what = `Услуги по размещению рекламы, РК ${r.rk_id}${r.rk_name && r.rk_name !== r.rk_id ? ` «${r.rk_name}»` : ''}${period}`;
  return r.advance ? `Предоплата: ${what}` : what;
}

export function buildForm(r: FormRow, s: SambaSettings): InvoiceForm {
  const total = money(Number(r.amount_kop));
  return {
    number: r.number,
    day: ruDate(r.date),
    title: `Счет на оплату № ${r.number} от ${longDate(r.date)}`,
    bank: {
      name: s.supplierBank ?? '',
      bik: s.supplierBik ?? '',
      corrAccount: s.supplierCorrAccount ?? '',
      account: s.supplierAccount ?? '',
    },
    supplier: { name: s.supplierName ?? '', inn: s.supplierInn ?? '', kpp: s.supplierKpp ?? '', address: s.supplierAddress ?? '' },
    buyer: { name: r.buyer_name, inn: r.buyer_inn, kpp: r.buyer_kpp, address: '' },
    basis: r.contract_number ? `Договор ${r.contract_number} от ${ruDate(r.contract_date ?? '')}` : '',
    lines: [{ text: lineText(r), qty: '1', unit: 'усл.', price: total, sum: total }],
    total,
    vatLabel: `В том числе НДС ${r.vat_rate}%:`,
    vat: money(Number(r.vat_kop)),
    summary: `Всего наименований 1, на сумму ${total} руб.`,
    words: amountInWords(Number(r.amount_kop)),
    director: s.supplierDirector ?? '',
    accountant: s.supplierAccountant ?? '',
  };
}

export interface PrintedFile {
  readonly name: string;
  readonly ext: Format;
  readonly data: string;
}

/** Renders by format; each renderer is loaded on first use (pdfmake, docx and exceljs are megabytes of heap). */
export async function render(form: InvoiceForm, ext: Format): Promise<Buffer> {
  if (ext === 'pdf') return (await import('./print-pdf.js')).renderPdf(form);
  if (ext === 'docx') return (await import('./print-docx.js')).renderDocx(form);
  return (await import('./print-xlsx.js')).renderXlsx(form);
}

export class PrintService {
  constructor(
    private readonly hub: Hub,
    private readonly invoices: InvoiceService,
    private readonly settings: SambaSettings,
  ) {}

  /** The invoice's form (found as /payment/po finds it); the seed's answer: name «Счет N от DD.MM.YYYY.ext», base64 data. */
  async file(ref: PoRefT & { ext?: string }): Promise<PrintedFile> {
    const ext = (ref.ext || 'pdf') as Format;
    const form = await this.form(ref);
    const bytes = await render(form, ext);
    return { name: `Счет ${form.number} от ${form.day}.${ext}`, ext, data: bytes.toString('base64') };
  }

  async form(ref: PoRefT): Promise<InvoiceForm> {
    const invoice = await this.invoices.find(ref);
    const [row] = await this.hub.database.query<FormRow>(SELECT_FORM, [invoice.uuid]);
    return buildForm(row!, this.settings);
  }
}

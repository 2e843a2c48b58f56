// The invoice print form as XLSX (exceljs): 1C's spreadsheet layout — six columns (№, Товары, Кол-во, Ед., Цена,
// Сумма), merged cells for the bank block and the long texts, thin borders on the bank block and the table, sums as
// numbers with a money format in the table so a spreadsheet can add them.
import ExcelJS from 'exceljs';
import type { InvoiceForm } from './print-form.js';
import { partyLine } from './print-form.js';

const thin = { style: 'thin' } as const;
const box = { top: thin, left: thin, bottom: thin, right: thin };
const FONT = { name: 'Arial', size: 9 };
/** «60 000,00» back to 60000 for the cells the spreadsheet may compute with. */
const amount = (s: string) => Number(s.replace(/\s/g, '').replace(',', '.'));

export async function renderXlsx(f: InvoiceForm): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'integration-hub';
  book.title = f.title;
  const ws = book.addWorksheet('Счет', { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1 } });
  ws.columns = [{ width: 5 }, { width: 46 }, { width: 8 }, { width: 7 }, { width: 14 }, { width: 14 }];
  let r = 1;
  const put = (
    row: number,
    col: number,
    value: string | number,
    o: { bold?: boolean; size?: number; right?: boolean; border?: boolean; wrap?: boolean } = {},
  ) => {
    const c = ws.getCell(row, col);
    c.value = value;
    c.font = { ...FONT, bold: o.bold, size: o.size ?? FONT.size };
    c.alignment = { horizontal: o.right ? 'right' : 'left', vertical: 'top', wrapText: o.wrap ?? false };
    if (o.border) c.border = box;
    return c;
  };
  const merge = (row: number, from: number, to: number, rows = 1) => ws.mergeCells(row, from, row + rows - 1, to);

  // Bank block: rows 1–4, columns A–B merged for the bank and the recipient, C–D the labels, E–F the numbers.
  put(r, 1, `${f.bank.name}\nБанк получателя`, { border: true, wrap: true });
  merge(r, 1, 2, 2);
  put(r, 3, 'БИК', { border: true });
  merge(r, 3, 4);
  put(r, 5, f.bank.bik, { border: true });
  merge(r, 5, 6);
  put(r + 1, 3, 'Сч. №', { border: true });
  merge(r + 1, 3, 4);
  put(r + 1, 5, f.bank.corrAccount, { border: true });
  merge(r + 1, 5, 6);
  put(r + 2, 1, `ИНН ${f.supplier.inn}`, { border: true });
  put(r + 2, 2, `КПП ${f.supplier.kpp}`, { border: true });
  put(r + 2, 3, 'Сч. №', { border: true });
  merge(r + 2, 3, 4, 2);
  put(r + 2, 5, f.bank.account, { border: true });
  merge(r + 2, 5, 6, 2);
  put(r + 3, 1, `${f.supplier.name}\nПолучатель`, { border: true, wrap: true });
  merge(r + 3, 1, 2);
  ws.getRow(r).height = 24;
  ws.getRow(r + 3).height = 24;
  r += 5;

  put(r, 1, f.title, { bold: true, size: 14 });
  merge(r, 1, 6);
  r += 2;
  const parties: Array<[string, string]> = [
    ['Поставщик (Исполнитель):', partyLine(f.supplier)],
    ['Покупатель (Заказчик):', partyLine(f.buyer)],
    ...(f.basis ? ([['Основание:', f.basis]] as Array<[string, string]>) : []),
  ];
  for (const [label, text] of parties) {
    put(r, 1, label);
    put(r, 3, text, { bold: true, wrap: true });
    merge(r, 3, 6);
    ws.getRow(r).height = 24;
    r += 1;
  }
  r += 1;

  ['№', 'Товары (работы, услуги)', 'Кол-во', 'Ед.', 'Цена', 'Сумма'].forEach((t, i) => put(r, i + 1, t, { bold: true, border: true }));
  r += 1;
  f.lines.forEach((l, i) => {
    put(r, 1, i + 1, { border: true });
    put(r, 2, l.text, { border: true, wrap: true });
    put(r, 3, Number(l.qty), { border: true, right: true });
    put(r, 4, l.unit, { border: true });
    put(r, 5, amount(l.price), { border: true, right: true }).numFmt = '#,##0.00';
    put(r, 6, amount(l.sum), { border: true, right: true }).numFmt = '#,##0.00';
    ws.getRow(r).height = 36;
    r += 1;
  });
  r += 1;
  for (const [label, value] of [
    ['Итого:', f.total],
    [f.vatLabel, f.vat],
    ['Всего к оплате:', f.total],
  ] as const) {
    put(r, 1, label, { bold: true, right: true });
    merge(r, 1, 5);
    put(r, 6, amount(value), { bold: true, right: true }).numFmt = '#,##0.00';
    r += 1;
  }
  r += 1;
  put(r, 1, f.summary);
  merge(r, 1, 6);
  put(r + 1, 1, f.words, { bold: true });
  merge(r + 1, 1, 6);
  r += 3;
  put(r, 1, 'Руководитель', { bold: true });
  merge(r, 1, 2);
  put(r, 3, `______________ ${f.director}`);
  merge(r, 3, 6);
  put(r + 2, 1, 'Бухгалтер', { bold: true });
  merge(r + 2, 1, 2);
  put(r + 2, 3, `______________ ${f.accountant}`);
  merge(r + 2, 3, 6);
  return Buffer.from(await book.xlsx.writeBuffer());
}

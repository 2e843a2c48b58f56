// The invoice print form as PDF (pdfmake). Fonts: Roboto from the pdfmake package itself (it has Cyrillic and №),
// read from disk; pdfmake may open no other file and no URL (both access policies deny), so a form never reaches out.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { InvoiceForm } from './print-form.js';
import { partyLine } from './print-form.js';

interface PdfMake {
  setFonts(fonts: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(policy: (url: string) => boolean): void;
  setLocalAccessPolicy(policy: (path: string) => boolean): void;
  createPdf(doc: object): { getBuffer(): Promise<Buffer> };
}

const require = createRequire(import.meta.url);
const pdfmake = require('pdfmake') as PdfMake;
const FONTS = join(dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
const font = (file: string) => join(FONTS, file);
pdfmake.setFonts({
  Roboto: {
    normal: font('Roboto-Regular.ttf'),
    bold: font('Roboto-Medium.ttf'),
    italics: font('Roboto-Italic.ttf'),
    bolditalics: font('Roboto-MediumItalic.ttf'),
  },
});
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((path) => path.startsWith(FONTS));

const cell = (text: string, extra: object = {}) => ({ text, ...extra });
const empty = {};
const small = { fontSize: 7, color: '#444444' };
const noBorders = { hLineWidth: () => 0, vLineWidth: () => 0 };

function bankBlock(f: InvoiceForm) {
  return {
    table: {
      widths: ['*', '*', 40, 150],
      body: [
        [{ stack: [f.bank.name, { text: 'Банк получателя', ...small }], colSpan: 2, rowSpan: 2 }, empty, 'БИК', f.bank.bik],
        [empty, empty, 'Сч. №', f.bank.corrAccount],
        [`ИНН ${f.supplier.inn}`, `КПП ${f.supplier.kpp}`, cell('Сч. №', { rowSpan: 2 }), cell(f.bank.account, { rowSpan: 2 })],
        [{ stack: [f.supplier.name, { text: 'Получатель', ...small }], colSpan: 2 }, empty, empty, empty],
      ],
    },
    margin: [0, 0, 0, 12],
  };
}

function itemsTable(f: InvoiceForm) {
  const head = ['№', 'Товары (работы, услуги)', 'Кол-во', 'Ед.', 'Цена', 'Сумма'].map((t) => cell(t, { bold: true, alignment: 'center' }));
  const rows = f.lines.map((l, i) => [
    cell(String(i + 1), { alignment: 'center' }),
    l.text,
    cell(l.qty, { alignment: 'right' }),
    l.unit,
    cell(l.price, { alignment: 'right' }),
    cell(l.sum, { alignment: 'right' }),
  ]);
  return { table: { headerRows: 1, widths: [20, '*', 40, 30, 70, 70], body: [head, ...rows] }, margin: [0, 8, 0, 6] };
}

function totals(f: InvoiceForm) {
  const row = (label: string, value: string) => [
    cell(label, { bold: true, alignment: 'right' }),
    cell(value, { bold: true, alignment: 'right' }),
  ];
  return {
    table: { widths: ['*', 90], body: [row('Итого:', f.total), row(f.vatLabel, f.vat), row('Всего к оплате:', f.total)] },
    layout: noBorders,
  };
}

function signature(role: string, name: string) {
  return {
    columns: [
      { text: role, bold: true, width: 90 },
      { canvas: [{ type: 'line', x1: 0, y1: 10, x2: 140, y2: 10, lineWidth: 0.5 }], width: 150 },
      { text: name, width: '*', margin: [0, 2, 0, 0] },
    ],
    margin: [0, 16, 0, 0],
  };
}

export async function renderPdf(f: InvoiceForm): Promise<Buffer> {
  const doc = {
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 40],
    info: { title: f.title, creator: 'integration-hub' },
    defaultStyle: { font: 'Roboto', fontSize: 9 },
    content: [
      bankBlock(f),
      { text: f.title, fontSize: 14, bold: true, margin: [0, 0, 0, 4] },
      { canvas: [{ type: 'line', x1: 0, y1: 0, x2: 515, y2: 0, lineWidth: 1.5 }], margin: [0, 0, 0, 8] },
      {
        table: {
          widths: [110, '*'],
          body: [
            ['Поставщик\n(Исполнитель):', cell(partyLine(f.supplier), { bold: true })],
            ['Покупатель\n(Заказчик):', cell(partyLine(f.buyer), { bold: true })],
            ...(f.basis ? [['Основание:', f.basis]] : []),
          ],
        },
        layout: noBorders,
      },
      itemsTable(f),
      totals(f),
      { text: f.summary, margin: [0, 8, 0, 0] },
      { text: f.words, bold: true },
      { canvas: [{ type: 'line', x1: 0, y1: 4, x2: 515, y2: 4, lineWidth: 1.5 }], margin: [0, 0, 0, 8] },
      signature('Руководитель', f.director),
      signature('Бухгалтер', f.accountant),
    ],
  };
  return pdfmake.createPdf(doc).getBuffer();
}

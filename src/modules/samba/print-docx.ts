// The invoice print form as DOCX (the `docx` package): the same blocks as the PDF, as Word tables and paragraphs,
// so an accountant can edit a form before sending it. Times New Roman, as 1C's Word forms use.
import { AlignmentType, BorderStyle, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { InvoiceForm } from './print-form.js';
import { partyLine } from './print-form.js';

const FONT = 'Times New Roman';
const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const NO_BORDERS = { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE };

type Align = (typeof AlignmentType)[keyof typeof AlignmentType];
const para = (text: string, o: { bold?: boolean; size?: number; align?: Align; spacing?: number } = {}) =>
  new Paragraph({
    alignment: o.align,
    spacing: { after: o.spacing ?? 0 },
    children: [new TextRun({ text, bold: o.bold, size: o.size ?? 18, font: FONT })],
  });
const td = (paragraphs: Paragraph[] | string, o: { columnSpan?: number; rowSpan?: number; width?: number } = {}) =>
  new TableCell({
    children: typeof paragraphs === 'string' ? [para(paragraphs)] : paragraphs,
    columnSpan: o.columnSpan,
    rowSpan: o.rowSpan,
    ...(o.width ? { width: { size: o.width, type: WidthType.PERCENTAGE } } : {}),
  });
const labelled = (text: string, label: string) => [para(text), para(label, { size: 14 })];
const full = { size: 100, type: WidthType.PERCENTAGE };

function bankBlock(f: InvoiceForm): Table {
  return new Table({
    width: full,
    rows: [
      new TableRow({
        children: [
          td(labelled(f.bank.name, 'Банк получателя'), { columnSpan: 2, rowSpan: 2 }),
          td('БИК', { width: 8 }),
          td(f.bank.bik, { width: 30 }),
        ],
      }),
      new TableRow({ children: [td('Сч. №'), td(f.bank.corrAccount)] }),
      new TableRow({
        children: [
          td(`ИНН ${f.supplier.inn}`),
          td(`КПП ${f.supplier.kpp}`),
          td('Сч. №', { rowSpan: 2 }),
          td(f.bank.account, { rowSpan: 2 }),
        ],
      }),
      new TableRow({ children: [td(labelled(f.supplier.name, 'Получатель'), { columnSpan: 2 })] }),
    ],
  });
}

function items(f: InvoiceForm): Table {
  const head = ['№', 'Товары (работы, услуги)', 'Кол-во', 'Ед.', 'Цена', 'Сумма'].map((t) =>
    td([para(t, { bold: true, align: AlignmentType.CENTER })]),
  );
  const right = (t: string) => td([para(t, { align: AlignmentType.RIGHT })]);
  return new Table({
    width: full,
    rows: [
      new TableRow({ tableHeader: true, children: head }),
      ...f.lines.map(
        (l, i) => new TableRow({ children: [td(String(i + 1)), td(l.text), right(l.qty), td(l.unit), right(l.price), right(l.sum)] }),
      ),
    ],
  });
}

function plain(rows: string[][], boldRight = false): Table {
  return new Table({
    width: full,
    borders: NO_BORDERS,
    rows: rows.map(
      (r) =>
        new TableRow({
          children: r.map((t, i) =>
            td([para(t, { bold: boldRight || i === 1, align: boldRight ? AlignmentType.RIGHT : AlignmentType.LEFT })], {
              width: i === 0 ? (boldRight ? 80 : 20) : boldRight ? 20 : 80,
            }),
          ),
        }),
    ),
  });
}

export async function renderDocx(f: InvoiceForm): Promise<Buffer> {
  const parties = [
    ['Поставщик (Исполнитель):', partyLine(f.supplier)],
    ['Покупатель (Заказчик):', partyLine(f.buyer)],
    ...(f.basis ? [['Основание:', f.basis]] : []),
  ];
  const doc = new Document({
    creator: 'integration-hub',
    title: f.title,
    sections: [
      {
        properties: { page: { margin: { top: 720, bottom: 720, left: 900, right: 720 } } },
        children: [
          bankBlock(f),
          para(f.title, { bold: true, size: 28, spacing: 120 }),
          plain(parties),
          para(''),
          items(f),
          plain(
            [
              ['Итого:', f.total],
              [f.vatLabel, f.vat],
              ['Всего к оплате:', f.total],
            ],
            true,
          ),
          para(f.summary),
          para(f.words, { bold: true, spacing: 240 }),
          para(`Руководитель ______________________ ${f.director}`, { spacing: 240 }),
          para(`Бухгалтер ______________________ ${f.accountant}`),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

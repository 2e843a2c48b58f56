// Reading an import file (customers, placements, acts) into rows of named cells with their line numbers. CSV: UTF-8
// (a BOM is skipped) or, when the bytes are not UTF-8, windows-1251 as Excel saves «CSV» on a Russian Windows; the
// delimiter (`;`, `,` or tab) is the one the header line uses most. XLSX (recognised by its ZIP signature): the
// first worksheet, lines are the sheet's row numbers. The header names the columns; aliases in Russian are accepted.
import { parse } from 'csv-parse/sync';
import { sambaError } from './errors.js';

export interface TableRow {
  readonly line: number;
  readonly cells: Readonly<Record<string, string>>;
}

/** Files are operator uploads of a few thousand rows; beyond this something else is being imported. */
export const MAX_ROWS = 100_000;

const normal = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ').replace(/ё/g, 'е');

function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1251').decode(bytes);
  }
}

function delimiterOf(text: string): string {
  const first = text.slice(0, text.search(/\r?\n|$/));
  const counts = [';', ',', '\t'].map((d) => [d, first.split(d).length - 1] as const);
  return counts.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
}

function csvRows(bytes: Uint8Array): { header: string[]; rows: Array<{ line: number; values: string[] }> } {
  const text = decode(bytes);
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      delimiter: delimiterOf(text),
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as unknown as typeof records;
  } catch (err) {
    throw sambaError('BAD_IMPORT', `Файл не читается как CSV: ${(err as Error).message}`);
  }
  const [head, ...rest] = records;
  if (!head) throw sambaError('BAD_IMPORT', 'Файл пуст');
  return { header: head.record, rows: rest.map((r) => ({ line: r.info.lines, values: r.record })) };
}

async function xlsxRows(bytes: Uint8Array): Promise<{ header: string[]; rows: Array<{ line: number; values: string[] }> }> {
  // Loaded on first use: exceljs is megabytes of heap that processes never importing a book need not carry.
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (err) {
    throw sambaError('BAD_IMPORT', `Файл не читается как XLSX: ${(err as Error).message}`);
  }
  const sheet = book.worksheets[0];
  if (!sheet) throw sambaError('BAD_IMPORT', 'В книге нет листов');
  let header: string[] | undefined;
  const rows: Array<{ line: number; values: string[] }> = [];
  sheet.eachRow((row) => {
    const values: string[] = [];
    row.eachCell((cell, col) => void (values[col - 1] = cell.text.trim()));
    const filled = Array.from(values, (v) => v ?? '');
    if (!header) header = filled;
    else rows.push({ line: row.number, values: filled });
  });
  if (!header) throw sambaError('BAD_IMPORT', 'Файл пуст');
  return { header, rows };
}

const isZip = (b: Uint8Array) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/**
 * Rows of the file with cells under the field names of `columns` (field → accepted header names, lower case).
 * A header naming none of a required field's names refuses the whole file; unknown columns are ignored.
 */
export async function readTable(
  bytes: Uint8Array,
  columns: Readonly<Record<string, readonly string[]>>,
  required: readonly string[],
): Promise<TableRow[]> {
  const { header, rows } = isZip(bytes) ? await xlsxRows(bytes) : csvRows(bytes);
  const names = header.map((h) => normal(h ?? ''));
  const index = Object.entries(columns)
    .map(([field, aliases]) => [field, names.findIndex((n) => aliases.includes(n))] as const)
    .filter(([, i]) => i >= 0);
  const missing = required.filter((f) => !index.some(([field]) => field === f));
  if (missing.length > 0) {
    throw sambaError('BAD_IMPORT', `В заголовке файла нет колонок: ${missing.map((f) => `«${columns[f]!.join('» / «')}»`).join(', ')}`);
  }
  if (rows.length > MAX_ROWS) throw sambaError('BAD_IMPORT', `В файле больше ${MAX_ROWS} строк`);
  return rows
    .filter((r) => r.values.some((v) => v !== ''))
    .map((r) => ({ line: r.line, cells: Object.fromEntries(index.map(([field, i]) => [field, r.values[i] ?? ''])) }));
}

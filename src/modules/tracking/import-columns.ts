// What an import file's columns mean: the header names we understand (the API's field names and the Russian ones
// a spreadsheet is likely to carry), a data row as those fields' texts, and the row → create-body conversion.
// Only the header's known columns are ever read from a row: a cell far to the right (column XFD) costs nothing.
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { CreateTracking, MAX_TOTAL_COST_USD, type CreateTrackingInput } from './contract.js';
import { costOf } from './tracking.js';

export type Field = keyof CreateTrackingInput;

/** Column headers we understand: API names plus the ones a Russian spreadsheet is likely to carry. */
const HEADERS: Record<string, Field> = {
  tracking_number: 'tracking_number',
  'трек-номер': 'tracking_number',
  'трек номер': 'tracking_number',
  трек: 'tracking_number',
  client_code: 'client_code',
  'код клиента': 'client_code',
  status: 'status',
  статус: 'status',
  quantity: 'quantity',
  количество: 'quantity',
  'кол-во': 'quantity',
  weight_kg: 'weight_kg',
  'вес, кг': 'weight_kg',
  вес: 'weight_kg',
  price_per_kg_usd: 'price_per_kg_usd',
  'цена за кг, usd': 'price_per_kg_usd',
  total_cost_usd: 'total_cost_usd',
  'стоимость, usd': 'total_cost_usd',
  стоимость: 'total_cost_usd',
  note: 'note',
  примечание: 'note',
};
/** Compiled once: checking 100,000 rows with the interpreting Value.Check costs seconds. */
const createBody = TypeCompiler.Compile(CreateTracking);
const INTEGER_FIELDS = new Set<Field>(['quantity']);
const NUMBER_FIELDS = new Set<Field>(['weight_kg', 'price_per_kg_usd', 'total_cost_usd']);

/** The file cannot be imported at all (format, header, size); the message is for the operator, in Russian. */
export class ImportFileError extends Error {}

/** One data row of the file: its line (1 = header) and the known columns' cell texts, trimmed, empty ones left out. */
export interface ImportRecord {
  readonly line: number;
  readonly cells: Partial<Record<Field, string>>;
}

/** A known column: where it is in a row (0-based for CSV, the sheet's column number for XLSX) and what it holds. */
export interface Column {
  readonly index: number;
  readonly field: Field;
}

/** The known columns of a header row, given as (index, text) pairs; refuses a header without the two required ones. */
export function columnsOf(header: Iterable<readonly [number, string]>): Column[] {
  const columns: Column[] = [];
  for (const [index, text] of header) {
    const field = HEADERS[text.trim().toLowerCase()];
    if (field) columns.push({ index, field });
  }
  if (!columns.some((c) => c.field === 'tracking_number') || !columns.some((c) => c.field === 'client_code')) {
    throw new ImportFileError('в первой строке нужны столбцы tracking_number и client_code (или «Трек-номер» и «Код клиента»)');
  }
  return columns;
}

/** A data row's known cells, or null when all of them are empty (such rows are skipped, as blank lines are). */
export function cellsOf(columns: readonly Column[], cell: (index: number) => string | undefined): Partial<Record<Field, string>> | null {
  let cells: Partial<Record<Field, string>> | null = null;
  for (const c of columns) {
    const text = cell(c.index)?.trim();
    if (text) (cells ??= {})[c.field] = text; // a later column of the same field wins, as in the header's order
  }
  return cells;
}

/** Cells → the API's create body, or the reason the row cannot be one. */
export function toInput(record: ImportRecord): { input: CreateTrackingInput } | { error: string } {
  const candidate: Record<string, unknown> = {};
  for (const [field, text] of Object.entries(record.cells) as Array<[Field, string]>) {
    if (INTEGER_FIELDS.has(field) || NUMBER_FIELDS.has(field)) {
      const n = Number(text.replace(/\s/g, '').replace(',', '.'));
      if (!Number.isFinite(n)) return { error: `${field}: «${text}» — не число` };
      candidate[field] = n;
    } else {
      candidate[field] = field === 'status' ? text.toLowerCase() : text;
    }
  }
  if (createBody.Check(candidate)) {
    // Each factor within its maximum, the product past the total's column: the API refuses it (assertCostFits), and so
    // does the import, with a reason, before the row can cost its batch a database error.
    const cost = costOf(candidate as CreateTrackingInput);
    if (cost !== null && cost > MAX_TOTAL_COST_USD)
      return { error: `total_cost_usd: вес × цена за кг = ${cost} больше максимума ${MAX_TOTAL_COST_USD}; укажите total_cost_usd` };
    return { input: candidate as CreateTrackingInput };
  }
  const first = createBody.Errors(candidate).First();
  const where = first?.path.replace(/^\//, '') || 'строка';
  return { error: `${where}: ${first?.message ?? 'некорректное значение'}` };
}

/** An import file as a stream of records, checked against the limits before the first record is handed out. */
export interface ImportSource {
  /** The data rows, read from the file afresh on each call; throws ImportFileError for a file that breaks a limit. */
  records(): AsyncGenerator<ImportRecord>;
  /** How far the current read is through the file, 0…1 (for a progress bar; the row count is unknown until the end). */
  progress(): number;
}

/** Reads records to the end without keeping them: the exact row count check. */
export async function drain(records: AsyncIterable<ImportRecord>): Promise<void> {
  for await (const record of records) void record;
}

// Bulk import of tracking numbers from CSV or XLSX. The first row names the columns (the API's field names, or
// the Russian headers below). Each data row is validated like POST /tracking and applied in its own transaction:
// a new number is created; a known one is updated when the file differs (a status move goes through the status
// machine and its webhooks), or left alone when nothing differs — so re-running a file never duplicates.
// Rows that fail are reported with their line number and reason; the others go through.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { Value } from '@sinclair/typebox/value';
import type { Hub } from '../../platform/hub.js';
import { HubError } from '../../platform/http/errors.js';
import { rows } from '../../platform/db/database.js';
import { CreateTracking, type CreateTrackingInput, type UpdateTrackingInput } from './contract.js';
import { trackingError } from './errors.js';
import { costOf, type TrackingService } from './tracking.js';
import { TRACKING_COLUMNS, type TrackingRow } from './store.js';

type Field = keyof CreateTrackingInput;

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
const INTEGER_FIELDS = new Set<Field>(['quantity']);
const NUMBER_FIELDS = new Set<Field>(['weight_kg', 'price_per_kg_usd', 'total_cost_usd']);

/** One data row of the file: its line (1 = header) and raw cell texts by column header. */
export interface ImportRecord {
  readonly line: number;
  readonly cells: Record<string, string>;
}

export interface ImportRowError {
  readonly line: number;
  readonly tracking_number: string;
  readonly error: string;
}

export interface ImportResult {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  errors: ImportRowError[];
}

export class ImportFileError extends Error {}

export async function readImportFile(path: string): Promise<ImportRecord[]> {
  const ext = extname(path).toLowerCase();
  if (ext === '.xlsx') return readXlsx(path);
  if (ext === '.csv' || ext === '.txt') return parseCsv(await readFile(path, 'utf8'));
  throw new ImportFileError(`неизвестный формат файла ${ext || '(без расширения)'}: нужен .csv или .xlsx`);
}

export function parseCsv(text: string): ImportRecord[] {
  // One delimiter per file, chosen from the header line: Excel in a Russian locale writes `;` and decimal
  // commas ("10,5"), so treating `,` and `;` both as delimiters would split numbers.
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [';', '\t', ','].reduce((best, d) => (header.split(d).length > header.split(best).length ? d : best), ',');
  const table = parse(text, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  return fromTable(table);
}

async function readXlsx(path: string): Promise<ImportRecord[]> {
  // Loaded on first use: exceljs is about 8 MB of heap, which API processes (that never import files) would
  // otherwise carry and walk in every major garbage collection.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ImportFileError('в книге нет листов');
  const table: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const values: string[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) values.push(row.getCell(c).text.trim());
    table[n - 1] = values;
  });
  return fromTable(Array.from(table, (r) => r ?? []));
}

function fromTable(table: string[][]): ImportRecord[] {
  const [header, ...data] = table;
  if (!header) throw new ImportFileError('файл пуст');
  const names = header.map((h) => h.trim().toLowerCase());
  if (!names.some((n) => HEADERS[n] === 'tracking_number') || !names.some((n) => HEADERS[n] === 'client_code')) {
    throw new ImportFileError('в первой строке нужны столбцы tracking_number и client_code (или «Трек-номер» и «Код клиента»)');
  }
  const out: ImportRecord[] = [];
  data.forEach((cells, i) => {
    if (cells.every((c) => !c?.trim())) return;
    out.push({ line: i + 2, cells: Object.fromEntries(names.map((n, j) => [n, cells[j] ?? ''])) });
  });
  return out;
}

/** Cells → the API's create body, or the reason the row cannot be one. */
export function toInput(record: ImportRecord): { input: CreateTrackingInput } | { error: string } {
  const candidate: Record<string, unknown> = {};
  for (const [header, raw] of Object.entries(record.cells)) {
    const field = HEADERS[header];
    const text = raw.trim();
    if (!field || text === '') continue;
    if (INTEGER_FIELDS.has(field) || NUMBER_FIELDS.has(field)) {
      const n = Number(text.replace(/\s/g, '').replace(',', '.'));
      if (!Number.isFinite(n)) return { error: `${field}: «${text}» — не число` };
      candidate[field] = n;
    } else {
      candidate[field] = field === 'status' ? text.toLowerCase() : text;
    }
  }
  if (Value.Check(CreateTracking, candidate)) return { input: candidate as CreateTrackingInput };
  const first = Value.Errors(CreateTracking, candidate).First();
  const where = first?.path.replace(/^\//, '') || 'строка';
  return { error: `${where}: ${first?.message ?? 'некорректное значение'}` };
}

/** The tracking-number cell of a row that failed validation, for the error report. */
function rawTrackingNumber(record: ImportRecord): string {
  const header = Object.keys(record.cells).find((h) => HEADERS[h] === 'tracking_number');
  return header ? (record.cells[header] ?? '').trim() : '';
}

/** The fields of `input` that differ from the stored row (what an update must change). */
function differences(row: TrackingRow, input: CreateTrackingInput): UpdateTrackingInput {
  const changes: Record<string, unknown> = {};
  if (input.status && input.status !== row.current_status) changes.status = input.status;
  if (input.quantity !== undefined && input.quantity !== row.quantity) changes.quantity = input.quantity;
  if (input.weight_kg !== undefined && input.weight_kg !== row.weight_kg) changes.weight_kg = input.weight_kg;
  if (input.price_per_kg_usd !== undefined && input.price_per_kg_usd !== row.price_per_kg_usd)
    changes.price_per_kg_usd = input.price_per_kg_usd;
  const cost = costOf(input);
  if (cost !== null && cost !== row.total_cost_usd) changes.total_cost_usd = cost;
  if (input.note !== undefined && input.note !== row.note) changes.note = input.note;
  return changes as UpdateTrackingInput;
}

export class Importer {
  constructor(
    private readonly hub: Hub,
    private readonly tracking: TrackingService,
  ) {}

  async run(botId: number, records: readonly ImportRecord[], onProgress?: (done: number, total: number) => void): Promise<ImportResult> {
    const [bot] = await this.hub.database.query('select 1 from tracking_bots where id = $1', [botId]);
    if (!bot) throw trackingError('BOT_NOT_FOUND');
    const result: ImportResult = { total: records.length, created: 0, updated: 0, unchanged: 0, failed: 0, errors: [] };
    const seen = new Map<string, number>();
    for (const [i, record] of records.entries()) {
      const parsed = toInput(record);
      const number = 'input' in parsed ? parsed.input.tracking_number : rawTrackingNumber(record);
      const fail = (error: string) => {
        result.failed += 1;
        result.errors.push({ line: record.line, tracking_number: number, error });
      };
      if ('error' in parsed) fail(parsed.error);
      else if (seen.has(number)) fail(`трек-номер повторяется в файле (строка ${seen.get(number)})`);
      else {
        seen.set(number, record.line);
        try {
          result[await this.#apply(botId, parsed.input)] += 1;
        } catch (err) {
          if (!(err instanceof HubError)) this.hub.log.error({ err, line: record.line }, 'tracking import row failed');
          fail(err instanceof HubError ? err.message : 'внутренняя ошибка при записи строки');
        }
      }
      onProgress?.(i + 1, records.length);
    }
    return result;
  }

  async #apply(botId: number, input: CreateTrackingInput): Promise<'created' | 'updated' | 'unchanged'> {
    return this.hub.db.transaction(async (tx) => {
      const [row] = await rows<TrackingRow>(
        tx,
        sql`select ${sql.raw(TRACKING_COLUMNS)} from tracking_numbers where bot_id = ${botId} and tracking_number = ${input.tracking_number} for update`,
      );
      if (!row) {
        if (!(await this.tracking.insert(tx, botId, input, 'import'))) throw trackingError('DUPLICATE_TRACKING');
        return 'created';
      }
      if (row.client_code !== input.client_code) {
        throw trackingError('DUPLICATE_TRACKING', `трек-номер уже принадлежит клиенту ${row.client_code}`);
      }
      const changes = differences(row, input);
      if (Object.keys(changes).length === 0) return 'unchanged';
      await this.tracking.applyUpdate(tx, row, changes, 'import');
      return 'updated';
    });
  }
}

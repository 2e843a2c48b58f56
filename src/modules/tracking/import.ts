// Bulk import of tracking numbers from CSV or XLSX. The first row names the columns (the API's field names, or
// the Russian headers in import-columns.ts). The file is streamed (import-csv.ts, import-xlsx.ts) within limits
// checked before anything is written (import-limits.ts); each data row is validated like POST /tracking, and
// valid rows are written in batches, one transaction each (import-batch.ts): a new number is created; a known one
// is updated when the file differs (a status move goes through the status machine and its webhooks), or left
// alone when nothing differs — so re-running a file never duplicates. Rows that fail are reported with their line
// number and reason; the others go through.
import { extname } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Hub } from '../../platform/hub.js';
import { HubError } from '../../platform/http/errors.js';
import { rows } from '../../platform/db/database.js';
import type { CreateTrackingInput } from './contract.js';
import { trackingError } from './errors.js';
import { ImportFileError, toInput, type ImportSource } from './import-columns.js';
import { differences, otherClient, writeBatch, type ImportRowError, type PendingRow } from './import-batch.js';
import { csvSource } from './import-csv.js';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from './import-limits.js';
import { xlsxSource } from './import-xlsx.js';
import type { TrackingService } from './tracking.js';
import type { WebhookService } from './webhooks.js';
import { TRACKING_COLUMNS, type TrackingRow } from './store.js';

export { ImportFileError, type ImportRecord, type ImportSource } from './import-columns.js';
export { ImportLimitError, DEFAULT_IMPORT_LIMITS, MIB, type ImportLimits } from './import-limits.js';
export type { ImportRowError } from './import-batch.js';

export interface ImportResult {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  errors: ImportRowError[];
}

/** Rows per transaction: large enough that statements per row vanish, small enough to keep a batch's locks short. */
export const IMPORT_BATCH_ROWS = 5000;

/** Opens a .csv/.txt or .xlsx file: size and row limits are checked here, before anything is written. */
export async function openImportSource(path: string, limits: Partial<ImportLimits> = {}): Promise<ImportSource> {
  const all = { ...DEFAULT_IMPORT_LIMITS, ...limits };
  const ext = extname(path).toLowerCase();
  if (ext === '.xlsx') return xlsxSource(path, all);
  if (ext === '.csv' || ext === '.txt') return csvSource(path, all);
  throw new ImportFileError(`неизвестный формат файла ${ext || '(без расширения)'}: нужен .csv или .xlsx`);
}

export interface ImportProgress {
  /** Data rows read so far. */
  readonly rows: number;
  /** How far through the file, 0…1. */
  readonly fraction: number;
  readonly done: boolean;
}

export class Importer {
  constructor(
    private readonly hub: Hub,
    private readonly tracking: TrackingService,
    private readonly webhooks: WebhookService,
    private readonly batchRows = IMPORT_BATCH_ROWS,
  ) {}

  async run(botId: number, source: ImportSource, onProgress?: (p: ImportProgress) => void): Promise<ImportResult> {
    const [bot] = await this.hub.database.query('select 1 from tracking_bots where id = $1', [botId]);
    if (!bot) throw trackingError('BOT_NOT_FOUND');
    const result: ImportResult = { total: 0, created: 0, updated: 0, unchanged: 0, failed: 0, errors: [] };
    const seen = new Map<string, number>();
    let batch: PendingRow[] = [];
    // One batch is written while the next is read and validated (on PostgreSQL the two overlap; PGlite runs its
    // queries on this thread, so there they simply alternate).
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      const full = batch;
      batch = [];
      await writing;
      writing = this.#write(botId, full, result).then(() => onProgress?.({ rows: result.total, fraction: source.progress(), done: false }));
    };
    try {
      for await (const record of source.records()) {
        result.total += 1;
        const parsed = toInput(record);
        if ('error' in parsed) fail(result, record.line, record.cells.tracking_number ?? '', parsed.error);
        else {
          const number = parsed.input.tracking_number;
          const first = seen.get(number);
          if (first !== undefined) fail(result, record.line, number, `трек-номер повторяется в файле (строка ${first})`);
          else {
            seen.set(number, record.line);
            batch.push({ line: record.line, input: parsed.input });
            if (batch.length >= this.batchRows) await flush();
          }
        }
      }
      if (batch.length) await flush();
    } finally {
      await writing; // a batch in flight finishes (and is counted) even when reading failed
    }
    result.errors.sort((a, b) => a.line - b.line);
    onProgress?.({ rows: result.total, fraction: 1, done: true });
    return result;
  }

  async #write(botId: number, batch: readonly PendingRow[], result: ImportResult): Promise<void> {
    try {
      const outcome = await this.hub.db.transaction((tx) => writeBatch(tx, this.webhooks, botId, batch));
      result.created += outcome.created;
      result.updated += outcome.updated;
      result.unchanged += outcome.unchanged;
      for (const e of outcome.errors) fail(result, e.line, e.tracking_number, e.error);
    } catch (err) {
      // A database error fails the whole batch (a value the column cannot hold, a deadlock with another writer):
      // its rows are retried one by one, so only the row at fault is reported.
      this.hub.log.warn(
        { ...reason(err), lines: [batch[0]?.line, batch.at(-1)?.line] },
        'tracking import batch failed; writing its rows one by one',
      );
      for (const p of batch) {
        try {
          result[await this.#apply(botId, p.input)] += 1;
        } catch (rowErr) {
          if (!(rowErr instanceof HubError)) this.hub.log.error({ ...reason(rowErr), line: p.line }, 'tracking import row failed');
          fail(
            result,
            p.line,
            p.input.tracking_number,
            rowErr instanceof HubError ? rowErr.message : 'внутренняя ошибка при записи строки',
          );
        }
      }
    }
  }

  /** One row in its own transaction: the fallback for a batch that failed. */
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
      const clash = otherClient(row, input);
      if (clash) throw clash;
      const changes = differences(row, input);
      if (Object.keys(changes).length === 0) return 'unchanged';
      await this.tracking.applyUpdate(tx, row, changes, 'import');
      return 'updated';
    });
  }
}

/**
 * What a failed write's log line may say: a database error's code (SQLSTATE), never its text — the driver's
 * message carries the statement's parameters (for a batch, thousands of rows of a partner's data) and the
 * database's may quote a value. Anything else (a bug) by its message.
 */
function reason(err: unknown): { code: string } | { error: string } {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? { code } : { error: cause instanceof Error ? cause.message : String(cause) };
}

function fail(result: ImportResult, line: number, trackingNumber: string, error: string): void {
  result.failed += 1;
  result.errors.push({ line, tracking_number: trackingNumber, error });
}

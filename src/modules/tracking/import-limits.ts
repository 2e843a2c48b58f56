// How big an import file may be. A file is checked against these before anything is written (sizes from the
// file system and the ZIP directory, then the data actually inflated; rows counted), and the readers enforce them
// again while streaming, so no file — a zip bomb, a sheet of a million rows, one endless cell — can take the
// process's memory or hours of its time. The operator may raise them per run (`--max-rows`, `--max-mb`).
import { ImportFileError } from './import-columns.js';

export interface ImportLimits {
  /** Data rows (not counting the header and blank rows). */
  readonly maxRows: number;
  /** Bytes of data: a CSV file's size; for XLSX, everything inside the ZIP once inflated (and the ZIP itself). */
  readonly maxBytes: number;
}

export const MIB = 1024 * 1024;

export const DEFAULT_IMPORT_LIMITS: ImportLimits = { maxRows: 500_000, maxBytes: 256 * MIB };

/**
 * The longest single value: a CSV record, or a run of XLSX XML between two tags (a cell's text, an attribute).
 * Legitimate rows are a few hundred bytes (a note is at most 1,000 characters); a parser holds a value whole.
 */
export const MAX_VALUE_BYTES = MIB;

/** A limit was passed: the file is refused as a whole. */
export class ImportLimitError extends ImportFileError {}

const advice = 'разбейте файл на части';

export const tooManyRows = (limits: ImportLimits) =>
  new ImportLimitError(
    `в файле больше ${limits.maxRows.toLocaleString('ru-RU')} строк данных — это предел одного импорта (--max-rows); ${advice}`,
  );

/** `subject`: what is too large — 'файл', or 'XLSX после распаковки'. */
export const tooLarge = (limits: ImportLimits, subject: string) =>
  new ImportLimitError(
    `${subject} больше ${Math.round(limits.maxBytes / MIB).toLocaleString('ru-RU')} МБ — это предел одного импорта (--max-mb); ${advice}`,
  );

export const valueTooLong = () =>
  new ImportLimitError(
    `в файле есть значение длиннее ${MAX_VALUE_BYTES / MIB} МБ — такой файл не импортируется (повреждён или не таблица)`,
  );

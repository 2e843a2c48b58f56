// XLSX import files, streamed with exceljs's WorkbookReader (one row at a time; the book is never built in
// memory), after the ZIP container passed its size check (import-zip.ts). Only the first worksheet is read, and
// from each row only the cells under the header's known columns: a cell in column XFD is never visited. Line
// numbers are the sheet's row numbers.
import { createReadStream } from 'node:fs';
import type { Row } from 'exceljs';
import { cellsOf, columnsOf, drain, ImportFileError, type Column, type ImportRecord, type ImportSource } from './import-columns.js';
import { tooManyRows, type ImportLimits } from './import-limits.js';
import { checkXlsxZip } from './import-zip.js';

/** Cells of a row that hold something: [column number, text]. Sparse, so a far-right cell costs one step. */
function filledCells(row: Row): Array<readonly [number, string]> {
  const cells: Array<readonly [number, string]> = [];
  row.eachCell((cell, col) => void cells.push([col, cell.text]));
  return cells;
}

export async function xlsxSource(path: string, limits: ImportLimits): Promise<ImportSource> {
  const { rowElements } = await checkXlsxZip(path, limits);
  // Loaded on first use: exceljs is about 8 MB of heap, which API processes (that never import files) would
  // otherwise carry and walk in every major garbage collection.
  const { default: ExcelJS } = await import('exceljs');
  let rowsSeen = 0;

  async function* records(): AsyncGenerator<ImportRecord> {
    rowsSeen = 0;
    const input = createReadStream(path, { highWaterMark: 256 * 1024 });
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'ignore',
      hyperlinks: 'ignore',
      entries: 'ignore',
    });
    let columns: Column[] | undefined;
    let sheets = 0;
    let rows = 0;
    try {
      for await (const sheet of reader) {
        sheets += 1;
        for await (const row of sheet) {
          rowsSeen += 1;
          if (!columns) {
            columns = columnsOf(filledCells(row));
            continue;
          }
          const cells = cellsOf(columns, (col) => row.findCell(col)?.text);
          if (!cells) continue;
          if (++rows > limits.maxRows) throw tooManyRows(limits);
          yield { line: row.number, cells };
        }
        break; // the first worksheet only
      }
    } catch (err) {
      if (err instanceof ImportFileError) throw err;
      throw new ImportFileError(`не удалось прочитать XLSX: ${(err as Error).message}`);
    } finally {
      input.destroy();
    }
    if (sheets === 0) throw new ImportFileError('в книге нет листов');
    if (!columns) throw new ImportFileError('файл пуст');
  }

  // `<row` elements bound the data rows from above; only a book with more of them than the limit is read twice.
  if (rowElements - 1 > limits.maxRows) await drain(records());
  return { records, progress: () => (rowElements === 0 ? 1 : Math.min(1, rowsSeen / rowElements)) };
}

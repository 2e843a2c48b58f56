// CSV import files, streamed: csv-parse reads the file a chunk at a time and hands over one record at a time, so
// memory holds a chunk and a record, never the file. One delimiter per file, chosen from the header line: Excel
// in a Russian locale writes `;` and decimal commas ("10,5"), so treating `,` and `;` both as delimiters would
// split numbers. Line numbers count records (the header is 1; blank lines are not counted).
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse, CsvError } from 'csv-parse';
import { cellsOf, columnsOf, drain, ImportFileError, type Column, type ImportRecord, type ImportSource } from './import-columns.js';
import { MAX_VALUE_BYTES, tooLarge, tooManyRows, valueTooLong, type ImportLimits } from './import-limits.js';

const HEADER_PROBE_BYTES = 64 * 1024;

export async function csvSource(path: string, limits: ImportLimits): Promise<ImportSource> {
  const { size, head } = await probe(path);
  if (size > limits.maxBytes) throw tooLarge(limits, 'файл');
  const headerLine = head.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [';', '\t', ','].reduce((best, d) => (headerLine.split(d).length > headerLine.split(best).length ? d : best), ',');
  let bytesRead = 0;

  async function* records(): AsyncGenerator<ImportRecord> {
    bytesRead = 0;
    const input = createReadStream(path, { highWaterMark: 256 * 1024 });
    const parser = parse({
      bom: true,
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      max_record_size: MAX_VALUE_BYTES,
    });
    input.on('error', (err) => parser.destroy(err));
    input.on('data', (chunk) => void (bytesRead += chunk.length));
    input.pipe(parser);
    let columns: Column[] | undefined;
    let line = 0;
    let rows = 0;
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        line += 1;
        if (!columns) {
          columns = columnsOf(record.map((text, i) => [i, text] as const));
          continue;
        }
        const cells = cellsOf(columns, (i) => record[i]);
        if (!cells) continue;
        if (++rows > limits.maxRows) throw tooManyRows(limits);
        yield { line, cells };
      }
    } catch (err) {
      if (err instanceof CsvError) {
        if (err.code === 'CSV_MAX_RECORD_SIZE') throw valueTooLong();
        throw new ImportFileError(`не удалось разобрать CSV (строка ${line + 1}): ${err.message}`);
      }
      throw err;
    } finally {
      input.destroy();
    }
    if (!columns) throw new ImportFileError('файл пуст');
  }

  // Rows are counted before anything is written. A line count bounds the records from above, so only a file
  // with more lines than the limit (blank lines, quoted line breaks, or really too many rows) is parsed twice.
  if ((await countLines(path)) - 1 > limits.maxRows) await drain(records());
  return { records, progress: () => (size === 0 ? 1 : Math.min(1, bytesRead / size)) };
}

async function probe(path: string): Promise<{ size: number; head: string }> {
  const file = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new ImportFileError(`не удалось открыть файл: ${err.code === 'ENOENT' ? 'нет такого файла' : err.message}`);
  });
  try {
    const { size } = await file.stat();
    const buffer = Buffer.alloc(Math.min(size, HEADER_PROBE_BYTES));
    await file.read(buffer, 0, buffer.length, 0);
    return { size, head: buffer.toString('utf8') };
  } finally {
    await file.close();
  }
}

/** Line breaks in the file, plus one for a last line without a break. */
async function countLines(path: string): Promise<number> {
  let lines = 1;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
  }
  return lines;
}

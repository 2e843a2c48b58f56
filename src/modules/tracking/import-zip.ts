// The ZIP container of an XLSX file, checked before any XML parser sees it: a zip bomb (a few kilobytes that
// inflate to gigabytes) is refused by the sizes the ZIP declares, and, since declarations can lie, every entry is
// inflated once here into nothing and refused as soon as it grows past its declared size — memory stays one chunk.
//
// The XLSX reader (exceljs, through unzipper) walks the file's local headers from the start, while this check
// reads the central directory at the end. Entries must therefore lie back to back from byte 0 up to the
// directory, so that both see the same entries: nothing can hide between them. Every writer of XLSX lays files
// out this way. ZIP64 (files over 4 GB) is refused; no import file under the limits needs it.
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { ImportFileError } from './import-columns.js';
import { MAX_VALUE_BYTES, tooLarge, valueTooLong, type ImportLimits } from './import-limits.js';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const DESCRIPTOR_SIGNATURE = 0x08074b50;
const DESCRIPTOR_BYTES = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
/** An XLSX holds a dozen or two parts; thousands would be a directory that costs more to walk than it holds. */
const MAX_ENTRIES = 10_000;
const CHUNK = 256 * 1024;
const STORED = 0;
const DEFLATED = 8;
const HAS_DESCRIPTOR = 0x08;
const WORKSHEET = /^xl\/worksheets\/[^/]+\.xml$/;
/** Parts an XML parser reads (images and other binary parts are only counted). */
const XML_PART = /\.(xml|rels)$/i;

interface Entry {
  readonly name: string;
  readonly offset: number;
  readonly method: number;
  readonly flags: number;
  readonly compressedSize: number;
  readonly size: number;
}

export interface ZipCheck {
  /** `<row` elements in the worksheets: at least the number of rows any reader of the book will see. */
  readonly rowElements: number;
}

const broken = (why: string) => new ImportFileError(`файл XLSX повреждён или не поддерживается: ${why}`);

export async function checkXlsxZip(path: string, limits: ImportLimits): Promise<ZipCheck> {
  const file = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new ImportFileError(`не удалось открыть файл: ${err.code === 'ENOENT' ? 'нет такого файла' : err.message}`);
  });
  try {
    const { size } = await file.stat();
    if (size > limits.maxBytes) throw tooLarge(limits, 'файл');
    const { entries, directoryOffset } = await centralDirectory(file, size);
    const declared = entries.reduce((sum, e) => sum + e.size, 0);
    if (declared > limits.maxBytes) throw tooLarge(limits, 'XLSX после распаковки');
    const locals = await localHeaders(file, entries, directoryOffset);
    // Every entry inflates to exactly its declared size, so the declared sum above bounds what any reader gets.
    let rowElements = 0;
    for (const [i, entry] of entries.entries()) {
      const local = locals[i]!;
      const counter = XML_PART.test(local.name) ? new XmlCounter(WORKSHEET.test(local.name)) : undefined;
      await inflate(file, { ...entry, name: local.name }, local, counter);
      rowElements += counter?.rows ?? 0;
    }
    return { rowElements };
  } finally {
    await file.close();
  }
}

async function read(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  if (bytesRead !== length) throw broken('файл обрывается');
  return buffer;
}

/** The entries of the central directory, in the order of their data in the file. */
async function centralDirectory(file: FileHandle, size: number): Promise<{ entries: Entry[]; directoryOffset: number }> {
  const tailLength = Math.min(size, EOCD_SIZE + MAX_COMMENT);
  const tail = await read(file, size - tailLength, tailLength);
  let at = -1;
  for (let i = tailLength - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      at = i;
      break;
    }
  }
  if (at < 0) throw broken('это не ZIP-архив');
  const count = tail.readUInt16LE(at + 10);
  const directorySize = tail.readUInt32LE(at + 12);
  const directoryOffset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) throw broken('ZIP64');
  if (count > MAX_ENTRIES) throw broken(`в архиве больше ${MAX_ENTRIES} файлов`);
  if (directoryOffset + directorySize !== size - tailLength + at) throw broken('оглавление архива не на месте');
  const directory = await read(file, directoryOffset, directorySize);
  const entries: Entry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > directory.length || directory.readUInt32LE(p) !== CENTRAL_SIGNATURE) throw broken('оглавление архива испорчено');
    const nameLength = directory.readUInt16LE(p + 28);
    entries.push({
      flags: directory.readUInt16LE(p + 8),
      method: directory.readUInt16LE(p + 10),
      compressedSize: directory.readUInt32LE(p + 20),
      size: directory.readUInt32LE(p + 24),
      offset: directory.readUInt32LE(p + 42),
      name: directory.toString('utf8', p + 46, p + 46 + nameLength),
    });
    p += 46 + nameLength + directory.readUInt16LE(p + 30) + directory.readUInt16LE(p + 32);
  }
  entries.sort((a, b) => a.offset - b.offset);
  return { entries, directoryOffset };
}

/** Where an entry's compressed data is, by its local header. */
interface Local {
  readonly start: number;
  /** The name the local header gives (what a streaming reader goes by). */
  readonly name: string;
  /** Whether a streaming reader finds the data's end by searching for the data descriptor's signature. */
  readonly scanned: boolean;
}

/**
 * The local headers: they must agree with the directory, and the entries lie back to back up to it. unzipper reads
 * an entry by the sizes in its local header or, when a data descriptor follows and the header gives no size, up to
 * the first occurrence of the descriptor's signature — which then must be where the directory says the data ends.
 */
async function localHeaders(file: FileHandle, entries: readonly Entry[], directoryOffset: number): Promise<Local[]> {
  const out: Local[] = [];
  let expected = 0;
  for (const e of entries) {
    if (e.offset !== expected) throw broken('между файлами архива есть лишние данные');
    const local = await read(file, e.offset, 30);
    if (local.readUInt32LE(0) !== LOCAL_SIGNATURE) throw broken('заголовок файла в архиве испорчен');
    const method = local.readUInt16LE(8);
    const descriptor = (local.readUInt16LE(6) & HAS_DESCRIPTOR) !== 0;
    const scanned = descriptor && local.readUInt32LE(18) === 0;
    if (method !== e.method || (!scanned && (local.readUInt32LE(18) !== e.compressedSize || local.readUInt32LE(22) !== e.size)))
      throw broken('заголовок файла не совпадает с оглавлением');
    if (method !== STORED && method !== DEFLATED) throw broken(`метод сжатия ${method}`);
    const nameLength = local.readUInt16LE(26);
    const name = (await read(file, e.offset + 30, nameLength)).toString('utf8');
    const start = e.offset + 30 + nameLength + local.readUInt16LE(28);
    let end = start + e.compressedSize;
    if (descriptor) {
      const signed = (await read(file, end, 4)).readUInt32LE(0) === DESCRIPTOR_SIGNATURE;
      if (scanned && !signed) throw broken('дескриптор данных без подписи');
      end += signed ? 16 : 12;
    }
    out.push({ start, name, scanned });
    expected = end;
  }
  if (expected !== directoryOffset) throw broken('между файлами архива и оглавлением есть лишние данные');
  return out;
}

/** Inflates one entry into nothing, refusing it as soon as it inflates past its declared size. */
async function inflate(file: FileHandle, entry: Entry, local: Local, counter: XmlCounter | undefined): Promise<void> {
  if (entry.compressedSize === 0) {
    if (entry.size !== 0) throw broken(`${entry.name}: размер не совпадает с заявленным`);
    return;
  }
  const raw = Readable.from(chunksOf(file, local.start, entry.compressedSize, local.scanned));
  const data = entry.method === STORED ? raw : raw.pipe(createInflateRaw({ chunkSize: CHUNK }));
  raw.on('error', (err) => data.destroy(err));
  let size = 0;
  try {
    for await (const chunk of data as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > entry.size) throw broken(`${entry.name}: распаковывается больше заявленного`);
      counter?.feed(chunk);
    }
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    throw broken(`${entry.name}: ${(err as Error).message}`);
  } finally {
    data.destroy();
    raw.destroy();
  }
  if (size !== entry.size) throw broken(`${entry.name}: размер не совпадает с заявленным`);
}

/**
 * The bytes [start, start + length) of the file, a chunk at a time (the handle stays open for the next entry).
 * `scanned`: the data descriptor's signature must not occur in them, or a streaming reader would stop there.
 */
async function* chunksOf(file: FileHandle, start: number, length: number, scanned: boolean): AsyncGenerator<Buffer> {
  let tail = Buffer.alloc(0);
  for (let at = start, left = length; left > 0;) {
    const chunk = await read(file, at, Math.min(CHUNK, left));
    if (scanned) {
      if (Buffer.concat([tail, chunk]).indexOf(DESCRIPTOR_BYTES) !== -1) throw broken('в сжатых данных встречается подпись дескриптора');
      tail = Buffer.from(chunk.subarray(Math.max(0, chunk.length - 3)));
    }
    at += chunk.length;
    left -= chunk.length;
    yield chunk;
  }
}

/**
 * Refuses a run of text between two tags longer than MAX_VALUE_BYTES (an XML parser holds a text or an attribute
 * whole, so one endless cell would be one endless string) and, in a worksheet, counts `<row` elements (with or
 * without a namespace prefix). Runs are measured per chunk: a run inside one chunk is shorter than the chunk,
 * far below the limit.
 */
class XmlCounter {
  rows = 0;
  #run = 0;
  #tail = Buffer.alloc(0);

  constructor(private readonly countRows: boolean) {}

  feed(chunk: Buffer): void {
    const first = chunk.indexOf(0x3c); // '<'
    if (first === -1) {
      this.#run += chunk.length;
    } else {
      if (this.#run + first > MAX_VALUE_BYTES) throw valueTooLong();
      this.#run = chunk.length - chunk.lastIndexOf(0x3c) - 1;
    }
    if (this.#run > MAX_VALUE_BYTES) throw valueTooLong();
    if (!this.countRows) return;
    // The previous chunk's last 4 bytes go first, so a `<row ` cut in two is seen whole; a match is counted in the
    // buffer where the byte after it is known, so none is counted twice.
    const b = this.#tail.length ? Buffer.concat([this.#tail, chunk]) : chunk;
    for (let i = b.indexOf('row', 1); i !== -1; i = b.indexOf('row', i + 3)) {
      const before = b[i - 1];
      const after = b[i + 3];
      if (after === undefined) continue;
      if (
        (before === 0x3c || before === 0x3a) &&
        (after === 0x20 || after === 0x3e || after === 0x2f || after === 0x09 || after === 0x0a || after === 0x0d)
      )
        this.rows += 1;
    }
    this.#tail = Buffer.from(b.subarray(Math.max(0, b.length - 4)));
  }
}

// Shared by the import tests: `hub tracking …` run against a test hub, and a small ZIP writer for XLSX files
// no spreadsheet program would write (zip bombs, lying sizes).
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { crc32, createDeflateRaw } from 'node:zlib';
import { Command } from 'commander';
import type { TestHub } from '../../helpers/hub.js';
import { registerTrackingCli, type CliIo } from '../../../src/modules/tracking/cli.js';

/** Runs `hub tracking …` against the test hub, capturing stdout, stderr and the exit code. */
export async function cli(h: TestHub, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let exitCode = 0;
  const io: CliIo = { out: (s) => void out.push(s), err: (s) => void err.push(s), setExitCode: (c) => void (exitCode = c) };
  const program = new Command('hub').exitOverride();
  registerTrackingCli(program, (fn) => fn(h.hub), io);
  await program.parseAsync(['node', 'hub', 'tracking', ...args]);
  return { stdout: out.join(''), stderr: err.join(''), exitCode };
}

/** Parts of a ZIP entry's content: text, or `bytes` of a text repeated (generated a MiB at a time, never held whole). */
export type Part = string | { readonly repeat: string; readonly bytes: number };

export interface ZipEntry {
  readonly name: string;
  readonly parts: readonly Part[];
  /** The uncompressed size to declare, when it should lie. */
  readonly declaredSize?: number;
  /** Stored instead of deflated. */
  readonly stored?: boolean;
  /** Sizes in a data descriptor after the data (flag bit 3), zeros in the local header. */
  readonly descriptor?: boolean;
}

async function deflate(parts: readonly Part[], stored = false): Promise<{ data: Buffer; crc: number; size: number }> {
  const z = stored ? new PassThrough() : createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  z.on('data', (b: Buffer) => out.push(b));
  let crc = 0;
  let size = 0;
  const write = async (b: Buffer) => {
    crc = crc32(b, crc);
    size += b.length;
    if (!z.write(b)) await once(z, 'drain');
  };
  for (const part of parts) {
    if (typeof part === 'string') await write(Buffer.from(part));
    else {
      const mib = Buffer.alloc(1024 * 1024, part.repeat);
      for (let left = part.bytes; left > 0; left -= mib.length) await write(left >= mib.length ? mib : mib.subarray(0, left));
    }
  }
  z.end();
  await once(z, 'end');
  return { data: Buffer.concat(out), crc, size };
}

/** A ZIP archive (deflated entries, sizes in the local headers and the central directory). */
export async function zip(entries: readonly ZipEntry[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const { data, crc, size } = await deflate(entry.parts, entry.stored);
    const name = Buffer.from(entry.name);
    const declared = entry.declaredSize ?? size;
    const method = entry.stored ? 0 : 8;
    const flags = entry.descriptor ? 0x08 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    if (!entry.descriptor) {
      local.writeUInt32LE(crc >>> 0, 14);
      local.writeUInt32LE(data.length, 18);
      local.writeUInt32LE(declared, 22);
    }
    local.writeUInt16LE(name.length, 26);
    const descriptor = Buffer.alloc(entry.descriptor ? 16 : 0);
    if (entry.descriptor) {
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc >>> 0, 4);
      descriptor.writeUInt32LE(data.length, 8);
      descriptor.writeUInt32LE(declared, 12);
    }
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(flags, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt32LE(crc >>> 0, 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(declared, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    chunks.push(local, name, data, descriptor);
    offset += local.length + name.length + data.length + descriptor.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, directory, end]);
}

const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

/**
 * A minimal XLSX whose one sheet has the header row `tracking_number, client_code` and a second row whose first
 * cell is `filler` (e.g. 300 MiB of one letter) — the rest of the parts are the least a reader needs.
 */
export function xlsxWith(filler: Part, sheet: Partial<Pick<ZipEntry, 'declaredSize' | 'stored' | 'descriptor'>> = {}): Promise<Buffer> {
  const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  return zip([
    {
      name: '[Content_Types].xml',
      parts: [
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
      ],
    },
    {
      name: '_rels/.rels',
      parts: [
        `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ],
    },
    {
      name: 'xl/workbook.xml',
      parts: [
        `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}" xmlns:r="${rel}"><sheets><sheet name="Грузы" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ],
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      parts: [
        `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      ],
    },
    {
      name: 'xl/worksheets/sheet1.xml',
      ...sheet,
      parts: [
        `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${ns}"><sheetData><row r="1">${cell('A1', 'tracking_number')}${cell('B1', 'client_code')}</row>` +
          '<row r="2"><c r="A2" t="inlineStr"><is><t>',
        filler,
        `</t></is></c>${cell('B2', 'C1')}</row></sheetData></worksheet>`,
      ],
    },
  ]);
}

// Hostile import files (issue #19, finding 7): a zip bomb, a ZIP that lies about its sizes, one endless cell, a
// cell in column XFD, too many rows, too many bytes. Each is refused with a clear message before anything is
// written — or, for XFD, imported at once — and none takes the process's memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { TestHub } from '../../helpers/hub.js';
import { trackingHub } from './helpers.js';
import { cli, xlsxWith } from './import-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tracking-import-limits-'));
const MIB = 1024 * 1024;

const stored = async (h: TestHub) =>
  ((await h.hub.database.query<{ n: number }>('select count(*)::int as n from tracking_numbers')) as [{ n: number }])[0].n;

/** Peak resident memory of this process so far, MiB (never goes down, so growth across a call is its peak). */
const peakMib = () => process.resourceUsage().maxRSS / 1024;

// First in the file, so the peak memory measured is the bomb's, not an earlier test's.
test('a zip bomb is refused by its declared size, and while inflating when the declaration lies; memory stays bounded', async (t) => {
  const h = await trackingHub(t);
  await cli(h, 'bot', 'create', '--name', 'Бомба', '--id', '7');
  // 300 MiB of one letter in the sheet XML: about 300 KB on disk.
  const honest = join(dir, 'bomb.xlsx');
  writeFileSync(honest, await xlsxWith({ repeat: 'a', bytes: 300 * MIB }));
  assert.ok(statSync(honest).size < 1 * MIB, 'the bomb itself is small');
  const before = peakMib();
  await assert.rejects(
    cli(h, 'import', '--bot', '7', honest),
    /XLSX после распаковки больше 256 МБ — это предел одного импорта \(--max-mb\)/,
  );

  // The sheet declares 1 KB (the sum is then far below the limit): stopped as soon as it inflates past that.
  const lying = join(dir, 'bomb-lying.xlsx');
  writeFileSync(lying, await xlsxWith({ repeat: '<b/>', bytes: 300 * MIB }, { declaredSize: 1024 }));
  await assert.rejects(cli(h, 'import', '--bot', '7', lying), /повреждён.*sheet1\.xml: распаковывается больше заявленного/);
  const grown = peakMib() - before;
  assert.ok(grown < 150, `peak memory grew by ${grown.toFixed(0)} MiB; the check inflates into nothing, a chunk at a time`);
  assert.equal(await stored(h), 0);
});

test('a ZIP entry a streaming reader would see differently from its directory is refused', async (t) => {
  const h = await trackingHub(t);
  await cli(h, 'bot', 'create', '--name', 'Архив', '--id', '14');
  // Sizes only in a data descriptor: unzipper ends the entry at the first descriptor signature in its data, and
  // would read whatever follows as further entries — unchecked ones.
  const cut = join(dir, 'cut.xlsx');
  writeFileSync(
    cut,
    await xlsxWith('T-1</t></is></c></row><!-- PK\x07\x08 --><row r="3"><c r="A3" t="inlineStr"><is><t>T-2', {
      stored: true,
      descriptor: true,
    }),
  );
  await assert.rejects(cli(h, 'import', '--bot', '14', cut), /повреждён.*подпись дескриптора/);
  // The same layout without the signature in the data is read as usual.
  const fine = join(dir, 'descriptor.xlsx');
  writeFileSync(fine, await xlsxWith('T-1', { stored: true, descriptor: true }));
  assert.equal(JSON.parse((await cli(h, 'import', '--bot', '14', fine)).stdout).created, 1);
  const padded = join(dir, 'padded.xlsx');
  writeFileSync(padded, Buffer.concat([Buffer.alloc(64), await xlsxWith('T-3')]));
  await assert.rejects(cli(h, 'import', '--bot', '14', padded), /XLSX повреждён или не поддерживается/);
});

test('one cell longer than 1 MB is refused before an XML parser holds it', async (t) => {
  const h = await trackingHub(t);
  await cli(h, 'bot', 'create', '--name', 'Ячейка', '--id', '8');
  const file = join(dir, 'long-cell.xlsx');
  writeFileSync(file, await xlsxWith({ repeat: 'a', bytes: 2 * MIB }));
  await assert.rejects(cli(h, 'import', '--bot', '8', file), /значение длиннее 1 МБ/);
  const csv = join(dir, 'long-cell.csv');
  writeFileSync(csv, `tracking_number,client_code,note\nT-1,C1,${'a'.repeat(2 * MIB)}\n`);
  await assert.rejects(cli(h, 'import', '--bot', '8', csv), /значение длиннее 1 МБ/);
  assert.equal(await stored(h), 0);
});

test('a sheet with a cell in column XFD (row 1,048,576) imports its real columns at once', { timeout: 60_000 }, async (t) => {
  const h = await trackingHub(t);
  await cli(h, 'bot', 'create', '--name', 'XFD', '--id', '9');
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Грузы');
  sheet.addRow(['tracking_number', 'client_code', 'status', 'weight_kg']);
  sheet.addRow(['XFD-1', 'K1', 'in_transit', 2.5]);
  sheet.addRow(['XFD-2', 'K2', null, 4]);
  sheet.getCell('XFD1').value = 'неизвестный столбец';
  sheet.getCell('XFD1048576').value = 'край листа';
  const file = join(dir, 'xfd.xlsx');
  await book.xlsx.writeFile(file);
  assert.ok(statSync(file).size < 20 * 1024, 'a few kilobytes');
  const r = JSON.parse((await cli(h, 'import', '--bot', '9', file)).stdout);
  assert.deepEqual([r.total, r.created, r.failed], [2, 2, 0], 'the far row holds no known column: skipped like a blank one');
  const rows = await h.hub.database.query<{ tracking_number: string; current_status: string; weight_kg: string }>(
    'select tracking_number, current_status, weight_kg from tracking_numbers order by id',
  );
  assert.deepEqual(
    rows.map((x) => [x.tracking_number, x.current_status, Number(x.weight_kg)]),
    [
      ['XFD-1', 'in_transit', 2.5],
      ['XFD-2', 'pending', 4],
    ],
  );
});

test('row and size limits: refused with a message naming the limit, nothing written; blank lines do not count', async (t) => {
  const h = await trackingHub(t);
  await cli(h, 'bot', 'create', '--name', 'Лимиты', '--id', '10');
  const rows = (n: number, blankEvery = 0) =>
    [
      'tracking_number;client_code',
      ...Array.from({ length: n }, (_, i) => `${blankEvery && i % blankEvery === 0 ? '\n' : ''}LIM-${i};C${i % 3}`),
    ].join('\n');
  const tooMany = join(dir, 'rows.csv');
  writeFileSync(tooMany, rows(21));
  await assert.rejects(
    cli(h, 'import', '--bot', '10', tooMany, '--max-rows', '20'),
    /в файле больше 20 строк данных — это предел одного импорта \(--max-rows\)/,
  );
  assert.equal(await stored(h), 0, 'refused before the first row was written');

  // 31 lines, 20 of them data: more lines than the limit, but not more rows.
  const blanks = join(dir, 'blanks.csv');
  writeFileSync(blanks, rows(20, 2));
  const ok = JSON.parse((await cli(h, 'import', '--bot', '10', blanks, '--max-rows', '20')).stdout);
  assert.deepEqual([ok.total, ok.created], [20, 20]);

  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Грузы');
  sheet.addRow(['Трек-номер', 'Код клиента']);
  for (let i = 0; i < 21; i++) sheet.addRow([`XL-${i}`, 'K']);
  const xlsx = join(dir, 'rows.xlsx');
  await book.xlsx.writeFile(xlsx);
  await assert.rejects(cli(h, 'import', '--bot', '10', xlsx, '--max-rows', '20'), /больше 20 строк данных/);

  const big = join(dir, 'big.csv');
  writeFileSync(big, `tracking_number,client_code\n${'BIG-1,C1\n'.repeat(140_000)}`);
  await assert.rejects(cli(h, 'import', '--bot', '10', big, '--max-mb', '1'), /файл больше 1 МБ — это предел одного импорта \(--max-mb\)/);
  assert.equal(await stored(h), 20);
});

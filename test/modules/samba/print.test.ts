// Invoice print forms (GET /samba/files/po, seed §6.2): the seed's answer shape and file name; the PDF's text as
// poppler extracts it (Cyrillic number, sums, VAT line, sum in words, both parties with ИНН/КПП, the basis) and its
// page rendered to pixels (not blank); the DOCX's word/document.xml; the XLSX read back with exceljs; the supplier
// requisites from SAMBA_SUPPLIER_* and their checks.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { loadConfig } from '../../../src/config.js';
import { settingGroupOf } from '../../../src/platform/module.js';
import { createSambaModule } from '../../../src/modules/samba/index.js';
import { expect, sambaHub, TORNADO, tornadoWorld } from './helpers.js';

const SUPPLIER = {
  SAMBA_SUPPLIER_NAME: 'ООО «РЕКЛАМНОЕ АГЕНТСТВО»',
  SAMBA_SUPPLIER_INN: '7707083893',
  SAMBA_SUPPLIER_KPP: '773601001',
  SAMBA_SUPPLIER_ADDRESS: '117312, г. Москва, ул. Вавилова, д. 19',
  SAMBA_SUPPLIER_BANK: 'ПАО СБЕРБАНК, г. Москва',
  SAMBA_SUPPLIER_BIK: '044525225',
  SAMBA_SUPPLIER_CORR_ACCOUNT: '30101810400000000225',
  SAMBA_SUPPLIER_ACCOUNT: '40702810938000012345',
  SAMBA_SUPPLIER_DIRECTOR: 'Иванов И. И.',
  SAMBA_SUPPLIER_ACCOUNTANT: 'Петрова А. С.',
};

/** The seed's world with one invoice of 60 000,00 (VAT 20 %) dated 09.10.2024; a temp folder for the files. */
async function printBed(t: TestContext) {
  const bed = await sambaHub(t, undefined, SUPPLIER);
  await tornadoWorld(bed);
  const po = (await expect(bed.call('POST', '/po', { rk_id: 'У191994', amount: 60000 }), 200)).result;
  const dir = mkdtempSync(join(tmpdir(), 'samba-print-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const fetch = async (query: string, file: string) => {
    const body = await expect(bed.call('GET', `/files/po?${query}`), 200);
    const path = join(dir, file);
    writeFileSync(path, Buffer.from(body.result.data, 'base64'));
    return { body, path };
  };
  return { ...bed, po, fetch };
}

const q = (o: Record<string, string>) => new URLSearchParams(o).toString();
const flat = (s: string) => s.replace(/\s+/g, ' ');

// One hub for the three formats (a hub on a fresh database is most of a test's time).
test('print forms of one invoice', async (t) => {
  const { po, fetch } = await printBed(t);

  await t.test('PDF (the default): the seed envelope and name; poppler reads the Cyrillic form; the page is not blank', async () => {
    const { body, path } = await fetch(q({ number: po.number, date: '20241009' }), 'po.pdf');
    assert.equal(body.status, 'ok');
    assert.equal(body.message, null);
    assert.equal(body.result.name, 'Счет УЛУ000001/01 от 09.10.2024.pdf');
    assert.equal(body.result.ext, 'pdf');
    assert.equal(readFileSync(path).subarray(0, 5).toString(), '%PDF-');

    const text = flat(execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }));
    for (const expected of [
      'Счет на оплату № УЛУ000001/01 от 9 октября 2024 г.',
      'Банк получателя',
      'ПАО СБЕРБАНК, г. Москва',
      '044525225',
      '30101810400000000225',
      '40702810938000012345',
      'ИНН 7707083893',
      'КПП 773601001',
      'ООО «РЕКЛАМНОЕ АГЕНТСТВО», ИНН 7707083893, КПП 773601001, 117312, г. Москва, ул. Вавилова, д. 19',
      `ООО «ТОРНАДО», ИНН ${TORNADO.inn}, КПП ${TORNADO.kpp}`,
      'Договор № 135/19 от 01.10.2019',
      'Услуги по размещению рекламы, РК У191994',
      '60 000,00',
      'В том числе НДС 20%:',
      '10 000,00',
      'Всего к оплате:',
      'Всего наименований 1, на сумму 60 000,00 руб.',
      'Шестьдесят тысяч рублей 00 копеек',
      'Руководитель',
      'Иванов И. И.',
      'Бухгалтер',
      'Петрова А. С.',
    ]) {
      assert.ok(text.includes(expected), `the PDF text lacks «${expected}»:\n${text}`);
    }

    // The first page as 8-bit grey pixels (PGM): text and lines make a share of it dark.
    execFileSync('pdftoppm', ['-r', '40', '-gray', '-singlefile', '-f', '1', path, join(path, '..', 'page')]);
    const pgm = readFileSync(join(path, '..', 'page.pgm'));
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'));
    assert.ok(header, 'a binary PGM');
    const pixels = pgm.subarray(header[0].length);
    assert.equal(pixels.length, Number(header[1]) * Number(header[2]));
    const dark = pixels.reduce((n, v) => n + (v < 128 ? 1 : 0), 0);
    assert.ok(dark / pixels.length > 0.01, `dark share ${dark / pixels.length}`);
  });

  await t.test('DOCX: word/document.xml holds the form; XLSX read back with exceljs holds it with numeric sums', async () => {
    const docx = await fetch(q({ uuid: po.uuid, ext: 'docx' }), 'po.docx');
    assert.equal(docx.body.result.name, 'Счет УЛУ000001/01 от 09.10.2024.docx');
    assert.equal(docx.body.result.ext, 'docx');
    const xml = execFileSync('unzip', ['-p', docx.path, 'word/document.xml'], { encoding: 'utf8' });
    const runs = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
    for (const expected of [
      'Счет на оплату № УЛУ000001/01 от 9 октября 2024 г.',
      'Банк получателя',
      '40702810938000012345',
      `ООО «ТОРНАДО», ИНН ${TORNADO.inn}, КПП ${TORNADO.kpp}`,
      '60 000,00',
      'В том числе НДС 20%:',
      '10 000,00',
      'Шестьдесят тысяч рублей 00 копеек',
      'Руководитель ______________________ Иванов И. И.',
    ]) {
      assert.ok(runs.includes(expected), `the DOCX lacks «${expected}»: ${JSON.stringify(runs)}`);
    }

    const xlsx = await fetch(q({ number: po.number, ext: 'xlsx' }), 'po.xlsx');
    assert.equal(xlsx.body.result.name, 'Счет УЛУ000001/01 от 09.10.2024.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx.path);
    const ws = book.worksheets[0]!;
    const cells = new Map<string, unknown>();
    ws.eachRow((row) => row.eachCell((c) => void cells.set(String(c.value), c)));
    for (const expected of [
      'Счет на оплату № УЛУ000001/01 от 9 октября 2024 г.',
      'ПАО СБЕРБАНК, г. Москва\nБанк получателя',
      `ООО «ТОРНАДО», ИНН ${TORNADO.inn}, КПП ${TORNADO.kpp}`,
      'В том числе НДС 20%:',
      'Шестьдесят тысяч рублей 00 копеек',
    ]) {
      assert.ok(cells.has(expected), `the XLSX lacks «${expected}»: ${JSON.stringify([...cells.keys()])}`);
    }
    const vatRow = [...cells.entries()].find(([k]) => k === 'В том числе НДС 20%:')![1] as ExcelJS.Cell;
    assert.equal(ws.getRow(Number(vatRow.row)).getCell(6).value, 10000);
    assert.equal(ws.getRow(Number(vatRow.row) + 1).getCell(6).value, 60000);
  });
});

test('2026 invoice: VAT 22 % and kopecks; unknown invoice 404; bad ext 400; no group 400; unset requisites print empty', async (t) => {
  const bed = await sambaHub(t);
  await tornadoWorld(bed);
  bed.clock.set('2026-01-15T09:00:00Z');
  const po = (await expect(bed.call('POST', '/po', { rk_id: 'У191994', amount: '1221,01' }), 200)).result;
  const body = await expect(bed.call('GET', `/files/po?${q({ uuid: po.uuid })}`), 200);
  assert.equal(body.result.name, 'Счет УЛУ000001/01 от 15.01.2026.pdf');
  const dir = mkdtempSync(join(tmpdir(), 'samba-print-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'po.pdf');
  writeFileSync(path, Buffer.from(body.result.data, 'base64'));
  const text = flat(execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }));
  for (const expected of ['1 221,01', 'В том числе НДС 22%:', '220,18', 'Одна тысяча двести двадцать один рубль 01 копейка']) {
    assert.ok(text.includes(expected), `lacks «${expected}»:\n${text}`);
  }

  const missing = await expect(bed.call('GET', `/files/po?${q({ number: 'УЛУ999999/01' })}`), 404);
  assert.equal(missing.status, 'error');
  assert.match((await expect(bed.call('GET', `/files/po?${q({ uuid: po.uuid, ext: 'odt' })}`), 400)).message, /ext/);
  assert.match((await expect(bed.call('GET', '/files/po?ext=pdf'), 400)).message, /uuid|number/);
});

test('SAMBA_SUPPLIER_*: a malformed ИНН, КПП, БИК or account stops the configuration', () => {
  const group = settingGroupOf(createSambaModule());
  assert.throws(
    () =>
      loadConfig(
        {
          SAMBA_SUPPLIER_INN: '7707083894',
          SAMBA_SUPPLIER_KPP: '7736001',
          SAMBA_SUPPLIER_BIK: '04452522',
          SAMBA_SUPPLIER_ACCOUNT: '4070281093800001234',
        },
        { groups: [group] },
      ),
    (err: Error) =>
      ['SAMBA_SUPPLIER_INN', 'SAMBA_SUPPLIER_KPP', 'SAMBA_SUPPLIER_BIK', 'SAMBA_SUPPLIER_ACCOUNT'].every((env) =>
        err.message.includes(env),
      ),
  );
  const ok = loadConfig(SUPPLIER, { groups: [group] });
  assert.equal(ok.groups.get('samba')?.supplierBik, '044525225');
});

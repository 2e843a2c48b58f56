// Imports of customers, placements and acts (CLI `hub samba import …` and POST /admin/v1/samba/imports/:kind): CSV in
// UTF-8 with a BOM or windows-1251, `;` or `,`, Russian or English headers, XLSX; rows rejected with their line and
// the seed's messages; progress on stderr; a repeated import changes nothing, a changed value is an update.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { admin, cli, expect, sambaHub, TORNADO, tornadoWorld } from './helpers.js';

/** windows-1251 bytes of a text (Cyrillic block and the few punctuation marks used here). */
function cp1251(text: string): Buffer {
  return Buffer.from(
    [...text].map((ch) => {
      const c = ch.codePointAt(0)!;
      if (c < 0x80) return c;
      if (c >= 0x410 && c <= 0x44f) return c - 0x410 + 0xc0;
      if (ch === 'Ё') return 0xa8;
      if (ch === 'ё') return 0xb8;
      if (ch === '«') return 0xab;
      if (ch === '»') return 0xbb;
      if (ch === '№') return 0xb9;
      throw new Error(`no cp1251 for ${ch}`);
    }),
  );
}

test('CLI customers from CSV: rejected rows with lines, progress, exit status; re-import unchanged; a new name updates', async (t) => {
  const bed = await sambaHub(t);
  const dir = mkdtempSync(join(tmpdir(), 'samba-import-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'customers.csv');
  const rows = [
    'ИНН;КПП;Наименование;Полное наименование',
    `${TORNADO.inn};${TORNADO.kpp};ТОРНАДО ООО;ООО «ТОРНАДО»`,
    '3526019522;352601001;Ошибка ООО;',
    '7810751880;781001001;;',
    '',
    '"7725514969";"772501001";"АЛД Автомотив; ООО";',
  ];
  writeFileSync(file, `\uFEFF${rows.join('\r\n')}\r\n`);

  const first = await cli(bed.h, 'samba', 'import', 'customers', file);
  assert.equal(first.exitCode, 1, 'rejected rows make the status 1');
  assert.equal(
    first.out,
    [
      'customers: 4 rows, created 2, updated 0, unchanged 0, rejected 2',
      'rejected\tline 3\tНекорректный ИНН в поле «inn»: 3526019522 (10 или 12 цифр с верными контрольными разрядами)',
      'rejected\tline 4\tНе заполнен обязательный параметр: «name»',
      '',
    ].join('\n'),
  );
  assert.equal(first.err, 'customers: 1/4 rows\ncustomers: 2/4 rows\ncustomers: 3/4 rows\ncustomers: 4/4 rows\n');
  const listed = (await expect(bed.call('GET', '/customers'), 200)).result;
  assert.deepEqual(
    listed.map((c: { inn: string; name: string; fullName: string }) => [c.inn, c.name, c.fullName]),
    [
      ['7725514969', 'АЛД Автомотив; ООО', 'АЛД Автомотив; ООО'],
      [TORNADO.inn, 'ТОРНАДО ООО', 'ООО «ТОРНАДО»'],
    ],
  );

  const again = await cli(bed.h, 'samba', 'import', 'customers', file);
  assert.match(again.out, /^customers: 4 rows, created 0, updated 0, unchanged 2, rejected 2\n/);

  writeFileSync(file, `inn,kpp,name\n${TORNADO.inn},${TORNADO.kpp},ТОРНАДО НОВОЕ ООО\n`);
  const renamed = await cli(bed.h, 'samba', 'import', 'customers', file);
  assert.equal(renamed.exitCode, 0);
  assert.equal(renamed.out, 'customers: 1 rows, created 0, updated 1, unchanged 0, rejected 0\n');
  const tornado = (await expect(bed.call('GET', `/customers?inn=${TORNADO.inn}`), 200)).result[0];
  assert.deepEqual([tornado.name, tornado.fullName], ['ТОРНАДО НОВОЕ ООО', 'ООО «ТОРНАДО»'], 'no full-name column: kept');

  const unknown = await cli(bed.h, 'samba', 'import', 'brands', file);
  assert.equal(unknown.exitCode, 2);
  assert.match(unknown.err, /unknown kind «brands»: customers, placements, acts/);
});

test('admin API placements (XLSX) and acts (CSV windows-1251): sums in /acts/rk; re-import unchanged; a new sum updates; a file without a required column or not a table refused whole', async (t) => {
  const bed = await sambaHub(t);
  const { rk } = await tornadoWorld(bed);
  const p1 = 'TORNADO Oct-2024 Digital';
  const book = new ExcelJS.Workbook();
  const ws = book.addWorksheet('Размещения');
  ws.addRows([
    ['РК', 'Размещение', 'Сумма'],
    ['У191994', p1, 358709.16],
    ['У191994', 'TV', '77995,22'],
    ['У000000', 'TV', 1],
    ['У191994', 'Radio', '1.234'],
  ]);
  const xlsx = Buffer.from(await book.xlsx.writeBuffer()).toString('base64');
  const placements = async () => (await admin(bed.h, 'POST', '/samba/imports/placements', { content_base64: xlsx })).json();
  const first = await placements();
  assert.deepEqual(first, {
    kind: 'placements',
    rows: 4,
    created: 2,
    updated: 0,
    unchanged: 0,
    rejected: [
      { line: 4, message: 'РК не найдена: rk_id У000000' },
      { line: 5, message: first.rejected[1]!.message },
    ],
  });
  assert.match(first.rejected[1]!.message, /amount/);
  assert.deepEqual(
    { ...(await placements()), rejected: [] },
    { kind: 'placements', rows: 4, created: 0, updated: 0, unchanged: 2, rejected: [] },
  );

  const acts = (amount: string) =>
    cp1251(
      [
        'uuid_rk,Размещение,Документ,Сумма',
        `${rk.uuid},${p1},"Реализация товаров и услуг УМ0711/0001 от 07.11.2024 14:55:08","179354,58"`,
        `${rk.uuid},TV,"Реализация товаров и услуг УМ3108/0329 от 31.08.2024 0:00:00",${amount}`,
      ].join('\n'),
    ).toString('base64');
  const post = async (amount: string) => (await admin(bed.h, 'POST', '/samba/imports/acts', { content_base64: acts(amount) })).json();
  assert.deepEqual(await post('38997.61'), { kind: 'acts', rows: 2, created: 2, updated: 0, unchanged: 0, rejected: [] });
  assert.deepEqual(await post('38997.61'), { kind: 'acts', rows: 2, created: 0, updated: 0, unchanged: 2, rejected: [] });
  assert.deepEqual(await post('38997.62'), { kind: 'acts', rows: 2, created: 0, updated: 1, unchanged: 1, rejected: [] });
  const sums = (await expect(bed.call('GET', `/acts/rk?uuid=${rk.uuid}`), 200)).result;
  assert.deepEqual(sums, [{ uuid_rk: rk.uuid, placements_amount: 436704.38, acts_amount: 218352.2 }]);

  // A file without a required column, or not a table at all, is refused whole (400).
  const send = (kind: string, text: string | Buffer) =>
    admin(bed.h, 'POST', `/samba/imports/${kind}`, { content_base64: Buffer.from(text).toString('base64') });
  const noAmount = await send('placements', 'rk_id;placement\nУ191994;TV\n');
  assert.equal(noAmount.statusCode, 400);
  assert.match(noAmount.json().error.message, /нет колонок: «amount» \/ «сумма»/);
  const broken = await send('customers', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]));
  assert.equal(broken.statusCode, 400);
  assert.match(broken.json().error.message, /XLSX/);
  assert.equal((await send('brands', 'x\n')).statusCode, 400);
  assert.equal((await admin(bed.h, 'POST', '/samba/customers', { inn: '7810751880', kpp: '781001001', name: 'x' })).statusCode, 201);
});

test('POST /po repeating the caller number and date answers the same invoice; another sum under it is 409', async (t) => {
  const bed = await sambaHub(t);
  const { call } = bed;
  await tornadoWorld(bed);
  const body = { number: 'TEST PO #11', date: '20241008', rk_id: 'У191994', amount: 60000 };
  const answers = await Promise.all(Array.from({ length: 6 }, () => expect(call('POST', '/po', body), 200)));
  assert.equal(new Set(answers.map((a) => a.result.uuid)).size, 1, 'one invoice for six identical calls');
  assert.equal(answers[0].message, 'Счет на оплату покупателю успешно создан');
  const other = await expect(call('POST', '/po', { ...body, amount: 60001 }), 409);
  assert.equal(other.message, 'Счет с номером TEST PO #11 от 08.10.2024 уже создан (УЛУ000001/01) с другой РК или суммой');
  assert.equal(other.result.uuid, answers[0].result.uuid);
  const nextDay = await expect(call('POST', '/po', { ...body, date: '20241009' }), 200);
  assert.equal(nextDay.result.number, 'УЛУ000001/02', 'another date is another invoice, and the retries took no sequence number');
  const noNumber = await Promise.all([1, 2].map(() => expect(call('POST', '/po', { rk_id: 'У191994', amount: 1 }), 200)));
  assert.notEqual(noNumber[0].result.uuid, noNumber[1].result.uuid, 'without a caller number every call makes an invoice');
});

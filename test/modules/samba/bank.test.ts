// Bank statement import (1CClientBankExchange): matched, unmatched (no number, unknown, several), outgoing, malformed
// and duplicate documents; windows-1251 and cp866; the CLI and the admin API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { admin, cli, expect, sambaHub, tornadoWorld } from './helpers.js';
import {
  decodeStatement,
  invoiceNumbersIn,
  isIncoming,
  parseStatement,
  StatementFormatError,
} from '../../../src/modules/samba/bank-statement.js';

/** Text in a single-byte Cyrillic code page (Node has decoders for them, not encoders). */
function encode(text: string, encoding: 'windows-1251' | 'ibm866'): Uint8Array {
  const decoder = new TextDecoder(encoding);
  const byChar = new Map<string, number>();
  for (let b = 0; b < 256; b++) byChar.set(decoder.decode(Uint8Array.of(b)), b);
  return Uint8Array.from([...text].map((c) => byChar.get(c) ?? assert.fail(`${c} is not in ${encoding}`)));
}

const OURS = '40702810900000000001';
const doc = (fields: Record<string, string>, end = true) =>
  ['СекцияДокумент=Платежное поручение', ...Object.entries(fields).map(([k, v]) => `${k}=${v}`), ...(end ? ['КонецДокумента'] : [])].join(
    '\r\n',
  );
const incoming = (number: string, amount: string, purpose: string, extra: Record<string, string> = {}) =>
  doc({
    Номер: number,
    Дата: '11.03.2024',
    Сумма: amount,
    ПлательщикСчет: '40702810100000000777',
    Плательщик: 'ИНН 7725514969 ООО "АЛД Автомотив"',
    ПлательщикИНН: '7725514969',
    ПолучательСчет: OURS,
    ДатаПоступило: '12.03.2024',
    НазначениеПлатежа: purpose,
    ...extra,
  });

function statement(docs: string[], opts: { encoding?: 'Windows' | 'DOS'; end?: boolean } = {}): string {
  return [
    '1CClientBankExchange',
    'ВерсияФормата=1.03',
    `Кодировка=${opts.encoding ?? 'Windows'}`,
    'Отправитель=Бухгалтерия предприятия, редакция 3.0',
    'ДатаНачала=01.03.2024',
    'ДатаКонца=31.03.2024',
    `РасчСчет=${OURS}`,
    'СекцияРасчСчет',
    `РасчСчет=${OURS}`,
    'НачальныйОстаток=0.00',
    'КонецРасчСчет',
    ...docs,
    ...(opts.end === false ? [] : ['КонецФайла']),
    '',
  ].join('\r\n');
}

const STATEMENT = statement([
  incoming('145', '30000.00', 'ОПЛАТА ПО СЧЕТУ №УЛУ000001/01 ОТ 09.10.2024 Г. В Т.Ч. НДС (20%) 5000-00'),
  incoming('146', '12000', 'оплата по счету № улу 000001 / 02 от 09.10.2024'),
  incoming('147', '1.00', 'Оплата по счету УЛУ999999/01'),
  incoming('148', '2.00', 'Возврат займа по договору 5'),
  incoming('149', '3.00', 'Оплата по счетам УЛУ000001/01 и УЛУ000001/02'),
  doc({
    Номер: '12',
    Дата: '13.03.2024',
    Сумма: '500.00',
    ПлательщикСчет: OURS,
    ПолучательСчет: '40702810100000000777',
    НазначениеПлатежа: 'Аренда',
  }),
  incoming('150', 'сто', 'Оплата по счету УЛУ000001/01'),
  incoming('151', '5.00', 'Оплата по счету УЛУ000001/01', { Дата: '32.03.2024' }),
]);

test('the parser: documents, accounts, malformed ones with their line; invoice numbers in purposes', () => {
  const parsed = parseStatement(STATEMENT);
  assert.deepEqual([...parsed.accounts], [OURS]);
  assert.deepEqual(
    parsed.documents.map((d) => d.number),
    ['145', '146', '147', '148', '149', '12'],
  );
  assert.deepEqual(
    parsed.malformed.map((m) => m.reason),
    ['документ № 150: неверная сумма «сто»', 'документ № 151: неверная дата «32.03.2024»'],
  );
  assert.equal(
    STATEMENT.split('\r\n')[parsed.malformed[0]!.line - 1],
    'СекцияДокумент=Платежное поручение',
    'the line is the section start',
  );
  const cut = parseStatement(
    statement([doc({ Номер: '1', Дата: '01.03.2024', Сумма: '1' }, false), incoming('2', '1', 'x')], { end: false }),
  );
  assert.deepEqual(
    cut.malformed.map((m) => m.reason),
    ['документ № 1: нет КонецДокумента', 'нет КонецФайла: файл обрезан?'],
  );
  assert.deepEqual(
    cut.documents.map((d) => d.number),
    ['2'],
  );
  assert.throws(() => parseStatement('<html>'), StatementFormatError);
  // which documents are incoming: to the statement's account; a statement naming none: those with a receipt date
  assert.deepEqual(
    parsed.documents.map((d) => isIncoming(d, parsed.accounts)),
    [true, true, true, true, true, false],
  );
  const noAccount = parseStatement(
    ['1CClientBankExchange', incoming('1', '1', 'x'), doc({ Номер: '2', Дата: '01.03.2024', Сумма: '1' }), 'КонецФайла'].join('\n'),
  );
  assert.deepEqual(
    noAccount.documents.map((d) => isIncoming(d, noAccount.accounts)),
    [true, false],
  );
  assert.deepEqual(invoiceNumbersIn('ОПЛАТА ПО СЧЕТУ №УЛУ080367/01 ОТ 07.03.2024 Г. СУММА 68714-65'), ['УЛУ080367/01']);
  assert.deepEqual(invoiceNumbersIn('счет № улу 080367 / 1 и УМУ083765/01, УЛУ080367/01'), ['УМУ083765/01', 'УЛУ080367/01']);
  assert.deepEqual(invoiceNumbersIn('счет 080367/01'), []);
});

test('windows-1251 and cp866 (Кодировка=DOS) decode to the same text; a UTF-8 file with a BOM too', () => {
  const text = statement([incoming('145', '1.00', 'Оплата по счету №УЛУ000001/01')]);
  assert.equal(decodeStatement(encode(text, 'windows-1251')), text);
  const dos = statement([incoming('145', '1.00', 'Оплата по счету №УЛУ000001/01')], { encoding: 'DOS' });
  assert.equal(decodeStatement(encode(dos, 'ibm866')), dos);
  assert.equal(decodeStatement(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])), text);
});

test('hub samba import-bank-statement: matched payments land on their invoices once; the rest is reported', async (t) => {
  const bed = await sambaHub(t);
  const { h, call } = bed;
  await tornadoWorld(bed);
  const first = (await expect(call('POST', '/po', { rk_id: 'У191994', amount: 60000 }), 200)).result;
  const second = (await expect(call('POST', '/po', { rk_id: 'У191994', amount: 12000 }), 200)).result;
  const dir = mkdtempSync(join(tmpdir(), 'samba-bank-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'kl_to_1c.txt'), encode(STATEMENT, 'windows-1251'));

  const run = await cli(h, 'samba', 'import-bank-statement', join(dir, 'kl_to_1c.txt'));
  const lines = run.out.trim().split('\n');
  assert.equal(lines[0], 'imported 2, already imported 0, unmatched 3, malformed 2, outgoing (skipped) 1');
  assert.deepEqual(
    lines.slice(1).map((l) => l.split('\t').slice(0, 3).join(' ')),
    [
      'imported line 12 № 145 от 11.03.2024',
      'imported line 23 № 146 от 11.03.2024',
      'unmatched line 34 № 147 от 11.03.2024',
      'unmatched line 45 № 148 от 11.03.2024',
      'unmatched line 56 № 149 от 11.03.2024',
      'malformed line 75 документ № 150: неверная сумма «сто»',
      'malformed line 86 документ № 151: неверная дата «32.03.2024»',
    ],
  );
  assert.match(run.out, /счет не найден: УЛУ999999\/01/);
  assert.match(run.out, /в назначении платежа нет номера счета/);
  assert.match(run.out, /назначение называет несколько счетов: УЛУ000001\/01, УЛУ000001\/02/);

  const paid = (await expect(call('GET', `/payment/po?uuid=${first.uuid}`), 200)).result;
  assert.deepEqual(
    paid.map((p: Record<string, unknown>) => [p.doctype, p.number, p.date, p.paymentdate, p.amount, p.status]),
    [['Платежное поручение входящее', '145', '2024-03-11T00:00:00', '2024-03-12T00:00:00', 30000, 'Частично оплачено']],
  );
  assert.equal((await expect(call('GET', `/payment/po?uuid=${second.uuid}`), 200)).result[0].status, 'Оплачено');

  // the same statement again (by file, then through the admin API): nothing new
  const again = await cli(h, 'samba', 'import-bank-statement', join(dir, 'kl_to_1c.txt'));
  assert.match(again.out, /^imported 0, already imported 2, unmatched 3/);
  const viaApi = await admin(h, 'POST', '/samba/bank-statements', {
    content_base64: Buffer.from(encode(STATEMENT, 'windows-1251')).toString('base64'),
  });
  assert.equal(viaApi.statusCode, 200, viaApi.body);
  assert.deepEqual([viaApi.json().imported.length, viaApi.json().duplicates.length, viaApi.json().outgoing], [0, 2, 1]);
  const [count] = await h.hub.database.query<{ n: number }>('select count(*)::int as n from samba_payments');
  assert.equal(count?.n, 2);

  // an imported payment blocks the invoice's deletion like any other
  const refused = await expect(call('DELETE', '/po', { uuid: first.uuid }), 409);
  assert.equal(refused.result[0].name_doc, 'Платежное поручение входящее 145 от 11.03.2024 0:00:00');

  writeFileSync(join(dir, 'page.html'), '<html>oops</html>');
  await assert.rejects(cli(h, 'samba', 'import-bank-statement', join(dir, 'page.html')), /не является выпиской 1CClientBankExchange/);
  const bad = await admin(h, 'POST', '/samba/bank-statements', { content_base64: Buffer.from('<html>').toString('base64') });
  assert.equal(bad.statusCode, 400);
});

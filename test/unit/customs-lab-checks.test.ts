// The lab documents' checks the schema cannot make: a СБКТС number's letters in the script each part requires (a
// Latin look-alike refused by letter and position, never transliterated) and the ЭПТС number's EEC form (a warning).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from '@sinclair/typebox/value';
import { eptsWarnings, labRefusals, labWarnings, sbktsProblems } from '../../src/modules/customs/lab-checks.js';
import { LabDocumentsNotification, SBKTS_SHAPE } from '../../src/modules/customs/warehouse-contract.js';

// Spelled with escapes where it matters, so an editor cannot swap the script unseen.
const CYR = { A: '\u0410', E: '\u0415', K: '\u041A', T: '\u0422', C: '\u0421', H: '\u041D', Y: '\u0423', M: '\u041C', P: '\u0420' };
const GOOD = `${CYR.T}${CYR.C} RU ${CYR.A}-DE.${CYR.H}${CYR.Y}08.71226`; // ТС RU А-DE.НУ08.71226, all Cyrillic where due

test('a well-formed СБКТС / ОТТС / ОТШ number passes, with or without И/Р/П marks, ЕАЭС prefix too', () => {
  assert.deepEqual(sbktsProblems(GOOD), []);
  assert.deepEqual(sbktsProblems(`${CYR.T}${CYR.C} RU ${CYR.E}-RU.${CYR.M}${CYR.T}01.00005`), []);
  assert.deepEqual(sbktsProblems(`${CYR.T}${CYR.C} BY ${CYR.K}-CN.${CYR.H}${CYR.Y}08.00012.И1.${CYR.P}2`), []);
  assert.deepEqual(sbktsProblems(`ЕАЭС RU ${CYR.A}-JP.${CYR.M}${CYR.T}01.00001`), []);
  assert.deepEqual(sbktsProblems('ТС RU А-DE.0812.71226'), [], 'a body code of digits only');
  assert.ok(new RegExp(`^${SBKTS_SHAPE}$`, 'u').test(GOOD));
});

test('a Latin document kind where Cyrillic is required is refused naming the letter, its position and its twin', () => {
  const [p, ...rest] = sbktsProblems('ТС RU A-DE.НУ08.71226'); // Latin A
  assert.deepEqual(rest, []);
  assert.equal(p!.field, 'sbktsNumber');
  assert.equal(p!.code, 'SBKTS_LATIN_LETTER');
  assert.match(p!.message, /sbktsNumber/);
  assert.match(p!.message, /«A» \(позиция 7, вид документа\) латинская, нужна кириллическая «А»/);
  assert.ok(p!.message.includes(`«${CYR.A}»`), 'the letter asked for is the Cyrillic one');
});

test('each look-alike is reported: the ТС prefix, the body code, the И/Р/П mark (Latin P)', () => {
  const problems = sbktsProblems('TC RU А-DE.HY08.71226.P1'); // Latin T, C, H, Y, P
  assert.deepEqual(
    problems.map((p) => [p.code, /буква «(.)»/.exec(p.message)?.[1], /позиция (\d+)/.exec(p.message)?.[1]]),
    [
      ['SBKTS_LATIN_LETTER', 'T', '1'],
      ['SBKTS_LATIN_LETTER', 'C', '2'],
      ['SBKTS_LATIN_LETTER', 'H', '12'],
      ['SBKTS_LATIN_LETTER', 'Y', '13'],
      ['SBKTS_LATIN_LETTER', 'P', '23'],
    ],
  );
  assert.match(problems[2]!.message, /код органа по сертификации/);
  const mixed = sbktsProblems('ТС RU А-DE.НY08.71226'); // Cyrillic Н next to Latin Y
  assert.deepEqual(
    mixed.map((p) => p.message.includes(`нужна кириллическая «${CYR.Y}»`)),
    [true],
  );
});

test('Cyrillic letters in the Latin country codes are refused the other way round', () => {
  const problems = sbktsProblems(`ТС RU А-D${CYR.E}.НУ08.71226`);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.code, 'SBKTS_CYRILLIC_LETTER');
  assert.match(problems[0]!.message, /код страны изготовителя\) кириллическая, нужна латинская «E»/);
  assert.match(sbktsProblems('ТС РФ А-DE.НУ08.71226')[1]!.message, /«Ф».*код страны — латинские буквы/);
});

test('a document kind other than А, Е, К and a shape that is no СБКТС at all', () => {
  assert.deepEqual(
    sbktsProblems('ТС RU Б-DE.НУ08.71226').map((p) => p.code),
    ['SBKTS_DOC_CODE'],
  );
  assert.deepEqual(
    sbktsProblems('ТС RU А-DE.НУ08.7122').map((p) => p.code),
    ['SBKTS_FORMAT'],
  );
  assert.deepEqual(labRefusals({ sbktsNumber: 'ТС RU A-DE.НУ08.71226' }).length, 1);
  assert.deepEqual(labRefusals({ eptsNumber: '164301000123456' }), [], 'no СБКТС number, nothing to refuse');
});

test('ЭПТС: 15 digits in the EEC form pass silently, other 15 digits only warn', () => {
  assert.deepEqual(eptsWarnings('164301000123456'), []);
  assert.deepEqual(eptsWarnings('364302000000001'), []);
  const [w] = eptsWarnings('964301000123456');
  assert.equal(w!.code, 'EPTS_EEC_FORMAT');
  assert.equal(w!.field, 'eptsNumber');
  assert.match(w!.message, /964301000123456.*не по модели данных ЕЭК/);
  assert.equal(eptsWarnings('164311000123456').length, 1, 'the fifth digit must be 0');
  assert.equal(eptsWarnings('164305000123456').length, 1, 'the issuer type is 1–4');
  assert.deepEqual(labWarnings({ sbktsNumber: GOOD }), []);
});

test('the schema: 15 digits for ЭПТС, https file links, at most 20 files, no extra fields; its example is valid', () => {
  const [example] = LabDocumentsNotification.examples as Array<Record<string, unknown>>;
  assert.ok(Value.Check(LabDocumentsNotification, example), JSON.stringify([...Value.Errors(LabDocumentsNotification, example)]));
  assert.deepEqual(sbktsProblems(String(example!.sbktsNumber)), [], 'the documented example passes the look-alike check');
  const bad = (patch: Record<string, unknown>) => !Value.Check(LabDocumentsNotification, { ...example, ...patch });
  assert.ok(bad({ eptsNumber: '16430100012345' }));
  assert.ok(bad({ eptsNumber: '1643010001234567' }));
  assert.ok(bad({ files: [{ name: 'a', url: 'http://lab.example.ru/a.pdf' }] }));
  assert.ok(bad({ files: Array.from({ length: 21 }, (_, i) => ({ name: `f${i}`, url: `https://x.ru/${i}` })) }));
  assert.ok(bad({ extra: 1 }));
  assert.ok(bad({ sbktsNumber: `${GOOD} ` }), 'trailing text after the number');
  assert.ok(!bad({ files: [{ name: 'a', url: 'https://lab.example.ru/a.pdf', kind: 'photo' }] }));
});

// What the lab documents' schema cannot say. A СБКТС number mixes scripts: ТС/ЕАЭС, the document kind (А, Е, К),
// the certification body's letters and the И/Р/П suffix are Cyrillic, the country codes Latin. A Latin letter that
// looks the same where a Cyrillic one is required (or the other way round) makes a number no registry will find, and
// guessing the right one means transliterating a legal identifier — so it is refused (400), naming the letter, and
// never "fixed". The ЭПТС number's EEC form is only a warning: the FTS album itself accepts any 15 digits.
import type { Problem } from './errors.js';

/** Latin capitals and the Cyrillic ones they cannot be told from. */
// prettier-ignore
const LATIN_TO_CYRILLIC: Readonly<Record<string, string>> = {
  A: 'А', B: 'В', C: 'С', E: 'Е', H: 'Н', K: 'К', M: 'М', O: 'О', P: 'Р', T: 'Т', X: 'Х', Y: 'У',
};
const CYRILLIC_TO_LATIN: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(LATIN_TO_CYRILLIC).map(([latin, cyrillic]) => [cyrillic, latin]),
);
const LATIN = /^[A-Z]$/;
const CYRILLIC = /^[А-ЯЁ]$/;

/** The schema's shape (warehouse-contract.ts SBKTS_SHAPE), its parts named; `d`: where each part starts. */
const PARTS =
  /^(?<prefix>[ТT][СC]|[ЕE][АA]Э[СC]) (?<country>[A-ZА-Я]{2}) (?<doc>[А-ЯA-Z])-(?<maker>[A-ZА-Я]{2})\.(?<org>[А-ЯA-Z0-9]{4})\.(?<serial>[0-9]{5})(?<suffix>(?:\.[А-ЯA-Z][0-9])*)$/d;

const PART_NAMES = {
  prefix: 'префикс ТС/ЕАЭС',
  country: 'код страны, выдавшей документ',
  doc: 'вид документа',
  maker: 'код страны изготовителя',
  org: 'код органа по сертификации',
  suffix: 'отметка И/Р/П',
} as const;
type Part = keyof typeof PART_NAMES;

const EPTS_EEC = /^[1-3][0-9]{3}0[1-4][0-9]{9}$/;

/** Refusals of a СБКТС (ОТТС, ОТШ) number: each letter in the wrong script, by position, and a wrong document kind. */
export function sbktsProblems(value: string, field = 'sbktsNumber'): Problem[] {
  const m = PARTS.exec(value);
  if (!m?.groups || !m.indices?.groups) {
    return [{ field, code: 'SBKTS_FORMAT', message: `Номер СБКТС (${field}) не похож на «ТС RU А-DE.НУ08.71226»` }];
  }
  const problems: Problem[] = [];
  const at = (part: Part, i: number) => `позиция ${m.indices!.groups![part]![0] + i + 1}, ${PART_NAMES[part]}`;
  const wrong = (part: Part, i: number, letter: string, message: string, code: string) =>
    problems.push({ field, code, message: `Номер СБКТС (${field}): буква «${letter}» (${at(part, i)}) ${message}` });
  const mustBeCyrillic = (part: Part) =>
    [...m.groups![part]!].forEach((c, i) => {
      if (LATIN.test(c)) wrong(part, i, c, latinInsteadOf(c), 'SBKTS_LATIN_LETTER');
    });
  const mustBeLatin = (part: Part) =>
    [...m.groups![part]!].forEach((c, i) => {
      if (!CYRILLIC.test(c)) return;
      const twin = CYRILLIC_TO_LATIN[c];
      wrong(
        part,
        i,
        c,
        twin ? `кириллическая, нужна латинская «${twin}»` : 'кириллическая, код страны — латинские буквы',
        'SBKTS_CYRILLIC_LETTER',
      );
    });

  mustBeCyrillic('prefix');
  mustBeLatin('country');
  const doc = m.groups.doc!;
  if (LATIN_TO_CYRILLIC[doc] && 'АЕК'.includes(LATIN_TO_CYRILLIC[doc]!)) mustBeCyrillic('doc');
  else if (!'АЕК'.includes(doc))
    problems.push({
      field,
      code: 'SBKTS_DOC_CODE',
      message: `Номер СБКТС (${field}): вид документа «${doc}» (${at('doc', 0)}) — нужна кириллическая А (СБКТС), Е (ОТТС) или К (ОТШ)`,
    });
  mustBeLatin('maker');
  // The body's code is Cyrillic in every registry we know (НУ08, МТ01); a Latin letter next to a Cyrillic one, or a
  // code of nothing but Latin twins of Cyrillic letters (HY08), is a transliterated one. All-Latin codes with letters
  // Cyrillic has no twin of (a foreign body's code) pass.
  const org = m.groups.org!;
  const letters = [...org].filter((c) => !/[0-9]/.test(c));
  if (letters.some((c) => CYRILLIC.test(c)) || (letters.length > 0 && letters.every((c) => LATIN_TO_CYRILLIC[c]))) mustBeCyrillic('org');
  [...m.groups.suffix!].forEach((c, i) => {
    if (c === '.' || /[0-9]/.test(c)) return;
    if (LATIN.test(c) && 'ИРП'.includes(LATIN_TO_CYRILLIC[c] ?? '-')) wrong('suffix', i, c, latinInsteadOf(c), 'SBKTS_LATIN_LETTER');
    else if (!'ИРП'.includes(c)) wrong('suffix', i, c, '— отметка бывает только И, Р или П (кириллица)', 'SBKTS_FORMAT');
  });
  return problems;
}

function latinInsteadOf(c: string): string {
  const twin = LATIN_TO_CYRILLIC[c];
  return twin ? `латинская, нужна кириллическая «${twin}»` : 'латинская, здесь нужна кириллица';
}

/** An ЭПТС number outside the EEC data model's form: accepted (the album wants 15 digits), flagged. */
export function eptsWarnings(value: string, field = 'eptsNumber'): Problem[] {
  if (EPTS_EEC.test(value)) return [];
  return [
    {
      field,
      code: 'EPTS_EEC_FORMAT',
      message: `Номер ЭПТС ${value} (${field}) не по модели данных ЕЭК: вид 1–3, код страны из 3 цифр, 0, тип 1–4 и 9 цифр`,
    },
  ];
}

/** What refuses a lab notification (the route's 400). */
export function labRefusals(body: Readonly<Record<string, unknown>>): Problem[] {
  return typeof body.sbktsNumber === 'string' ? sbktsProblems(body.sbktsNumber) : [];
}

/** What a lab notification is accepted with but flagged for (kept as the status's `warnings`, quoted in the note). */
export function labWarnings(body: Readonly<Record<string, unknown>>): Problem[] {
  return typeof body.eptsNumber === 'string' ? eptsWarnings(body.eptsNumber) : [];
}

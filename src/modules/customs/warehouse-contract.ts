// ВЭД-склад's two notifications (the seed's SvhReleaseNotification and LabDocumentsNotification): the goods at the
// temporary-storage warehouse (СВХ: placed — ДО-1, release permitted by customs — WHGoodOut 1008021E, issued — ДО-2)
// and the lab's documents for the vehicle (ЭПТС, СБКТС, files). The payloads are ВЭД-склад's own JSON; the field
// names mirror the album's. Codes are open strings, like Alta's: an unknown one is stored and shown, never refused.
// What a schema cannot say (a Latin look-alike in a СБКТС number, the EEC form of an ЭПТС number) is in lab-checks.ts.
import { Type, type Static } from '@sinclair/typebox';
import { Line } from './contract.js';
import { VIN_PATTERN } from './checks.js';
import { common, DATE, REG_NUMBER } from './status-contract.js';

export const SVH_STATUSES: Readonly<Record<string, string>> = {
  arrived: 'Товар размещён на СВХ (ДО-1)',
  release_permitted: 'Выпуск разрешён, товар можно выдавать (WHGoodOut)',
  released: 'Товар выдан со склада (ДО-2)',
};

export const LAB_STATUSES: Readonly<Record<string, string>> = {
  eptc_issued: 'Оформлен ЭПТС',
  sbkts_issued: 'Выдано СБКТС',
  documents_ready: 'Документы лаборатории готовы',
};

/** The warehouse's report (ДО-1/ДО-2) number: a registration number, or the warehouse system's own one. */
const REPORT_NUMBER = `${REG_NUMBER}|[0-9A-Za-zА-Яа-яЁё/-]{1,50}`;
/**
 * The СВХ owner's registry number. The album's WarehouseLicenceIDType allows 1–13 characters, which the registry's
 * printed form (customs code/ДДММГГ/number/n, e.g. 10702/250322/10012/1: 20 characters) does not fit; we take the
 * printed form's shape — a customs code and up to four slash-separated parts — as a certificate number (≤50).
 */
const SVH_LICENCE = '[0-9]{2,8}(/[0-9A-Za-zА-Яа-яЁё]{1,10}){1,4}';
/**
 * The СБКТС shape, letters of either script in the places where a Cyrillic one is required, so the look-alike
 * check (lab-checks.ts) can name the letter instead of the schema answering «не соответствует шаблону».
 */
export const SBKTS_SHAPE = '([ТT][СC]|[ЕE][АA]Э[СC]) [A-ZА-Я]{2} [А-ЯA-Z]-[A-ZА-Я]{2}\\.[А-ЯA-Z0-9]{4}\\.[0-9]{5}(\\.[А-ЯA-Z][0-9])*';

const vin = Type.Optional(
  Line({
    maxLength: 17,
    pattern: VIN_PATTERN,
    description: 'VIN транспортного средства: 17 символов, латинские заглавные буквы без I, O, Q и цифры',
    examples: ['WVWZZZ1KZAW123456'],
  }),
);

export const SvhReleaseNotification = Type.Object(
  {
    ...common,
    status: Line({
      maxLength: 50,
      description: `Состояние товара на СВХ: ${Object.keys(SVH_STATUSES).join(', ')}; неизвестный код сохраняется`,
      examples: ['release_permitted'],
    }),
    reportNumber: Type.Optional(
      Line({
        maxLength: 50,
        pattern: REPORT_NUMBER,
        description: 'Номер отчёта склада (ДО-1 при размещении, ДО-2 при выдаче), как его присвоила система склада',
        examples: ['10702030/040325/0001234'],
      }),
    ),
    reportDate: Type.Optional(DATE('Дата отчёта ДО-1/ДО-2')),
    registrationNumber: Type.Optional(
      Line({
        maxLength: 30,
        pattern: REG_NUMBER,
        description: 'Регистрационный номер декларации, по которой разрешён выпуск: CCCCCCCC/ДДММГГ/NNNNNNN',
        examples: ['10702070/030325/0012345'],
      }),
    ),
    releaseDate: Type.Optional(DATE('Дата выпуска (разрешения на выдачу)')),
    svhLicenceNumber: Type.Optional(
      Line({
        maxLength: 50,
        pattern: SVH_LICENCE,
        description: 'Номер СВХ в реестре владельцев складов временного хранения (код таможни/ДДММГГ/номер/n)',
        examples: ['10702/250322/10012/1'],
      }),
    ),
    vin,
  },
  {
    additionalProperties: false,
    title: 'SvhReleaseNotification',
    description: 'ВЭД-склад: товар размещён на СВХ, разрешён к выдаче или выдан',
    examples: [
      {
        eventId: 'svh-2025-0412',
        leadId: 31245987,
        occurredAt: '2025-03-04T10:15:00+03:00',
        status: 'release_permitted',
        reportNumber: '10702030/040325/0001234',
        reportDate: '2025-03-04',
        registrationNumber: '10702070/030325/0012345',
        releaseDate: '2025-03-03',
        svhLicenceNumber: '10702/250322/10012/1',
        vin: 'WVWZZZ1KZAW123456',
        comment: 'Можно забирать, ворота 3',
      },
    ],
  },
);

const LabFile = Type.Object(
  {
    name: Line({ maxLength: 200, description: 'Имя файла, как его показать', examples: ['ЭПТС.pdf'] }),
    url: Line({
      maxLength: 2000,
      pattern: 'https://[^\\s/?#]+[^\\s]*',
      description: 'Ссылка на файл (только https)',
      examples: ['https://lab.example.ru/files/epts-164301000123456.pdf'],
    }),
    kind: Type.Optional(Line({ maxLength: 50, description: 'Что это за документ: epts, sbkts, photo…', examples: ['epts'] })),
  },
  { additionalProperties: false, description: 'Файл документа лаборатории' },
);

export const LabDocumentsNotification = Type.Object(
  {
    ...common,
    status: Line({
      maxLength: 50,
      description: `Что готово: ${Object.keys(LAB_STATUSES).join(', ')}; неизвестный код сохраняется`,
      examples: ['documents_ready'],
    }),
    eptsNumber: Type.Optional(
      Line({
        maxLength: 15,
        pattern: '[0-9]{15}',
        description: 'Номер ЭПТС: ровно 15 цифр. Номер не по модели данных ЕЭК ([1-3][0-9]{3}0[1-4][0-9]{9}) принимается с замечанием',
        examples: ['164301000123456'],
      }),
    ),
    sbktsNumber: Type.Optional(
      Line({
        maxLength: 50,
        pattern: SBKTS_SHAPE,
        description:
          'Номер СБКТС (ОТТС, ОТШ): «ТС RU А-DE.НУ08.71226». ТС, ЕАЭС, вид документа (А, Е, К), буквы органа по ' +
          'сертификации и И/Р/П — кириллица; коды стран — латиница. Латинская буква вместо кириллической — ошибка 400',
        examples: ['ТС RU А-DE.НУ08.71226'],
      }),
    ),
    vin,
    files: Type.Optional(Type.Array(LabFile, { maxItems: 20, description: 'Файлы документов (до 20): имя, https-ссылка, вид' })),
  },
  {
    additionalProperties: false,
    title: 'LabDocumentsNotification',
    description: 'Лаборатория (напрямую или через ВЭД-склад): готовы документы на транспортное средство (ЭПТС, СБКТС)',
    examples: [
      {
        eventId: 'lab-5521',
        leadId: 31245987,
        occurredAt: '2025-03-12T16:05:00+03:00',
        status: 'documents_ready',
        eptsNumber: '164301000123456',
        sbktsNumber: 'ТС RU А-DE.НУ08.71226',
        vin: 'WVWZZZ1KZAW123456',
        files: [
          { name: 'ЭПТС.pdf', url: 'https://lab.example.ru/files/epts-164301000123456.pdf', kind: 'epts' },
          { name: 'СБКТС.pdf', url: 'https://lab.example.ru/files/sbkts-71226.pdf', kind: 'sbkts' },
        ],
        comment: 'Оригиналы — в офисе',
      },
    ],
  },
);

export type SvhRelease = Static<typeof SvhReleaseNotification>;
export type LabDocuments = Static<typeof LabDocumentsNotification>;

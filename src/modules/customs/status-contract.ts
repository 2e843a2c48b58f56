// Alta's notifications (the seed's PtdStatusNotification and TransitDeclarationStatusNotification). Each carries
// the amoCRM lead it concerns, the sender's event id (the dedupe key) and when the status took effect (so an older
// status arriving late never replaces a newer one). Status codes are open strings: a code the hub does not know
// yet is stored and shown, never refused.
import { Type, type Static } from '@sinclair/typebox';
import { IdInteger } from '../../platform/http/schema-types.js';
import { Line, Text } from './contract.js';

/** Customs decisions on a ПТД (PassengerCDMark 1006232E) and Alta's intermediate states. */
export const PTD_STATUSES: Readonly<Record<string, string>> = {
  '10': 'Выпуск без уплаты платежей',
  '31': 'Требуется уплата платежей',
  '32': 'Выпуск с уплатой платежей',
  '33': 'Выпуск, ожидается решение о временном ввозе',
  '40': 'Декларация отозвана до выпуска',
  '50': 'Выпуск аннулирован при отзыве',
  '90': 'Отказ в выпуске',
  registered: 'Присвоен номер',
  checking: 'Идёт проверка',
  inspection: 'Идёт досмотр (осмотр)',
  documents_requested: 'Запрошены документы',
};

/** Transit declaration decisions (TDSolution 1004096E). */
export const TRANSIT_STATUSES: Readonly<Record<string, string>> = {
  TR_ALLOWED: 'Выпуск для транзита разрешён',
  TR_ISSUE_DENIED: 'Отказ в выпуске для транзита',
  TD_REVOKED: 'Транзитная декларация отозвана',
  TR_CANCELLED: 'Транзит аннулирован',
  TR_COMPLETED: 'Процедура транзита завершена',
  TR_COMPLETED_W_RESERVATION: 'Процедура транзита завершена с оговорками',
};

const DATE_TIME = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?(Z|[+-]\\d{2}:\\d{2})';
/** The fields every notification carries (eventId, leadId, occurredAt) and its optional comment. */
export const common = {
  eventId: Line({
    maxLength: 200,
    description: 'id события у отправителя: повтор с тем же eventId принимается, но не обрабатывается',
    examples: ['alta-7f3c2a'],
  }),
  leadId: IdInteger({ description: 'id сделки amoCRM', examples: [31245987] }),
  occurredAt: Line({
    maxLength: 40,
    pattern: DATE_TIME,
    description: 'Когда статус установлен (ISO 8601 с часовым поясом): более старый статус не заменяет более новый',
    examples: ['2025-03-03T12:40:00+03:00'],
  }),
  comment: Type.Optional(Text({ maxLength: 2000, description: 'Комментарий' })),
};
export const REG_NUMBER = '(\\d{2}|\\d{5}|\\d{8})/\\d{6}/\\d{1,7}';
export const DATE = (description: string) => Type.String({ format: 'date', description: `${description} (ГГГГ-ММ-ДД)` });

export const PtdStatusNotification = Type.Object(
  {
    ...common,
    status: Line({
      maxLength: 50,
      description: `Код статуса: решение таможни (${Object.keys(PTD_STATUSES).slice(0, 7).join(', ')}) или состояние в Альте (registered, checking, inspection, documents_requested); неизвестный код сохраняется`,
      examples: ['10'],
    }),
    statusName: Type.Optional(
      Line({ maxLength: 250, description: 'Название статуса, как его показывает Альта', examples: ['Выпуск разрешен'] }),
    ),
    registrationNumber: Type.Optional(
      Line({
        maxLength: 30,
        pattern: REG_NUMBER,
        description: 'Регистрационный номер ПТД: CCCCCCCC/ДДММГГ/NNNNNNN',
        examples: ['10702070/030325/0012345'],
      }),
    ),
    decisionDate: Type.Optional(DATE('Дата решения')),
  },
  {
    additionalProperties: false,
    title: 'PtdStatusNotification',
    description: 'Альта: изменился статус ПТД',
    examples: [
      {
        eventId: 'alta-7f3c2a',
        leadId: 31245987,
        occurredAt: '2025-03-03T12:40:00+03:00',
        status: '10',
        statusName: 'Выпуск разрешен',
        registrationNumber: '10702070/030325/0012345',
        decisionDate: '2025-03-03',
      },
    ],
  },
);

export const TransitDeclarationStatusNotification = Type.Object(
  {
    ...common,
    status: Line({
      maxLength: 50,
      description: `Статус транзитной декларации: ${Object.keys(TRANSIT_STATUSES).join(', ')}; неизвестный код сохраняется`,
      examples: ['TR_ALLOWED'],
    }),
    number: Type.Optional(
      Line({ maxLength: 30, pattern: REG_NUMBER, description: 'Номер транзитной декларации', examples: ['10716050/280225/0034567'] }),
    ),
    openDate: Type.Optional(DATE('Дата открытия транзита')),
    dateLimit: Type.Optional(DATE('Срок транзита')),
    completedDate: Type.Optional(DATE('Дата завершения транзита')),
  },
  {
    additionalProperties: false,
    title: 'TransitDeclarationStatusNotification',
    description: 'Альта: изменился статус транзитной декларации',
    examples: [
      {
        eventId: 'alta-td-91',
        leadId: 31245987,
        occurredAt: '2025-02-28T09:00:00+03:00',
        status: 'TR_ALLOWED',
        number: '10716050/280225/0034567',
        openDate: '2025-02-28',
        dateLimit: '2025-03-10',
      },
    ],
  },
);

export type PtdStatus = Static<typeof PtdStatusNotification>;
export type TransitStatus = Static<typeof TransitDeclarationStatusNotification>;

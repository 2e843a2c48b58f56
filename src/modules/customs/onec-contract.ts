// The 1C side of seed 000: ClientDataFor1C (/1c/client-data, amoCRM's trigger "сделка на этапе Договор"),
// ServiceDataFor1CInvoice (/1c/service-data-for-invoice, amoCRM) and InvoicePaymentNotification
// (/1c/invoice-payment-webhook, 1C). The seed names them without a shape; the names are ours. The amoCRM account
// is not in the body: it is the one the caller's token is bound to. What the schema cannot see (an ИНН's check
// digits, a КПП with a 12-digit ИНН, money with more than two decimals) onec-values.ts checks, naming the field.
import { Type, type Static } from '@sinclair/typebox';
import { IdInteger, StringEnum } from '../../platform/http/schema-types.js';
import { Line, Text } from './contract.js';

export const TAG_1C = '1С';

const EventId = Line({
  maxLength: 100,
  description: 'Идентификатор события у отправителя: ключ дедупликации (повтор с тем же eventId ничего не меняет)',
  examples: ['amo-evt-20260210-0001'],
});
const LeadId = IdInteger({ description: 'ID сделки amoCRM', examples: [31245987] });
/** A calendar day: the pattern bounds it, `format: date` refuses a day that does not exist (2026-02-30). */
const Day = (description: string, example: string) =>
  Line({ maxLength: 10, pattern: '\\d{4}-\\d{2}-\\d{2}', format: 'date', description: `${description} (ГГГГ-ММ-ДД)`, examples: [example] });
const DAY = Day('Дата счёта: по ней выбирается ставка НДС', '2026-02-10');
const INN = (description: string) => Line({ maxLength: 12, pattern: '\\d{10}|\\d{12}', description, examples: ['500100732259'] });
const ID_1C = Line({
  maxLength: 64,
  description: 'Идентификатор контрагента в 1С (id_1c), если уже известен',
  examples: ['6f1f3c8e-2a4b-4c1d-9e0f-1a2b3c4d5e6f'],
});

/** Roubles: a JSON number or a decimal string (dot or comma), at most two decimals (checked in onec-values.ts). */
const Rubles = (description: string, example: number | string) =>
  Type.Union([Type.Number({ minimum: 0, maximum: 1e13 }), Line({ maxLength: 20, pattern: '\\d{1,13}(?:[.,]\\d{1,2})?' })], {
    description: `${description}, рубли: число или строка, не больше двух знаков после запятой`,
    examples: [example],
  });

const Passport = Type.Object(
  {
    series: Type.Optional(Line({ maxLength: 11, description: 'Серия', examples: ['4510'] })),
    number: Line({ maxLength: 25, description: 'Номер', examples: ['123456'] }),
    issueDate: Type.Optional(Day('Дата выдачи', '2015-04-20')),
    issuedBy: Type.Optional(Line({ maxLength: 200, description: 'Кем выдан', examples: ['ОТДЕЛЕНИЕМ УФМС РОССИИ ПО Г. МОСКВЕ'] })),
    issuerCode: Type.Optional(Line({ maxLength: 7, pattern: '\\d{3}-\\d{3}', description: 'Код подразделения', examples: ['770-001'] })),
  },
  { additionalProperties: false, description: 'Паспорт физического лица' },
);

const Client = Type.Object(
  {
    kind: StringEnum(['contact', 'company'], {
      description: 'contact — физическое лицо (контакт amoCRM), company — организация или ИП (компания amoCRM)',
    }),
    id: IdInteger({ description: 'ID контакта или компании в amoCRM', examples: [4410021] }),
    name: Line({ maxLength: 250, description: 'ФИО или наименование', examples: ['Иванов Иван Иванович'] }),
    phone: Type.Optional(Line({ maxLength: 30, pattern: '\\+?[0-9 ()-]{5,30}', description: 'Телефон', examples: ['+7 999 123-45-67'] })),
    email: Type.Optional(
      Line({ maxLength: 254, pattern: '[^@\\s]+@[^@\\s]+', description: 'Электронная почта', examples: ['ivanov@example.ru'] }),
    ),
    inn: Type.Optional(
      INN('ИНН: 12 цифр у физического лица и ИП, 10 у организации (обязателен для company); контрольные цифры проверяются'),
    ),
    kpp: Type.Optional(
      Line({
        maxLength: 9,
        pattern: '\\d{4}[0-9A-Z]{2}\\d{3}',
        description: 'КПП (только у организации с ИНН из 10 цифр)',
        examples: ['770701001'],
      }),
    ),
    passport: Type.Optional(Passport),
    birthDate: Type.Optional(Day('Дата рождения', '1985-07-15')),
    address: Type.Optional(
      Text({
        maxLength: 500,
        description: 'Адрес регистрации или юридический адрес',
        examples: ['123456, г. Москва, ул. Тверская, д. 1, кв. 10'],
      }),
    ),
    id1c: Type.Optional(ID_1C),
  },
  { additionalProperties: false, description: 'Клиент сделки: контакт или компания amoCRM' },
);

export const ClientDataFor1C = Type.Object(
  {
    eventId: EventId,
    leadId: LeadId,
    responsibleUserId: IdInteger({ description: 'ID ответственного пользователя amoCRM', examples: [8812345] }),
    client: Client,
  },
  {
    additionalProperties: false,
    title: 'ClientDataFor1C',
    description:
      'Данные клиента для 1С (триггер amoCRM «сделка на этапе Договор»): контрагент создаётся или обновляется в 1С, его id_1c и ссылка записываются в сделку',
    examples: [
      {
        eventId: 'amo-evt-20260210-0001',
        leadId: 31245987,
        responsibleUserId: 8812345,
        client: {
          kind: 'contact',
          id: 4410021,
          name: 'Иванов Иван Иванович',
          phone: '+7 999 123-45-67',
          email: 'ivanov@example.ru',
          inn: '500100732259',
          passport: { series: '4510', number: '123456', issueDate: '2015-04-20', issuerCode: '770-001' },
          birthDate: '1985-07-15',
        },
      },
    ],
  },
);
export type ClientDataFor1C = Static<typeof ClientDataFor1C>;

const ServiceLine = Type.Object(
  {
    name: Line({ maxLength: 250, description: 'Наименование услуги', examples: ['Таможенное оформление'] }),
    quantity: Type.Union([Type.Number({ minimum: 0.001, maximum: 1e9 }), Line({ maxLength: 16, pattern: '\\d{1,9}(?:[.,]\\d{1,3})?' })], {
      description: 'Количество: больше нуля, не больше трёх знаков после запятой',
      examples: [1],
    }),
    unit: Type.Optional(Line({ maxLength: 20, description: 'Единица измерения (по умолчанию — единица 1С)', examples: ['усл'] })),
    price: Rubles('Цена за единицу (с НДС, если vatIncluded)', '305.00'),
    withoutVat: Type.Optional(Type.Boolean({ description: 'true — строка «Без НДС» (например, возмещение госпошлины)', default: false })),
  },
  { additionalProperties: false, description: 'Строка счёта' },
);

export const ServiceDataFor1CInvoice = Type.Object(
  {
    eventId: EventId,
    leadId: LeadId,
    date: DAY,
    client: Type.Object(
      {
        id1c: Type.Optional(ID_1C),
        name: Line({ maxLength: 250, description: 'Покупатель: ФИО или наименование', examples: ['Иванов Иван Иванович'] }),
        inn: Type.Optional(INN('ИНН покупателя (контрольные цифры проверяются)')),
      },
      { additionalProperties: false, description: 'Покупатель (контрагент 1С; id1c — из ответа /1c/client-data)' },
    ),
    vatIncluded: Type.Boolean({ description: 'true — цены включают НДС; false — НДС начисляется сверху', examples: [true] }),
    lines: Type.Array(ServiceLine, { minItems: 1, maxItems: 200, description: 'Услуги' }),
  },
  {
    additionalProperties: false,
    title: 'ServiceDataFor1CInvoice',
    description:
      'Услуги сделки для счёта в 1С. НДС считается по каждой строке в копейках по дате счёта: 20 % до 01.01.2026, 22 % с этой даты; итог — сумма строк',
    examples: [
      {
        eventId: 'amo-evt-20260210-0002',
        leadId: 31245987,
        date: '2026-02-10',
        client: { id1c: '6f1f3c8e-2a4b-4c1d-9e0f-1a2b3c4d5e6f', name: 'Иванов Иван Иванович', inn: '500100732259' },
        vatIncluded: true,
        lines: [
          { name: 'Таможенное оформление', quantity: 2, unit: 'усл', price: '305.00' },
          { name: 'Госпошлина (возмещение)', quantity: 1, price: 100, withoutVat: true },
        ],
      },
    ],
  },
);
export type ServiceDataFor1CInvoice = Static<typeof ServiceDataFor1CInvoice>;

export const InvoicePaymentNotification = Type.Object(
  {
    eventId: EventId,
    leadId: LeadId,
    invoice: Type.Object(
      {
        id1c: Line({ maxLength: 64, description: 'Идентификатор счёта в 1С', examples: ['0b7d5a8e-91c3-4f5e-a6b2-3c4d5e6f7a8b'] }),
        number: Line({ maxLength: 40, description: 'Номер счёта в 1С', examples: ['0000-000001'] }),
        total: Type.Optional(Rubles('Сумма счёта (для счетов, выставленных не через хаб)', '710.00')),
      },
      { additionalProperties: false, description: 'Оплаченный счёт' },
    ),
    paidAt: Line({
      maxLength: 40,
      pattern: '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?(Z|[+-]\\d{2}:\\d{2})',
      description: 'Момент оплаты (ISO 8601 с часовым поясом)',
      examples: ['2026-02-12T14:30:00+03:00'],
    }),
    amount: Rubles('Сумма этого платежа', '400.00'),
    totalPaid: Rubles('Оплачено по счёту всего, с этим платежом', '710.00'),
    kind: StringEnum(['full', 'partial'], { description: 'full — счёт оплачен полностью, partial — частично' }),
  },
  {
    additionalProperties: false,
    title: 'InvoicePaymentNotification',
    description: 'Уведомление 1С об оплате счёта: этап сделки, оплаченная сумма и примечание в amoCRM',
    examples: [
      {
        eventId: '1c-pay-000123',
        leadId: 31245987,
        invoice: { id1c: '0b7d5a8e-91c3-4f5e-a6b2-3c4d5e6f7a8b', number: '0000-000001' },
        paidAt: '2026-02-12T14:30:00+03:00',
        amount: '710.00',
        totalPaid: '710.00',
        kind: 'full',
      },
    ],
  },
);
export type InvoicePaymentNotification = Static<typeof InvoicePaymentNotification>;

// The entity sync 1C calls (seed 001 §2.3–2.6), as TypeBox schemas. 1C fills absent values with "" or null, so
// every optional field accepts both as "absent"; numbers may come as strings of digits. Besides the seed's fields
// a body may carry the `p_***` (or any other mapped) fields of the field-correspondence table (§2.7).
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { MAX_ID, NO_CONTROL_CHARS, NO_CONTROL_CHARS_BUT_WHITESPACE } from '../../platform/http/schema-types.js';
import { AccountKey, BaseId, Envelope, FIELD_NAME } from './contract.js';
import { EVENT_NAMES } from './options.js';

/** An amoCRM id: a number, a string of digits, or ""/null for "none". */
const AmoId = (description: string) =>
  Type.Unsafe<number | string | null>({
    type: ['integer', 'string', 'null'],
    minimum: 1,
    maximum: MAX_ID,
    maxLength: 16,
    pattern: '^([1-9][0-9]{0,15})?$',
    description,
  });

/** Text 1C may send as a number (a code, an id) or leave empty; control characters refused (tabs and newlines too). */
const Text = (maxLength: number, description: string) =>
  Type.Unsafe<string | number | null>({
    type: ['string', 'number', 'null'],
    maxLength,
    pattern: NO_CONTROL_CHARS,
    description,
  });

/** A sum: a number or a decimal in a string (dot or comma), or empty. */
const Money = (description: string) =>
  Type.Unsafe<number | string | null>({
    type: ['number', 'string', 'null'],
    minimum: -1e15,
    maximum: 1e15,
    maxLength: 32,
    pattern: '^(-?[0-9 ]{1,20}([.,][0-9]{1,4})?)?$',
    description,
  });

/** A mapped field's value: any scalar; a long text (a comment) may span lines. */
const MappedValue = Type.Unsafe<string | number | boolean | null>({
  type: ['string', 'number', 'boolean', 'null'],
  maxLength: 10_000,
  pattern: NO_CONTROL_CHARS_BUT_WHITESPACE,
});

const open = <P extends Record<string, TSchema>>(props: P, title: string, example: object) =>
  Type.Object(props, {
    title,
    additionalProperties: MappedValue,
    propertyNames: { pattern: FIELD_NAME },
    maxProperties: 250,
    examples: [example],
  });

const ids = { key: AccountKey, id_base: BaseId };
const common = {
  id_1c: Type.Optional(Text(150, 'id контрагента в 1С')),
  link: Type.Optional(Text(2000, 'ссылка на запись в 1С')),
  responsible_user_id: Type.Optional(AmoId('id ответственного в amoCRM')),
};

export const ClientContact = open(
  {
    ...ids,
    id: Type.Optional(AmoId('id Контакта amoCRM')),
    ...common,
    name: Type.Optional(Text(255, 'имя контрагента 1С (обязательно при создании)')),
    email: Type.Optional(Text(500, 'email; несколько — через запятую')),
    phone: Type.Optional(Text(500, 'телефон; несколько — через запятую')),
  },
  'OnecClientContact',
  {
    key: 29847561,
    id_base: 'buh-main',
    id_1c: 'ФЛ-000123',
    link: 'e1cib/data/Справочник.Контрагенты?ref=8f3a',
    name: 'Иванов Иван',
    phone: '+7 (999) 123-45-67',
    email: 'ivanov@example.ru',
  },
);

export const ClientCompany = open(
  {
    ...ids,
    id: Type.Optional(AmoId('id Компании amoCRM')),
    ...common,
    name: Type.Optional(Text(255, 'наименование контрагента 1С (обязательно при создании)')),
    inn: Type.Optional(Text(20, 'ИНН (10 или 12 цифр) или УНП (9 цифр)')),
  },
  'OnecClientCompany',
  {
    key: 29847561,
    id_base: 'buh-main',
    id_1c: 'ЮЛ-000045',
    link: 'e1cib/data/Справочник.Контрагенты?ref=9b21',
    name: 'ООО «Ромашка»',
    inn: '7707083893',
  },
);

export const Order = open(
  {
    ...ids,
    id: Type.Optional(AmoId('id Сделки amoCRM')),
    ...common,
    company_id: Type.Optional(AmoId('id Компании amoCRM')),
    contact_id: Type.Optional(AmoId('id Контакта amoCRM')),
    budget: Type.Optional(Money('сумма заказа → бюджет сделки')),
    order_number: Type.Optional(Text(100, 'номер заказа 1С')),
    name: Type.Optional(Text(255, 'название сделки (по умолчанию «Заказ <номер>»)')),
  },
  'OnecOrder',
  {
    key: 29847561,
    id_base: 'buh-main',
    id_1c: 'ЗК-000777',
    order_number: 'ЗК-000777',
    budget: '125000.50',
    contact_id: 512001,
    company_id: 612001,
  },
);

export const Event = Type.Object(
  {
    ...ids,
    event_name: Type.Unsafe<string>({ type: 'string', enum: [...EVENT_NAMES], description: 'тип события' }),
    id: Type.Optional(AmoId('id Сделки amoCRM')),
    id_1c: Type.Optional(Text(150, 'id заказа в 1С (сделка ищется по нему, если id не передан)')),
    sum: Type.Optional(Money('сумма')),
    debt_sum: Type.Optional(Money('ожидаемый остаток')),
    document_name: Type.Optional(Text(500, 'название документа')),
  },
  {
    title: 'OnecEvent',
    examples: [
      {
        key: 29847561,
        id_base: 'buh-main',
        event_name: 'part_payment',
        id: 712001,
        sum: 50000,
        debt_sum: 75000.5,
        document_name: 'Платёжное поручение № 512 от 04.12.2026',
      },
    ],
  },
);

export type ClientContactBody = Static<typeof ClientContact>;
export type ClientCompanyBody = Static<typeof ClientCompany>;
export type OrderBody = Static<typeof Order>;
export type EventBody = Static<typeof Event>;

export const EntityAnswer = Envelope(Type.Integer({ description: 'id созданной или найденной сущности amoCRM' }), 'OnecEntityId');

// The requests of seed 002 as TypeBox schemas: they validate input, type the handlers and feed the OpenAPI document.
// Every field is optional to the schema where the seed makes it part of an "or" group, and an empty string counts
// as absent, so the groups and the required fields are checked by the services (which name what is missing).
// Where the seed's parameter tables and its JSON examples spell a field differently, both spellings are accepted
// (rk_uuid / uuid_rk; inn / inn_contractor on GET /brands); docs/modules/samba.md lists the pairs.
import { Type, type Static } from '@sinclair/typebox';
import { LineString, StringEnum } from '../../platform/http/schema-types.js';
import { DATE_PATTERN } from './values.js';

export const TAG = 'samba';

const opt = Type.Optional;
const Text = (description: string, maxLength = 500) => opt(LineString({ maxLength, description }));
const Uuid = (description: string) => opt(LineString({ maxLength: 100, description }));
const Inn = (description: string) => opt(LineString({ maxLength: 12, pattern: '^(\\d{10}|\\d{12})?$', description }));
const Kpp = (description: string) => opt(LineString({ maxLength: 9, pattern: '^(\\d{4}[0-9A-Z]{2}\\d{3})?$', description }));
const DateIn = (description: string) =>
  opt(LineString({ maxLength: 40, pattern: DATE_PATTERN, description: `${description}: ГГГГММДД, ДД.ММ.ГГГГ или ISO 8601` }));
/** `amount`: the table says string, the example sends a number; both are taken (at most two decimals). */
const Amount = Type.Unsafe<number | string>({
  type: ['number', 'string'],
  maxLength: 30,
  pattern: '^\\s*-?\\d{1,15}([.,]\\d{1,2})?\\s*$',
  description: 'Сумма счета с НДС, рубли (число или строка, не более двух знаков после запятой)',
});
/** A flag in a query string: true/false, or empty (absent). */
const QueryFlag = (description: string) => opt(StringEnum(['', 'true', 'false'], { description }));

const finaladvRef = {
  inn_finaladv: Inn('ИНН конечного рекламодателя'),
  kpp_finaladv: Kpp('КПП конечного рекламодателя'),
  uuid_finaladv: Uuid('Уникальный идентификатор конечного рекламодателя'),
};
const contractorRef = {
  inn_contractor: Inn('ИНН юр. лица'),
  kpp_contractor: Kpp('КПП юр. лица'),
  uuid_contractor: Uuid('Уникальный идентификатор юр. лица'),
};
const contractRef = {
  number_contract: Text('Номер договора рекламодателя', 200),
  date_contract: DateIn('Дата договора рекламодателя'),
  uuid_contract: Uuid('Уникальный идентификатор договора рекламодателя'),
};
const brandRef = {
  uuid_brand: Uuid('Бренд РК (расширение): нужен, если у юр. лица несколько брендов'),
  name_brand: Text('Наименование бренда РК (расширение), вместо uuid_brand', 300),
};
const rkRef = {
  rk_id: Text('Номер РК в SAMBA', 100),
  rk_uuid: Uuid('Уникальный идентификатор РК (так в таблице параметров)'),
  uuid_rk: Uuid('Уникальный идентификатор РК (так в примерах ответов), то же, что rk_uuid'),
};

// 1. Конечные рекламодатели
export const FinalAdvQuery = Type.Object({
  inn: Inn('ИНН конечного рекламодателя'),
  kpp: Kpp('КПП конечного рекламодателя'),
  name: Text('Наименование (часть, без учета регистра)', 300),
  uuid: Uuid('Уникальный идентификатор конечного рекламодателя'),
});
export const FinalAdvCreate = Type.Object(
  {
    inn: Inn('ИНН конечного рекламодателя (обязательно)'),
    kpp: Kpp('КПП конечного рекламодателя'),
    name: Text('Наименование (обязательно)', 300),
    fullName: Text('Полное наименование'),
  },
  { examples: [{ inn: '7717707438', kpp: '771701001', name: 'Карат Рус Медиа ООО', fullName: 'ООО "Карат Рус Медиа"' }] },
);
export const FinalAdvUpdate = Type.Object({ uuid: Uuid('Уникальный идентификатор (или ИНН+КПП)'), ...FinalAdvCreate.properties });

// 2. Конечные договоры
export const ContractQuery = Type.Object({
  uuid: Uuid('Уникальный идентификатор конечного договора'),
  number: Text('Номер конечного договора', 200),
  date: DateIn('Дата конечного договора'),
  ...finaladvRef,
});
export const ContractCreate = Type.Object(
  { number: Text('Номер договора (обязательно)', 200), date: DateIn('Дата договора (обязательно)'), ...finaladvRef, ...contractorRef },
  {
    examples: [{ number: '1-Test', date: '20220721', inn_finaladv: '7717707438', kpp_finaladv: '771701004', inn_contractor: '7726472670' }],
  },
);
export const ContractUpdate = Type.Object({
  uuid: Uuid('Уникальный идентификатор договора (или номер и дата)'),
  ...ContractCreate.properties,
});

// 3. Юр. лица
export const CustomerQuery = FinalAdvQuery;

// 4. Бренды
export const BrandQuery = Type.Object({
  uuid: Uuid('Уникальный идентификатор бренда'),
  name: Text('Наименование бренда (часть, без учета регистра)', 300),
  inn: Inn('ИНН юр. лица бренда (так в таблице параметров)'),
  kpp: Kpp('КПП юр. лица бренда (так в таблице параметров)'),
  inn_contractor: Inn('ИНН юр. лица бренда (так в примерах), то же, что inn'),
  kpp_contractor: Kpp('КПП юр. лица бренда (так в примерах), то же, что kpp'),
  uuid_contractor: Uuid('Уникальный идентификатор юр. лица бренда'),
});
export const BrandCreate = Type.Object(
  { name: Text('Наименование бренда (обязательно)', 300), ...contractorRef },
  { examples: [{ name: 'My brand NIKE', inn_contractor: '3526019521' }] },
);
export const BrandUpdate = Type.Object({ name: Text('Новое наименование (обязательно)', 300), uuid: Uuid('Бренд (обязательно)') });

// 5. Рекламные кампании
export const RkQuery = Type.Object({
  uuid: Uuid('Уникальный идентификатор РК'),
  name: Text('Наименование РК (часть, без учета регистра)', 300),
  rk_id: Text('Идентификатор РК в SAMBA', 100),
  numberMF: Text('Внутренний номер РК в 1С', 20),
  ...contractorRef,
});
const rkFields = {
  name: Text('Наименование РК (расширение; по умолчанию rk_id)', 300),
  date_start: DateIn('Дата начала РК'),
  date_end: DateIn('Дата окончания РК'),
  advance: opt(Type.Boolean({ description: 'Признак аванса' })),
  ...contractorRef,
  ...finaladvRef,
  ...contractRef,
  ...brandRef,
};
const RK_EXAMPLE = {
  rk_id: 'У191994',
  inn_contractor: '3526019521',
  kpp_contractor: '352601001',
  advance: false,
  date_start: '20241001',
  date_end: '20241031',
  inn_finaladv: '9909369754',
  kpp_finaladv: '',
  number_contract: '№ 135/19',
  date_contract: '01.10.2019',
};
export const RkCreate = Type.Object({ rk_id: Text('Номер РК в SAMBA (обязательно)', 100), ...rkFields }, { examples: [RK_EXAMPLE] });
export const RkUpdate = Type.Object(
  { uuid: Uuid('Уникальный идентификатор РК (или rk_id)'), rk_id: Text('Номер РК в SAMBA', 100), ...rkFields },
  { examples: [{ uuid: 'c833b7d2-831a-11ef-816c-0050568a4702', ...RK_EXAMPLE, rk_id: 'У191997' }] },
);
export const ActsQuery = Type.Object({
  uuid: Uuid('Уникальный идентификатор РК'),
  uuid_rk: Uuid('Уникальный идентификатор РК (так в ответе), то же, что uuid'),
  rk_id: Text('Идентификатор РК в SAMBA', 100),
});

// 6. Счета на оплату покупателю
export const PoQuery = Type.Object({
  date_start: DateIn('Период начала'),
  date_end: DateIn('Период окончания'),
  date: DateIn('Дата счета'),
  advance: QueryFlag('Счет на аванс'),
  uuid: Uuid('Уникальный идентификатор счета'),
  number: Text('Номер счета в 1С', 100),
  ...rkRef,
  numberMF: Text('Внутренний номер РК в 1С', 20),
});
export const PoCreate = Type.Object(
  {
    number: Text('Номер счета у вызывающей стороны (сохраняется, по нему можно найти счет)', 100),
    date: DateIn('Дата счета у вызывающей стороны'),
    ...rkRef,
    amount: Type.Optional(Amount),
  },
  { examples: [{ number: 'TEST PO #11', date: '20241008', rk_id: 'У191994', amount: 60000 }] },
);
export const PoUpdate = Type.Object(
  { uuid: Uuid('Уникальный идентификатор счета (или номер и дата)'), ...PoCreate.properties },
  { examples: [{ uuid: '', number: 'TEST PO #11', date: '20241008', rk_id: 'У191994', amount: 60000 }] },
);
export const PoRef = Type.Object(
  {
    uuid: Uuid('Уникальный идентификатор счета'),
    number: Text('Номер счета (в 1С или у вызывающей стороны)', 100),
    date: DateIn('Дата счета'),
  },
  { examples: [{ number: 'УМУ083765/01', date: '20240913' }] },
);

export type FinalAdvQueryT = Static<typeof FinalAdvQuery>;
export type FinalAdvUpdateT = Static<typeof FinalAdvUpdate>;
export type ContractQueryT = Static<typeof ContractQuery>;
export type ContractUpdateT = Static<typeof ContractUpdate>;
export type BrandQueryT = Static<typeof BrandQuery>;
export type BrandCreateT = Static<typeof BrandCreate>;
export type RkQueryT = Static<typeof RkQuery>;
export type RkUpdateT = Static<typeof RkUpdate>;
export type PoQueryT = Static<typeof PoQuery>;
export type PoUpdateT = Static<typeof PoUpdate>;
export const PoFileQuery = Type.Object(
  {
    ...PoRef.properties,
    ext: opt(StringEnum(['', 'pdf', 'docx', 'xlsx'], { description: 'Формат: pdf (по умолчанию), docx, xlsx' })),
  },
  { examples: [{ number: 'УЛУ000001/01', date: '20241009', ext: 'pdf' }] },
);

export type PoRefT = Static<typeof PoRef>;
export type PoFileQueryT = Static<typeof PoFileQuery>;
export type ActsQueryT = Static<typeof ActsQuery>;

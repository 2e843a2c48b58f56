// PtdExportRequest: what amoCRM (its widget) sends to get a ПТД (customs.md §9). Names are ours; each field's
// description says where it lands in the PassengerDeclaration (1006300E) XML. Limits are the album's where it has
// them, so most mistakes are refused here, naming the field; the XSD check after generation catches the rest.
import { Type, type Static } from '@sinclair/typebox';
import { IdInteger, StringEnum } from '../../platform/http/schema-types.js';
import { Line, Text } from './contract.js';
import { PTD_EXAMPLE } from './ptd-example.js';

const A2 = (description: string) =>
  Line({ maxLength: 2, pattern: '[A-Z]{2}', description: `${description}: код страны ISO 3166-1 alpha-2`, examples: ['JP'] });
const Name = (description: string, examples?: string[]) => Line({ maxLength: 150, description, ...(examples ? { examples } : {}) });
const DATE = (description: string, example: string) =>
  Type.String({ format: 'date', description: `${description} (ГГГГ-ММ-ДД)`, examples: [example] });
const DATE_TIME = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?(Z|[+-]\\d{2}:\\d{2})?';
const DateTime = (description: string, example: string) =>
  Line({ maxLength: 40, pattern: DATE_TIME, description: `${description} (ISO 8601, xs:dateTime)`, examples: [example] });
const TNVED = Line({
  maxLength: 10,
  pattern: '\\d{4}|\\d{6}|\\d{8}|\\d{10}',
  description: 'Код ТН ВЭД ЕАЭС: 4, 6, 8 или 10 цифр',
  examples: ['8703231981'],
});
/** A measured amount: the album's QuantityBasis0Type starts at 0.000001. */
const Positive = (description: string, maximum: number) => Type.Number({ minimum: 0.000001, maximum, description });
/** An engine power: the album's EnginePowerQuanityType starts at 0. */
const Power = (description: string) => Type.Number({ minimum: 0, maximum: 9_999_999, description });

export const Money = Type.Object(
  {
    amount: Type.Number({ minimum: 0, maximum: 1e15, description: 'Сумма, не больше двух знаков после точки', examples: [1500000] }),
    currency: Line({ maxLength: 3, pattern: '[A-Z]{3}', description: 'Валюта: код ISO 4217 alpha-3', examples: ['JPY'] }),
  },
  { additionalProperties: false, title: 'Money', description: 'Стоимость → RUScat_ru:Amount + RUScat_ru:CurrencyCode' },
);

const IdentityDoc = Type.Object(
  {
    code: Type.Optional(
      Line({
        maxLength: 7,
        pattern: '\\d{2}|[A-Z]{2}\\d{5}',
        description: 'Код вида документа (IdentityCardCode): 2 цифры или RU01001',
        examples: ['RU01001'],
      }),
    ),
    name: Type.Optional(Line({ maxLength: 40, description: 'Краткое наименование документа', examples: ['ПАСПОРТ РФ'] })),
    series: Type.Optional(Line({ maxLength: 11, description: 'Серия', examples: ['4510'] })),
    number: Line({ maxLength: 25, description: 'Номер', examples: ['123456'] }),
    issueDate: Type.Optional(DATE('Дата выдачи', '2015-04-20')),
    validUntil: Type.Optional(DATE('Действителен до', '2035-04-20')),
    issuedBy: Type.Optional(Line({ maxLength: 150, description: 'Кем выдан', examples: ['ОТДЕЛЕНИЕМ УФМС РОССИИ ПО Г. МОСКВЕ'] })),
    issuerCode: Type.Optional(Line({ maxLength: 7, description: 'Код подразделения', examples: ['770-001'] })),
    country: A2('Страна выдачи'),
  },
  { additionalProperties: false, description: 'Документ, удостоверяющий личность → DeclarantPerson/PersonIdCard' },
);

const Address = Type.Object(
  {
    kind: StringEnum(['1', '2', '3'], {
      description: 'Вид адреса: 1 — регистрации (постоянного проживания), 2 — фактический (временного пребывания), 3 — почтовый',
    }),
    postalCode: Type.Optional(Line({ maxLength: 9, description: 'Почтовый индекс', examples: ['123456'] })),
    country: A2('Страна'),
    countryName: Type.Optional(
      Line({ maxLength: 120, description: 'Название страны (в XML — CounryName, опечатка схемы)', examples: ['РОССИЯ'] }),
    ),
    region: Type.Optional(Line({ maxLength: 120, description: 'Регион', examples: ['МОСКВА'] })),
    district: Type.Optional(Line({ maxLength: 120, description: 'Район' })),
    town: Type.Optional(Line({ maxLength: 120, description: 'Населённый пункт (Town)' })),
    city: Type.Optional(Line({ maxLength: 120, description: 'Город', examples: ['МОСКВА'] })),
    street: Type.Optional(Line({ maxLength: 120, description: 'Улица (StreetHouse)', examples: ['УЛ. ТВЕРСКАЯ'] })),
    house: Type.Optional(Line({ maxLength: 120, description: 'Дом', examples: ['1'] })),
    room: Type.Optional(Line({ maxLength: 120, description: 'Квартира, офис', examples: ['10'] })),
    text: Type.Optional(Line({ maxLength: 1000, description: 'Адрес одной строкой (AddressText)' })),
  },
  { additionalProperties: false, description: 'Адрес → DeclarantPerson/Address' },
);

const Declarant = Type.Object(
  {
    lastName: Name('Фамилия', ['Иванов']),
    firstName: Name('Имя', ['Иван']),
    middleName: Type.Optional(Name('Отчество', ['Иванович'])),
    inn: Type.Optional(
      Line({ maxLength: 12, pattern: '\\d{10}|\\d{12}', description: 'ИНН (контрольные цифры проверяются)', examples: ['500100732259'] }),
    ),
    birthDate: Type.Optional(DATE('Дата рождения', '1985-07-15')),
    identityDoc: IdentityDoc,
    addresses: Type.Array(Address, { minItems: 1, maxItems: 3 }),
    departureCountry: Type.Optional(A2('Страна отправления (CountryDeparture)')),
    destinationCountry: Type.Optional(A2('Страна назначения (CountryDestination)')),
    benefitCode: Type.Optional(
      Line({
        maxLength: 2,
        pattern: '[0-9A-Z]{1,2}',
        description:
          'Льгота (CRTaxAllowanceCode): 1 переселение, 6 беженец, K сотрудник посольства, S прожил за рубежом ≥ 1 года, I временный ввоз, 2 наследство, 3 культурные ценности, 4 разрешение на работу',
      }),
    ),
  },
  { additionalProperties: false, description: 'Декларант → DeclarantPerson' },
);

const Vehicle = Type.Object(
  {
    tnved: Type.Optional(TNVED),
    vin: Type.Optional(
      Line({
        maxLength: 40,
        description: 'VIN: 17 символов без I, O, Q (контрольная цифра североамериканских VIN — предупреждение)',
        examples: ['JTDBR32E720123456'],
      }),
    ),
    bodyNumber: Type.Optional(Line({ maxLength: 40, description: 'Номер кузова (BodyID)', examples: ['NZE121-3123456'] })),
    chassisNumber: Type.Optional(Line({ maxLength: 40, description: 'Номер шасси/рамы (ChassisID)' })),
    makeCode: Type.Optional(
      Line({ maxLength: 3, pattern: '[0-9A-Z]{3}', description: 'Код марки по классификатору (MarkCode), 3 символа' }),
    ),
    make: Line({ maxLength: 250, description: 'Марка (Mark)', examples: ['TOYOTA'] }),
    model: Line({ maxLength: 250, description: 'Модель (Model)', examples: ['COROLLA'] }),
    manufactureDate: DATE('Дата выпуска (OfftakeYear — в схеме полная дата)', '2021-06-01'),
    engineVolumeCm3: Type.Optional(Positive('Объём двигателя, см³ (EngineVolumeQuanity, ОКЕИ 111)', 100_000)),
    engineType: Type.Optional(
      StringEnum(['1', '2', '3', '4', '5', '6', '7'], {
        description: 'Тип двигателя: 1 бензин, 2 дизель, 3 электро, 4 гибрид (бензин), 5 гибрид (дизель), 6 газ, 7 иной',
      }),
    ),
    powerHp: Type.Optional(Power('Мощность, л. с. (не больше двух знаков после точки)')),
    powerKw: Type.Optional(Power('Мощность, кВт (не больше двух знаков после точки)')),
    purposeType: Type.Optional(
      StringEnum(['1', '2', '3', '4', '5', '6', '7'], {
        description:
          'TypeIndicator: 1 общего назначения, 2 медицинское, 3 жилое, 4 автобус > 120 мест, 5 внедорожник, 6 снегоход/гольфкар/квадроцикл, 7 иное',
      }),
    ),
    trailer: Type.Optional(Type.Boolean({ description: 'Прицеп (TrailerIndicator)' })),
    regNumber: Type.Optional(Line({ maxLength: 40, description: 'Регистрационный номер (TransportMeansRegId)' })),
    regCountry: Type.Optional(A2('Страна регистрации (TransportMeansCountryCode)')),
    price: Money,
    eptsNumber: Type.Optional(
      Line({ maxLength: 15, pattern: '\\d{15}', description: 'Номер ЭПТС, 15 цифр — в ПТД места нет, проверяется и не выводится' }),
    ),
    sbktsNumber: Type.Optional(
      Line({ maxLength: 50, description: 'Номер СБКТС (ТС RU А-DE.НУ08.71226) — в ПТД места нет, проверяется и не выводится' }),
    ),
  },
  { additionalProperties: false, description: 'Транспортное средство → TransportMeans/TransportMeansDetails (вид транспорта 30)' },
);

const Goods = Type.Object(
  {
    description: Text({
      maxLength: 1000,
      description: 'Описание (GoodsDescription, делится по 250 символов, не больше 4 частей)',
      examples: ['Комплект зимних шин 205/55 R16, 4 шт.'],
    }),
    tnved: Type.Optional(TNVED),
    grossKg: Type.Optional(Positive('Вес брутто, кг (не больше 6 знаков после точки)', 1e12)),
    netKg: Type.Optional(Positive('Вес нетто, кг (не больше 6 знаков после точки)', 1e12)),
    quantity: Type.Optional(
      Type.Object(
        {
          value: Positive('Количество', 1e12),
          unitCode: Line({ maxLength: 3, pattern: '\\d{3}', description: 'Код единицы по ОКЕИ', examples: ['796'] }),
          unitName: Type.Optional(Line({ maxLength: 13, description: 'Условное обозначение единицы', examples: ['ШТ'] })),
        },
        { additionalProperties: false, description: 'Количество в единице измерения (GoodsQuantity)' },
      ),
    ),
    trademark: Type.Optional(Line({ maxLength: 250, description: 'Товарный знак (TradeMark)' })),
    brand: Type.Optional(Line({ maxLength: 40, description: 'Марка (GoodsMark)', examples: ['MICHELIN'] })),
    model: Type.Optional(Line({ maxLength: 250, description: 'Модель (GoodsModel)', examples: ['X-ICE NORTH 4'] })),
    price: Money,
  },
  { additionalProperties: false, description: 'Товар → PassDeclGoodsInfo/GoodsListDetails/PassDeclGoods' },
);

const Doc = (description: string) =>
  Type.Object(
    {
      name: Type.Optional(Line({ maxLength: 250, description: 'Наименование документа' })),
      number: Line({ maxLength: 50, description: 'Номер', examples: ['12-2025/ТП'] }),
      date: DATE('Дата', '2025-02-20'),
    },
    { additionalProperties: false, description },
  );

const FilledBy = Type.Object(
  {
    role: StringEnum(['1', '2', '3'], {
      description: 'RoleCode: 1 декларант, 2 работник таможенного представителя, 3 лицо, действующее от имени декларанта',
    }),
    lastName: Name('Фамилия', ['Петрова']),
    firstName: Name('Имя', ['Анна']),
    middleName: Type.Optional(Name('Отчество')),
    position: Type.Optional(Line({ maxLength: 250, description: 'Должность', examples: ['СПЕЦИАЛИСТ ПО ТАМОЖЕННЫМ ОПЕРАЦИЯМ'] })),
    signedAt: DateTime('Дата и время подписания (SigningDate)', '2025-03-01T10:00:00'),
    phone: Type.Optional(Line({ maxLength: 24, description: 'Телефон', examples: ['+74951234567'] })),
    email: Type.Optional(Line({ maxLength: 50, description: 'Электронная почта', examples: ['broker@example.ru'] })),
    brokerRegistryNumber: Type.Optional(
      Line({ maxLength: 25, description: 'Номер в реестре таможенных представителей (обязателен при role = 2)', examples: ['1234'] }),
    ),
    contract: Type.Optional(Doc('Договор с таможенным представителем (обязателен при role = 2)')),
    powerOfAttorney: Type.Optional(Doc('Доверенность (PowerOfAttorneyDetails)')),
  },
  { additionalProperties: false, description: 'Кто заполнил ПТД → RoleCode, SignatoryRepresentativeDetails, FilledPerson' },
);

export const PtdExportRequest = Type.Object(
  {
    leadId: IdInteger({ description: 'id сделки amoCRM: в имени файла (ptd-<leadId>.xml) и в журнале выгрузок', examples: [31245987] }),
    albumVersion: Type.Optional(
      Line({
        maxLength: 11,
        pattern: '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}',
        description: 'Версия альбома форматов ФТС (по умолчанию CUSTOMS_ALBUM_VERSION)',
        examples: ['5.23.0'],
      }),
    ),
    documentId: Type.Optional(
      Line({
        maxLength: 36,
        pattern: '[0-9A-Za-z-]{1,36}',
        description: 'Идентификатор документа (DocumentID, GUID); если нет — создаётся',
        examples: ['2b6f0cc9-04a6-4a55-b2a5-0f6d3b9a7c11'],
      }),
    ),
    createdAt: Type.Optional(DateTime('Дата и время документа (EDocDateTime); по умолчанию — сейчас', '2025-03-01T10:00:00')),
    movingCode: StringEnum(['1', '2', '3'], {
      description: 'Способ перемещения: 1 сопровождаемый багаж, 2 несопровождаемый багаж, 3 доставка без въезда лица',
    }),
    arrivalTransportMode: Type.Optional(
      Line({
        maxLength: 2,
        pattern: '\\d{2}',
        description: 'Вид транспорта прибытия (TransportModeCode): 10 море, 20 ж/д, 30 авто, 40 авиа',
        examples: ['30'],
      }),
    ),
    declarant: Declarant,
    minorsCount: Type.Optional(Type.Integer({ minimum: 0, maximum: 9999, description: 'Лиц до 16 лет (MinorPersonQuantity)' })),
    vehicles: Type.Optional(
      Type.Object(
        {
          purpose: StringEnum(['1', '2', '3', '4', '5'], {
            description: 'Цель: 1 ввоз, 2 временный ввоз, 3 вывоз, 4 временный вывоз, 5 транзит',
          }),
          dutyFree: Type.Optional(Type.Boolean({ description: 'Ввоз с освобождением от уплаты (TaxFreeIndicator)' })),
          items: Type.Array(Vehicle, { minItems: 1, maxItems: 99 }),
        },
        { additionalProperties: false, description: 'Транспортные средства → GoodsShipmentDetails/TransportMeans' },
      ),
    ),
    goods: Type.Optional(
      Type.Object(
        {
          purpose: StringEnum(['1', '3', '4', '5'], { description: 'Цель: 1 ввоз, 3 вывоз, 4 временный вывоз, 5 транзит' }),
          categories: Type.Optional(
            Type.Array(StringEnum(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10']), {
              maxItems: 10,
              uniqueItems: true,
              description:
                'Категории (GoodsCategoryCode): 01 наличные > 10 000 USD, 02 льгота, 03 сверх норм, 04 культурные ценности, 05 оружие, 06 наркосодержащие лекарства, 07 животные и растения, 08 минералогия и палеонтология, 09 биоматериалы, 10 иные ограничения',
            }),
          ),
          items: Type.Array(Goods, { minItems: 1, maxItems: 999 }),
        },
        { additionalProperties: false, description: 'Товары → GoodsShipmentDetails/PassDeclGoodsInfo' },
      ),
    ),
    filledBy: FilledBy,
  },
  {
    additionalProperties: false,
    title: 'PtdExportRequest',
    description: 'Данные для XML пассажирской таможенной декларации (PassengerDeclaration 1006300E)',
    examples: [PTD_EXAMPLE],
  },
);

export type PtdRequest = Static<typeof PtdExportRequest>;
export type PtdVehicle = Static<typeof Vehicle>;
export type PtdGoods = Static<typeof Goods>;

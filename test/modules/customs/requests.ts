// ПТД requests the tests send: each a variation the golden files pin (one car, several cars, goods only, broker,
// special characters, minimal, maximal). Values are fictitious; ИНН and VINs pass their checks.
import type { PtdRequest, PtdVehicle } from '../../../src/modules/customs/ptd-contract.js';

const FIXED = { documentId: '2b6f0cc9-04a6-4a55-b2a5-0f6d3b9a7c11', createdAt: '2025-03-01T10:00:00' };

const declarant: PtdRequest['declarant'] = {
  lastName: 'Иванов',
  firstName: 'Иван',
  middleName: 'Иванович',
  inn: '500100732259',
  birthDate: '1985-07-15',
  identityDoc: { code: 'RU01001', name: 'ПАСПОРТ РФ', series: '4510', number: '123456', issueDate: '2015-04-20', country: 'RU' },
  addresses: [
    {
      kind: '1',
      postalCode: '123456',
      country: 'RU',
      countryName: 'РОССИЯ',
      city: 'МОСКВА',
      street: 'УЛ. ТВЕРСКАЯ',
      house: '1',
      room: '10',
    },
  ],
  departureCountry: 'JP',
  destinationCountry: 'RU',
};

const filledBy: PtdRequest['filledBy'] = { role: '1', lastName: 'Иванов', firstName: 'Иван', signedAt: '2025-03-01T10:00:00' };

export const corolla: PtdVehicle = {
  tnved: '8703231981',
  vin: 'JTDBR32E720123456',
  make: 'TOYOTA',
  model: 'COROLLA',
  manufactureDate: '2021-06-01',
  engineVolumeCm3: 1797,
  engineType: '1',
  powerHp: 98,
  powerKw: 72.1,
  price: { amount: 1500000, currency: 'JPY' },
};

export const oneCar: PtdRequest = {
  leadId: 31245987,
  ...FIXED,
  movingCode: '3',
  arrivalTransportMode: '30',
  declarant,
  vehicles: { purpose: '1', items: [corolla] },
  filledBy,
};

export const twoCars: PtdRequest = {
  ...oneCar,
  leadId: 31245988,
  vehicles: {
    purpose: '1',
    items: [
      corolla,
      {
        vin: '1HGCM82633A004352', // a North-American VIN with a correct check digit (3)
        bodyNumber: 'CM8-2633',
        make: 'HONDA',
        model: 'ACCORD',
        manufactureDate: '2003-01-15',
        engineVolumeCm3: 2354,
        engineType: '4',
        powerHp: 160.5,
        powerKw: 118.05,
        price: { amount: 8500.99, currency: 'USD' },
      },
    ],
  },
};

export const goodsOnly: PtdRequest = {
  leadId: 31245989,
  ...FIXED,
  movingCode: '2',
  declarant,
  goods: {
    purpose: '1',
    categories: ['03'],
    items: [
      {
        description: 'Комплект зимних шин 205/55 R16, 4 шт.',
        tnved: '4011100003',
        grossKg: 40.5,
        netKg: 38.25,
        quantity: { value: 4, unitCode: '796', unitName: 'ШТ' },
        brand: 'MICHELIN',
        model: 'X-ICE NORTH 4',
        price: { amount: 560.5, currency: 'EUR' },
      },
      { description: 'Диски литые R16', price: { amount: 300, currency: 'EUR' } },
    ],
  },
  filledBy,
};

export const broker: PtdRequest = {
  ...oneCar,
  leadId: 31245990,
  filledBy: {
    role: '2',
    lastName: 'Петрова',
    firstName: 'Анна',
    middleName: 'Сергеевна',
    position: 'СПЕЦИАЛИСТ ПО ТАМОЖЕННЫМ ОПЕРАЦИЯМ',
    signedAt: '2025-03-01T10:00:00+03:00',
    phone: '+74951234567',
    email: 'broker@example.ru',
    brokerRegistryNumber: '1234',
    contract: { number: '12-2025/ТП', date: '2025-02-20' },
    powerOfAttorney: { name: 'ДОВЕРЕННОСТЬ', number: '7', date: '2025-01-10' },
  },
};

/** Quotes, ampersands, angle brackets, apostrophes, line breaks and tabs, and a character outside the BMP. */
export const specialChars: PtdRequest = {
  ...goodsOnly,
  leadId: 31245991,
  declarant: {
    ...declarant,
    lastName: `О'Коннор-Иванов`,
    addresses: [{ kind: '1', country: 'RU', text: 'г. Москва, ул. "Тверская" & <пр.>, д. 1' }],
  },
  goods: {
    purpose: '1',
    items: [
      {
        description: 'Подарок: "кружка" & <блюдце>\nс надписью\t«С днём рождения» 🎂',
        brand: 'A&B <C>',
        price: { amount: 10, currency: 'RUB' },
      },
    ],
  },
};

export const minimal: PtdRequest = {
  leadId: 1,
  ...FIXED,
  movingCode: '3',
  declarant: {
    lastName: 'Иванов',
    firstName: 'Иван',
    identityDoc: { number: '123456', country: 'RU' },
    addresses: [{ kind: '1', country: 'RU' }],
  },
  vehicles: {
    purpose: '1',
    items: [
      {
        bodyNumber: 'NZE121-3123456',
        make: 'TOYOTA',
        model: 'COROLLA',
        manufactureDate: '2004-05-01',
        price: { amount: 0, currency: 'RUB' },
      },
    ],
  },
  filledBy,
};

const longDescription = `${'Очень длинное описание товара. '.repeat(32)}`.slice(0, 1000);

export const maximal: PtdRequest = {
  leadId: 9007199254740991,
  albumVersion: '5.23.0',
  ...FIXED,
  movingCode: '1',
  arrivalTransportMode: '40',
  declarant: {
    ...declarant,
    identityDoc: {
      ...declarant.identityDoc,
      validUntil: '2035-04-20',
      issuedBy: 'ОТДЕЛЕНИЕМ УФМС РОССИИ ПО Г. МОСКВЕ',
      issuerCode: '770-001',
    },
    addresses: [
      {
        kind: '1',
        postalCode: '123456',
        country: 'RU',
        countryName: 'РОССИЯ',
        region: 'МОСКВА',
        district: 'ЦАО',
        town: 'МОСКВА',
        city: 'МОСКВА',
        street: 'УЛ. ТВЕРСКАЯ',
        house: '1',
        room: '10',
        text: 'МОСКВА, УЛ. ТВЕРСКАЯ, 1-10',
      },
      { kind: '2', country: 'JP', city: 'TOKYO' },
      { kind: '3', country: 'RU', postalCode: '101000', text: 'А/Я 1' },
    ],
    benefitCode: 'S',
  },
  minorsCount: 2,
  vehicles: {
    purpose: '1',
    dutyFree: false,
    items: [
      {
        ...corolla,
        bodyNumber: 'ZRE212-1000001',
        chassisNumber: 'ZRE212-1000001',
        makeCode: '001',
        purposeType: '1',
        trailer: false,
        regNumber: '品川300あ1234',
        regCountry: 'JP',
        eptsNumber: '164301002345678',
        sbktsNumber: 'ТС RU А-DE.НУ08.71226',
      },
      { ...corolla, vin: 'JTDBR32E720654321', price: { amount: 99999999999.99, currency: 'JPY' } },
      {
        bodyNumber: 'GRS210-6000001',
        make: 'TOYOTA',
        model: 'CROWN',
        manufactureDate: '2019-12-31',
        engineType: '3',
        powerKw: 0.01,
        price: { amount: 0.01, currency: 'USD' },
      },
    ],
  },
  goods: {
    purpose: '1',
    categories: ['02', '03', '10'],
    items: [
      {
        description: longDescription,
        tnved: '8708',
        grossKg: 0.000001,
        netKg: 0.000001,
        quantity: { value: 123456.123456, unitCode: '796', unitName: 'ШТ' },
        trademark: 'TOYOTA GENUINE PARTS',
        brand: 'TOYOTA',
        model: '04465-02220',
        price: { amount: 1234567.89, currency: 'JPY' },
      },
    ],
  },
  filledBy: broker.filledBy,
};

export const GOLDEN: Record<string, PtdRequest> = { oneCar, twoCars, goodsOnly, broker, specialChars, minimal, maximal };

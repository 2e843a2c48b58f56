// The example request of the OpenAPI document (and docs/modules/customs.md): a car imported for a person,
// delivered without them, declared by the person. A test posts it and expects the golden document oneCar.xml.
export const PTD_EXAMPLE = {
  leadId: 31245987,
  documentId: '2b6f0cc9-04a6-4a55-b2a5-0f6d3b9a7c11',
  createdAt: '2025-03-01T10:00:00',
  movingCode: '3',
  arrivalTransportMode: '30',
  declarant: {
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
  },
  vehicles: {
    purpose: '1',
    items: [
      {
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
      },
    ],
  },
  filledBy: { role: '1', lastName: 'Иванов', firstName: 'Иван', signedAt: '2025-03-01T10:00:00' },
};

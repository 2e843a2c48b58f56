import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCustomFieldsValues, type AmoCustomField } from '../../src/connectors/amocrm/index.js';

const field = (id: number, name: string, type: string, extra: Partial<AmoCustomField> = {}): AmoCustomField => ({
  id,
  name,
  type,
  code: null,
  enums: null,
  ...extra,
});
const DEFS: AmoCustomField[] = [
  field(1, 'Комментарий', 'textarea'),
  field(2, 'Сайт', 'url'),
  field(3, 'Количество', 'numeric'),
  field(4, 'Согласие', 'checkbox'),
  field(5, 'Источник', 'select', {
    enums: [
      { id: 51, value: 'Сайт' },
      { id: 52, value: 'Звонок' },
    ],
  }),
  field(6, 'Интересы', 'multiselect', {
    enums: [
      { id: 61, value: 'Доставка' },
      { id: 62, value: 'Таможня' },
    ],
  }),
  field(7, 'Дата встречи', 'date'),
  field(8, 'Время звонка', 'date_time'),
  field(9, 'Канал', 'radiobutton', {
    enums: [
      { id: 91, value: 'Email' },
      { id: 92, value: 'Телефон' },
    ],
  }),
  field(10, 'Телефон', 'multitext', {
    code: 'PHONE',
    enums: ['WORK', 'WORKDD', 'MOB', 'FAX', 'HOME', 'OTHER'].map((v, i) => ({ id: 100 + i, value: v })),
  }),
  field(11, 'Email', 'multitext', { code: 'EMAIL', enums: ['WORK', 'PRIV', 'OTHER'].map((v, i) => ({ id: 110 + i, value: v })) }),
  field(12, 'Адрес', 'legal_entity'),
];

test('every supported type becomes the value shape amoCRM expects', () => {
  const { values, errors } = buildCustomFieldsValues(DEFS, [
    { field: 'Комментарий', value: 'hello' },
    { field: 2, value: 'https://example.com' },
    { field: 'Количество', value: '1 234,5' },
    { field: 'Согласие', value: 'true' },
    { field: 'Источник', value: 'звонок' },
    { field: 'Интересы', value: ['Доставка', 62] },
    { field: 'Дата встречи', value: '31.12.2025' },
    { field: 'Время звонка', value: new Date('2025-06-01T10:00:00Z') },
    { field: 'Канал', value: 91 },
    { field: 'PHONE', value: ['+79990000000', { value: '+78120000000', enumCode: 'home' }], enumCode: 'MOB' },
    { field: 'EMAIL', value: 'a@example.com' },
  ]);
  assert.deepEqual(errors, []);
  assert.deepEqual(values, [
    { field_id: 1, values: [{ value: 'hello' }] },
    { field_id: 2, values: [{ value: 'https://example.com' }] },
    { field_id: 3, values: [{ value: 1234.5 }] },
    { field_id: 4, values: [{ value: true }] },
    { field_id: 5, values: [{ enum_id: 52 }] },
    { field_id: 6, values: [{ enum_id: 61 }, { enum_id: 62 }] },
    { field_id: 7, values: [{ value: Date.UTC(2025, 11, 31) / 1000 }] },
    { field_id: 8, values: [{ value: Date.UTC(2025, 5, 1, 10) / 1000 }] },
    { field_id: 9, values: [{ enum_id: 91 }] },
    {
      field_id: 10,
      values: [
        { value: '+79990000000', enum_code: 'MOB' },
        { value: '+78120000000', enum_code: 'HOME' },
      ],
    },
    { field_id: 11, values: [{ value: 'a@example.com', enum_code: 'WORK' }] },
  ]);
});

test('null clears a field', () => {
  const { values, errors } = buildCustomFieldsValues(DEFS, [{ field: 'Источник', value: null }]);
  assert.deepEqual(errors, []);
  assert.deepEqual(values, [{ field_id: 5, values: null }]);
});

test('impossible values are reported, not dropped', () => {
  const { values, errors } = buildCustomFieldsValues(DEFS, [
    { field: 'Источник', value: 'Выставка' },
    { field: 'Количество', value: 'много' },
    { field: 'Согласие', value: 'maybe' },
    { field: 'Нет такого', value: 'x' },
    { field: 'PHONE', value: '+7999', enumCode: 'PAGER' },
    { field: 'Дата встречи', value: 'когда-нибудь' },
    { field: 'Адрес', value: 'x' },
    { field: 'Комментарий', value: 'kept' },
  ]);
  assert.deepEqual(
    errors.map((e) => [e.field, e.code]),
    [
      ['Источник', 'UNKNOWN_ENUM'],
      ['Количество', 'INVALID_TYPE'],
      ['Согласие', 'INVALID_TYPE'],
      ['Нет такого', 'UNKNOWN_FIELD'],
      ['PHONE', 'UNKNOWN_ENUM'],
      ['Дата встречи', 'INVALID_TYPE'],
      ['Адрес', 'UNSUPPORTED_TYPE'],
    ],
  );
  assert.match(errors[0]!.message, /Выставка.*not one of/);
  assert.deepEqual(values, [{ field_id: 1, values: [{ value: 'kept' }] }]);
});

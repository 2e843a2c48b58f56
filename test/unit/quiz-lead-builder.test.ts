// Result + rule → complex lead, without a database: type-aware values, contact PHONE/EMAIL with WORK, UTM fields,
// tags by our ids, a company only when the rule maps company fields, and impossible values reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLead } from '../../src/modules/quiz/lead-builder.js';
import type { AccountCache, FieldRow, TagRow } from '../../src/modules/quiz/cache.js';
import type { RuleRow } from '../../src/modules/quiz/rules.js';

const now = new Date();
const field = (entityType: string, amoId: number, type: string, extra: Partial<FieldRow> = {}): FieldRow => ({
  id: amoId,
  amoAccountId: 1,
  entityType,
  amoId,
  code: '',
  name: `f${amoId}`,
  type,
  enums: [],
  deleted: false,
  createdAt: now,
  updatedAt: now,
  ...extra,
});
const tag = (id: number, entity: string, amoId: number): TagRow => ({
  id,
  amoAccountId: 1,
  entity,
  amoId,
  name: `t${amoId}`,
  color: '',
  deleted: false,
  createdAt: now,
  updatedAt: now,
});

function cache(): AccountCache {
  const leads = [
    field('leads', 11, 'textarea'),
    field('leads', 12, 'select', {
      enums: [
        { id: 121, value: 'Сайт' },
        { id: 122, value: 'Звонок' },
      ],
    }),
    field('leads', 13, 'numeric'),
    field('leads', 14, 'multiselect', {
      enums: [
        { id: 141, value: 'Доставка' },
        { id: 142, value: 'Склад' },
      ],
    }),
    field('leads', 15, 'checkbox'),
    field('leads', 16, 'date'),
    field('leads', 17, 'text', { code: 'UTM_SOURCE' }),
  ];
  const contacts = [
    field('contacts', 21, 'multitext', {
      code: 'PHONE',
      enums: [
        { id: 211, value: 'WORK' },
        { id: 212, value: 'MOB' },
      ],
    }),
    field('contacts', 22, 'multitext', {
      code: 'EMAIL',
      enums: [
        { id: 221, value: 'WORK' },
        { id: 222, value: 'PRIV' },
      ],
    }),
    field('contacts', 23, 'text'),
  ];
  const companies = [field('companies', 31, 'textarea')];
  return {
    users: new Set([5]),
    pipelines: new Set([7]),
    steps: new Set(['7:8']),
    fields: new Map([
      ['leads', new Map(leads.map((f) => [f.amoId, f]))],
      ['contacts', new Map(contacts.map((f) => [f.amoId, f]))],
      ['companies', new Map(companies.map((f) => [f.amoId, f]))],
    ]),
    tags: new Map([
      [1, tag(1, 'leads', 901)],
      [2, tag(2, 'contacts', 902)],
      [3, tag(3, 'companies', 903)],
    ]),
  };
}

const rule = (over: Partial<RuleRow> = {}): RuleRow => ({
  id: 1,
  quizAccountId: 'a',
  amoAccountId: 1,
  quizId: 42,
  performerId: 5,
  pipelineId: 7,
  stepId: 8,
  fieldsRule: {
    lead: [{ '1': 11, '2': 12, '3': 13, '4': 14, '5': 15, '6': 16, utm_source: 17 }],
    contact: [{ '7': 23 }],
    company: [],
    customer: [],
  },
  tagsToAdd: { Lead: [1], Contact: [2], Company: [3], Customer: [] },
  state: 'ready',
  problems: [],
  checkedAt: null,
  deleted: false,
  createdAt: now,
  updatedAt: now,
  ...over,
});

test('answers become typed lead fields; contact gets PHONE/EMAIL with WORK; tags by amo id', () => {
  const { item, warnings } = buildLead(
    {
      quizId: 42,
      resultId: 'r1',
      answers: [
        { questionId: 1, value: ['перезвонить', 'вечером'] },
        { questionId: 2, value: 'сайт' },
        { questionId: 3, value: '1 500,5' },
        { questionId: '4', value: ['Доставка', 'Склад'] },
        { questionId: 5, value: 'да' },
        { questionId: 6, value: '31.12.2025' },
        { questionId: 7, value: 'директор' },
      ],
      contact: { name: 'Анна', phone: '+79990000001', email: 'a@example.com' },
      utm: { utm_source: 'yandex' },
    },
    rule(),
    cache(),
  );
  assert.deepEqual(warnings, []);
  assert.equal(item.pipeline_id, 7);
  assert.equal(item.status_id, 8);
  assert.equal(item.responsible_user_id, 5);
  assert.equal(item.name, 'Заявка с квиза 42: Анна');
  const byId = new Map(item.custom_fields_values!.map((v) => [v.field_id, v.values]));
  assert.deepEqual(byId.get(11), [{ value: 'перезвонить, вечером' }]);
  assert.deepEqual(byId.get(12), [{ enum_id: 121 }], 'a select answer is matched to the enum by value');
  assert.deepEqual(byId.get(13), [{ value: 1500.5 }]);
  assert.deepEqual(byId.get(14), [{ enum_id: 141 }, { enum_id: 142 }]);
  assert.deepEqual(byId.get(15), [{ value: true }]);
  assert.deepEqual(byId.get(16), [{ value: Date.UTC(2025, 11, 31) / 1000 }]);
  assert.deepEqual(byId.get(17), [{ value: 'yandex' }], 'UTM value goes into the field the rule names');
  assert.deepEqual(item._embedded?.tags, [{ id: 901 }]);
  const contact = item._embedded!.contacts![0] as {
    name: string;
    custom_fields_values: Array<{ field_id: number; values: unknown }>;
    _embedded: unknown;
  };
  assert.equal(contact.name, 'Анна');
  const cv = new Map(contact.custom_fields_values.map((v) => [v.field_id, v.values]));
  assert.deepEqual(cv.get(21), [{ value: '+79990000001', enum_code: 'WORK' }]);
  assert.deepEqual(cv.get(22), [{ value: 'a@example.com', enum_code: 'WORK' }]);
  assert.deepEqual(cv.get(23), [{ value: 'директор' }]);
  assert.deepEqual(contact._embedded, { tags: [{ id: 902 }] });
  assert.equal(item._embedded?.companies, undefined, 'no company without company field rules');
});

test('impossible values are reported as warnings and the rest of the lead is kept', () => {
  const { item, warnings } = buildLead(
    {
      quizId: 42,
      resultId: 'r2',
      answers: [
        { questionId: 2, value: 'Выставка' },
        { questionId: 3, value: 'много' },
        { questionId: 1, value: 'ok' },
      ],
    },
    rule(),
    cache(),
  );
  assert.equal(warnings.length, 2, warnings.join(' | '));
  assert.match(warnings[0]!, /вопрос 2/);
  assert.match(warnings[0]!, /Выставка/);
  assert.match(warnings[1]!, /вопрос 3/);
  assert.deepEqual(item.custom_fields_values, [{ field_id: 11, values: [{ value: 'ok' }] }]);
});

test('a company is created when the rule maps company fields; two answers to one text field are joined', () => {
  const r = rule({ fieldsRule: { lead: [{ '1': 11 }, { '2': 11 }], contact: [], company: [{ '9': 31 }], customer: [] } });
  const { item } = buildLead(
    {
      quizId: 42,
      resultId: 'r3',
      answers: [
        { questionId: 1, value: 'a' },
        { questionId: 2, value: 'b' },
        { questionId: 9, value: 'Москва' },
      ],
      contact: { name: 'Иван', company: 'ООО Ромашка' },
    },
    r,
    cache(),
  );
  assert.deepEqual(item.custom_fields_values, [{ field_id: 11, values: [{ value: 'a\nb' }] }]);
  const company = item._embedded!.companies![0] as { name: string; custom_fields_values: unknown; _embedded: unknown };
  assert.equal(company.name, 'ООО Ромашка');
  assert.deepEqual(company.custom_fields_values, [{ field_id: 31, values: [{ value: 'Москва' }] }]);
  assert.deepEqual(company._embedded, { tags: [{ id: 903 }] });
});

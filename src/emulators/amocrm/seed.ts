// The data a fresh emulated account starts with: what a real amoCRM account looks like after some setup
// (users incl. an inactive one, a main + second + archived pipeline with system statuses, custom fields of
// every common type, PHONE/EMAIL multitext, UTM fields on leads, and a few tags per entity type).
import { AccountState, type EmulatorStore } from './store.js';
import type { CustomField, CustomFieldType, EntityType, Pipeline, Status } from './types.js';

export const WON_STATUS_ID = 142;
export const LOST_STATUS_ID = 143;

export const PHONE_ENUM_CODES = ['WORK', 'WORKDD', 'MOB', 'FAX', 'HOME', 'OTHER'] as const;
export const EMAIL_ENUM_CODES = ['WORK', 'PRIV', 'OTHER'] as const;

export interface NewAccount {
  subdomain: string;
  id?: number;
  name?: string;
}

interface FieldSeed {
  name: string;
  type: CustomFieldType;
  code?: string;
  enums?: readonly string[];
  predefined?: boolean;
}

const COMMON_FIELDS: readonly FieldSeed[] = [
  { name: 'Комментарий', type: 'textarea' },
  { name: 'Сайт', type: 'url' },
  { name: 'Количество', type: 'numeric' },
  { name: 'Согласие на рассылку', type: 'checkbox' },
  { name: 'Источник', type: 'select', enums: ['Сайт', 'Звонок', 'Выставка'] },
  { name: 'Интересы', type: 'multiselect', enums: ['Доставка', 'Таможня', 'Склад'] },
  { name: 'Дата встречи', type: 'date' },
  { name: 'Время звонка', type: 'date_time' },
  { name: 'Канал', type: 'radiobutton', enums: ['Email', 'Телефон'] },
  { name: 'Примечание', type: 'text' },
];

const FIELDS: Record<EntityType, readonly FieldSeed[]> = {
  leads: [
    ...COMMON_FIELDS,
    { name: 'utm_source', type: 'text', code: 'UTM_SOURCE', predefined: true },
    { name: 'utm_medium', type: 'text', code: 'UTM_MEDIUM', predefined: true },
    { name: 'utm_campaign', type: 'text', code: 'UTM_CAMPAIGN', predefined: true },
    { name: 'utm_content', type: 'text', code: 'UTM_CONTENT', predefined: true },
    { name: 'utm_term', type: 'text', code: 'UTM_TERM', predefined: true },
  ],
  contacts: [
    { name: 'Должность', type: 'text', code: 'POSITION', predefined: true },
    { name: 'Телефон', type: 'multitext', code: 'PHONE', enums: PHONE_ENUM_CODES, predefined: true },
    { name: 'Email', type: 'multitext', code: 'EMAIL', enums: EMAIL_ENUM_CODES, predefined: true },
    ...COMMON_FIELDS,
  ],
  companies: [
    { name: 'Телефон', type: 'multitext', code: 'PHONE', enums: PHONE_ENUM_CODES, predefined: true },
    { name: 'Email', type: 'multitext', code: 'EMAIL', enums: EMAIL_ENUM_CODES, predefined: true },
    { name: 'Web', type: 'url', code: 'WEB', predefined: true },
    { name: 'Адрес', type: 'textarea', code: 'ADDRESS', predefined: true },
    ...COMMON_FIELDS,
  ],
};

const TAGS: Record<EntityType, readonly string[]> = {
  leads: ['quiz', 'vip', 'повторная'],
  contacts: ['партнёр', 'vip'],
  companies: ['поставщик', 'клиент'],
};

const PIPELINES: ReadonlyArray<{ name: string; main: boolean; archive: boolean; stages: readonly string[] }> = [
  {
    name: 'Воронка',
    main: true,
    archive: false,
    stages: ['Первичный контакт', 'Переговоры', 'Принимают решение', 'Согласование договора'],
  },
  { name: 'Партнёры', main: false, archive: false, stages: ['Новый партнёр', 'Подписание'] },
  { name: 'Старая воронка', main: false, archive: true, stages: ['Этап 1'] },
];

export function seedAccount(store: EmulatorStore, spec: NewAccount): AccountState {
  if (store.accounts.has(spec.subdomain)) throw new Error(`account "${spec.subdomain}" already exists`);
  if (spec.id !== undefined && store.accountById(spec.id)) throw new Error(`account id ${spec.id} already exists`);
  let id = spec.id ?? store.ids.take('account');
  while (spec.id === undefined && store.accountById(id)) id = store.ids.take('account'); // skip ids given explicitly
  const account = new AccountState(id, spec.subdomain, spec.name ?? `Account ${spec.subdomain}`, store.clock.nowSeconds() - 86_400 * 365);
  const users: Array<[string, boolean, boolean]> = [
    ['Администратор', true, true],
    ['Менеджер Иванов', false, true],
    ['Менеджер Петрова', false, true],
    ['Уволенный Сидоров', false, false],
  ];
  for (const [name, isAdmin, isActive] of users) {
    const userId = store.ids.take('user');
    account.users.push({ id: userId, name, email: `user${userId}@${spec.subdomain}.example`, lang: 'ru', isAdmin, isActive });
  }
  PIPELINES.forEach((p, i) => account.pipelines.push(seedPipeline(store, p, i)));
  for (const type of ['leads', 'contacts', 'companies'] as const) {
    FIELDS[type].forEach((f, i) => account.customFields[type].push(seedField(store, type, f, i)));
    for (const name of TAGS[type]) {
      const tagId = store.ids.take('tag');
      account.tags[type].set(tagId, { id: tagId, name, color: null });
    }
  }
  store.accounts.set(account.subdomain, account);
  return account;
}

function seedPipeline(store: EmulatorStore, spec: (typeof PIPELINES)[number], index: number): Pipeline {
  const id = store.ids.take('pipeline');
  const statuses: Status[] = [
    { id: store.ids.take('status'), name: 'Неразобранное', sort: 10, is_editable: false, pipeline_id: id, color: '#c1c1c1', type: 1 },
    ...spec.stages.map((name, i): Status => ({
      id: store.ids.take('status'),
      name,
      sort: 20 + i * 10,
      is_editable: true,
      pipeline_id: id,
      color: '#99ccff',
      type: 0,
    })),
    { id: WON_STATUS_ID, name: 'Успешно реализовано', sort: 10_000, is_editable: false, pipeline_id: id, color: '#CCFF66', type: 0 },
    { id: LOST_STATUS_ID, name: 'Закрыто и не реализовано', sort: 11_000, is_editable: false, pipeline_id: id, color: '#D5D8DB', type: 0 },
  ];
  return { id, name: spec.name, sort: (index + 1) * 100, is_main: spec.main, is_unsorted_on: true, is_archive: spec.archive, statuses };
}

export function seedField(store: EmulatorStore, type: EntityType, spec: FieldSeed, index: number): CustomField {
  return {
    id: store.ids.take('field'),
    name: spec.name,
    type: spec.type,
    code: spec.code ?? null,
    sort: (index + 1) * 10,
    entity_type: type,
    is_predefined: spec.predefined ?? false,
    is_api_only: false,
    enums: spec.enums ? spec.enums.map((value, i) => ({ id: store.ids.take('enum'), value, sort: (i + 1) * 2 })) : null,
  };
}

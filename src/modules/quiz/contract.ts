// Seed 003 as TypeBox schemas: the same field names (ID, AmoID, AccountID, Deleted, CreatedAt…), list shape
// {count, items} and plain-string answers. These schemas validate requests, serialise responses and generate
// the OpenAPI document; the test suite checks our answers against the seed's own YAML.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { IdInteger, LineString, StringEnum } from '../../platform/http/schema-types.js';

const Id = (description: string) => Type.Integer({ description });
const Timestamp = Type.Integer({ description: 'Unix-время создания записи в нашей системе, секунды' });

/** The seed's components/responses: every answer other than data is a JSON string. */
export const Text = (description: string) => Type.String({ description });
export const Success = Text('Success');
export const ErrorText = (description: string) => Text(`${description} (текст ошибки; код — в заголовке x-error-code)`);

export const ConnectAccountResp = Type.Object({ link: Type.String({ description: 'ссылка для авторизации в амо' }) });

/** GET /account answers the seed's User schema; the GetCurrentAccountResp names (AmocrmID, AmoUserID) are added. */
export const User = Type.Object({
  ID: Id('айдишник в нашей системе Primary Key'),
  AccountID: Type.String({ description: 'id аккаунта квиза из токена' }),
  AmoID: Id('айдишник пользователя в амо (для GET /account — id аккаунта амо)'),
  Name: Type.String(),
  Email: Type.String(),
  Role: Type.String(),
  Group: Type.Integer(),
  Deleted: Type.Boolean(),
  CreatedAt: Timestamp,
  Subdomain: Type.Optional(Type.String({ description: 'поддомен организации' })),
  Amoiserid: Type.Optional(Type.Integer({ description: 'id в amo пользователя который подключал интеграцию' })),
  Country: Type.Optional(Type.String()),
  AmocrmID: Type.Optional(Type.Integer({ description: 'id аккаунта в амо' })),
  AmoUserID: Type.Optional(Type.Integer({ description: 'id пользователя, который подключал интеграцию' })),
});

export const Pipeline = Type.Object({
  ID: Id('айдишник в нашей системе Primary Key'),
  AmoID: Id('айдишник воронки в амо'),
  AccountID: Id('id аккаунта в амо'),
  Name: Type.String(),
  IsArchive: Type.Boolean(),
  Deleted: Type.Boolean(),
  CreatedAt: Timestamp,
});

export const Step = Type.Object({
  ID: Id('айдишник в нашей системе Primary Key'),
  AmoID: Id('айдишник шага воронки в амо'),
  PipelineID: Id('айдишник воронки в амо'),
  AccountID: Id('id аккаунта в амо'),
  Name: Type.String(),
  Color: Type.String(),
  Deleted: Type.Boolean(),
  CreatedAt: Timestamp,
});

export const Field = Type.Object({
  ID: Id('айдишник в нашей системе Primary Key'),
  AmoID: Id('айдишник кастомного поля в амо'),
  Code: Type.String(),
  AccountID: Id('id аккаунта в амо'),
  Name: Type.String(),
  EntityType: Type.String({ description: 'leads | contacts | companies | customers' }),
  Type: Type.String({ description: 'тип поля амо: text, numeric, select, multiselect, date…' }),
  Deleted: Type.Boolean(),
  CreatedAt: Timestamp,
});

export const Tag = Type.Object({
  ID: Id('айдишник в нашей системе Primary Key (его указывают в TagsToAdd)'),
  AmoID: Id('айдишник тега в амо'),
  AccountID: Id('id аккаунта в амо'),
  Entity: Type.String({ description: 'leads | contacts | companies | customers' }),
  Name: Type.String(),
  Color: Type.String(),
  Deleted: Type.Boolean(),
  CreatedAt: Timestamp,
});

const List = <T extends TSchema>(item: T, what: string) =>
  Type.Object({ count: Type.Integer({ description: `общее количество ${what}` }), items: Type.Array(item) });

export const UserListResp = List(User, 'юзеров');
export const UserListPipelinesResp = List(Pipeline, 'воронок');
export const UserListStepsResp = List(Step, 'шагов воронок');
export const UserListFieldsResp = List(Field, 'кастомных полей');
export const UserListTagsResp = List(Tag, 'тегов');

/** Pages past this are refused: the OFFSET stays far inside int8 and no cache is that long. */
export const MAX_PAGE = 1_000_000;
/** A larger size is read as 100 (the seed's cap); this bound only keeps the number sane. */
const MAX_SIZE_ASKED = 1_000_000;
// Pagination is the same in quiz and tracking: page 0 (the seed's default) is the first page, a size over 100 is
// read as 100; negative and zero sizes are 400s.
const pageDoc = `Номер страницы, с 1; не указан или 0 — первая страница; не больше ${MAX_PAGE}`;
/** Query strings are closed: an unknown parameter is a 400 naming it (as in tracking), not a silently ignored one. */
const CLOSED_QUERY = { additionalProperties: false, description: 'Неизвестные параметры запроса — 400 с именем параметра' };
export const PaginationQuery = Type.Object(
  {
    page: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_PAGE, description: pageDoc, examples: [1] })),
    size: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_SIZE_ASKED,
        description: 'Размер страницы, по умолчанию 25; больше 100 — читается как 100',
        examples: [25],
      }),
    ),
  },
  CLOSED_QUERY,
);
export const StepsQuery = Type.Object(
  {
    pipelineID: Type.Optional(IdInteger({ description: 'id воронки (amoCRM), которой принадлежат шаги; обязателен', examples: [123] })),
    page: PaginationQuery.properties.page,
    size: PaginationQuery.properties.size,
  },
  CLOSED_QUERY,
);
export type Pagination = Static<typeof PaginationQuery>;

/** The UTM names a lead map may use as a key (the values quiz results carry in `utm`). */
export const UTM_KEYS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'] as const;

/**
 * The seed's FieldRule: "a map whose keys are QuestionID and values the custom field id". Keys are question ids;
 * in lead rules a key may also be one of UTM_KEYS whose value goes into that field. Any other key is refused
 * (additionalProperties: false) with its name: a map key we would never read must not be stored as if it worked
 * (`{"phone": 900017}` was answered "Success" and then ignored).
 */
export const FieldRule = Type.Record(Type.String({ pattern: `^(\\d+|${UTM_KEYS.join('|')})$` }), IdInteger(), {
  additionalProperties: false,
  description:
    'Мапа: ключ — QuestionID (или utm_source/utm_medium/utm_campaign/utm_content/utm_term для сделки), значение — id кастомного поля в амо. Другие ключи — 400 с именем ключа',
  examples: [{ '101': 5001, utm_source: 5010 }],
});
/** Contact, company and customer maps: question ids only (UTM values go to the lead). */
export const ContactRules = Type.Record(Type.String({ pattern: '^\\d+$' }), IdInteger(), {
  additionalProperties: false,
  description: 'Мапа: ключ — QuestionID (только цифры), значение — id кастомного поля в амо. Другие ключи — 400 с именем ключа',
  examples: [{ '103': 9101 }],
});

const TagIds = (entity: string) =>
  Type.Optional(Type.Array(IdInteger(), { maxItems: 1000, description: `Массив ID тегов для ${entity}, теги с id который наш Primary` }));
export const TagsToAdd = Type.Object(
  { Lead: TagIds('Leads'), Contact: TagIds('Contacts'), Company: TagIds('Company'), Customer: TagIds('Customer') },
  { additionalProperties: false, examples: [{ Lead: [101, 102], Contact: [201] }] },
);

const maps = <T extends TSchema>(item: T, description: string) => Type.Optional(Type.Array(item, { maxItems: 100, description }));
const LEAD_MAPS = 'правила заполнения полей сделки';
const CONTACT_MAPS = 'правила заполнения полей контакта';
const COMPANY_MAPS = 'правила заполнения полей компании (компания создаётся, если правила есть)';
const CUSTOMER_MAPS = 'правила для покупателя: не поддерживаются (непустой массив — 400 с причиной)';
/**
 * The seed writes `Fieldsrule` with `Lead…`; our GET answers `FieldsRule` with `lead…`. Both spellings of the
 * object and of its keys are accepted, so a rule read with GET can be sent back with PATCH as it is (giving one
 * part in both spellings is a 400). Nothing else is accepted.
 */
export const FieldsRuleReq = Type.Object(
  {
    Lead: maps(FieldRule, LEAD_MAPS),
    Contact: maps(ContactRules, CONTACT_MAPS),
    Company: maps(ContactRules, COMPANY_MAPS),
    Customer: maps(ContactRules, CUSTOMER_MAPS),
    lead: maps(FieldRule, `${LEAD_MAPS} (написание ответа GET)`),
    contact: maps(ContactRules, `${CONTACT_MAPS} (написание ответа GET)`),
    company: maps(ContactRules, `${COMPANY_MAPS} (написание ответа GET)`),
    customer: maps(ContactRules, `${CUSTOMER_MAPS} (написание ответа GET)`),
  },
  { additionalProperties: false },
);
export type FieldsRuleReq = Static<typeof FieldsRuleReq>;

const readOnly = (schema: TSchema) =>
  Type.Optional({ ...schema, description: `только чтение: принимается (чтобы ответ GET можно было отправить обратно), не меняется` });

export const RulesReq = Type.Object(
  {
    PerformerID: Type.Optional(IdInteger({ description: 'id ответственного (пользователь amoCRM); обязателен при создании' })),
    PipelineID: Type.Optional(IdInteger({ description: 'id воронки amoCRM; обязателен при создании' })),
    StepID: Type.Optional(IdInteger({ description: 'id этапа amoCRM в этой воронке; обязателен при создании' })),
    Fieldsrule: Type.Optional({ ...FieldsRuleReq, description: 'правила заполнения полей (написание сида)' }),
    FieldsRule: Type.Optional({ ...FieldsRuleReq, description: 'то же, написание ответа GET; вместе с Fieldsrule — 400' }),
    TagsToAdd: Type.Optional(TagsToAdd),
    ID: readOnly(IdInteger()),
    AccountID: readOnly(IdInteger()),
    QuizID: readOnly(IdInteger()),
    Deleted: readOnly(Type.Boolean()),
    CreatedAt: readOnly(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
    Status: readOnly(StringEnum(['pending', 'ready', 'broken'])),
    Problems: readOnly(Type.Array(LineString({ maxLength: 2000 }), { maxItems: 1000 })),
  },
  {
    additionalProperties: false,
    description: 'Поля вне этого списка — 400 с именем поля. Ответ GET можно отправить обратно целиком: поля только для чтения не меняются',
  },
);
export type RulesReq = Static<typeof RulesReq>;

export const Rule = Type.Object({
  ID: Id('айдишник в нашей системе Primary Key'),
  AccountID: Id('id аккаунта в амо'),
  QuizID: Id('айдишник опроса'),
  PerformerID: Type.Integer(),
  PipelineID: Type.Integer(),
  StepID: Type.Integer(),
  FieldsRule: Type.Object({
    lead: Type.Array(FieldRule),
    contact: Type.Array(ContactRules),
    company: Type.Array(FieldRule),
    customer: Type.Array(FieldRule),
  }),
  TagsToAdd: Type.Object({
    Lead: Type.Array(Type.Integer()),
    Contact: Type.Array(Type.Integer()),
    Company: Type.Array(Type.Integer()),
    Customer: Type.Array(Type.Integer()),
  }),
  Deleted: Type.Boolean(),
  CreatedAt: Timestamp,
  Status: StringEnum(['pending', 'ready', 'broken'], {
    description: 'проверка правила по свежим данным amoCRM: pending — идёт, ready — готово, broken — см. Problems',
  }),
  Problems: Type.Array(Type.String()),
});
export type Rule = Static<typeof Rule>;

/** The path's quizID: a string in the seed, a positive integer of up to 16 digits to us (parseQuizId). */
export const QUIZ_ID_MAX_LENGTH = 16;
export const QuizIdParams = Type.Object({
  quizID: LineString({ minLength: 1, maxLength: QUIZ_ID_MAX_LENGTH, description: 'Id квиза (целое положительное число)' }),
});

/** The OAuth redirect's query (amoCRM's names); the connector reads it as is. */
export const OAuthRedirectQuery = Type.Object({
  code: Type.Optional(LineString({ maxLength: 4096, description: 'код авторизации (живёт 20 минут)' })),
  referer: Type.Optional(LineString({ maxLength: 500, description: 'домен аккаунта, например example.amocrm.ru' })),
  state: Type.Optional(LineString({ maxLength: 4096, description: 'state из ссылки POST /account' })),
  client_id: Type.Optional(LineString({ maxLength: 500 })),
  from_widget: Type.Optional(LineString({ maxLength: 500 })),
  error: Type.Optional(LineString({ maxLength: 500, description: 'access_denied, если пользователь отказал' })),
});
/** amoCRM's disconnect hook query: signature = hex HMAC-SHA256("client_id|account_id", client secret). */
export const DisconnectHookQuery = Type.Object({
  client_uuid: Type.Optional(LineString({ maxLength: 500 })),
  account_id: Type.Optional(LineString({ maxLength: 500 })),
  signature: Type.Optional(LineString({ maxLength: 500 })),
});

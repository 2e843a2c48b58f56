// The contract 1C calls, as TypeBox schemas: they validate requests, type the handlers and feed the OpenAPI
// document. Every answer is seed 001's envelope `{success, data, error}`.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { LineString, MAX_ID, NO_CONTROL_CHARS, NO_CONTROL_CHARS_BUT_WHITESPACE, Nullable } from '../../platform/http/schema-types.js';

export const TAG = '1c';

/** amoCRM account id: 1C sends it as a number or as a string of digits. */
export const AccountKey = Type.Unsafe<number | string>({
  type: ['integer', 'string'],
  minimum: 1,
  maximum: MAX_ID,
  maxLength: 16,
  pattern: '^[1-9][0-9]{0,15}$',
  description: 'id аккаунта amoCRM (число или строка цифр); равен логину HTTP Basic',
});

/** The 1C base's own id (a GUID or a name in 1C; a number is accepted too). */
export const BaseId = Type.Unsafe<number | string>({
  type: ['string', 'integer'],
  minLength: 1,
  maxLength: 100,
  minimum: 0,
  maximum: MAX_ID,
  pattern: NO_CONTROL_CHARS,
  description: 'id базы 1C',
});

const ids = { key: AccountKey, id_base: BaseId };
const Address = LineString({ minLength: 1, maxLength: 2000 });

export const CheckActiveQuery = Type.Object(ids, { additionalProperties: false });
export const BaseRef = Type.Object(ids);

export const SaveBase = Type.Object({
  ...ids,
  web_address: { ...Address, description: 'ссылка на HTTP-обработчики 1C (http/https)' },
  url_address: { ...Address, description: 'ссылка на сервер 1C (http/https)' },
  param1: LineString({ minLength: 1, maxLength: 200, description: 'логин 1C' }),
  param2: Type.String({ minLength: 1, maxLength: 200, pattern: NO_CONTROL_CHARS, description: 'пароль 1C' }),
});

/** One mapped field: an amoCRM custom field id, or the code of a built-in field (name, PHONE, price…). */
export const FieldTarget = Type.Unsafe<number | string>({
  type: ['integer', 'string'],
  minimum: 1,
  maximum: MAX_ID,
  minLength: 1,
  maxLength: 100,
  pattern: NO_CONTROL_CHARS,
  description: 'id поля amoCRM или код встроенного поля',
});
export const MAX_MAPPED_FIELDS = 200;
/** Names of 1C fields: letters (Latin or Cyrillic), digits and _, as 1C attribute names are. */
export const FIELD_NAME = '^[A-Za-zА-Яа-яЁё_][A-Za-zА-Яа-яЁё0-9_]{0,99}$';

/** Seed §2.7: key, id_base and the passed fields at the top level — each 1C field name → its amoCRM field. */
export const SaveFields = Type.Object(ids, {
  additionalProperties: FieldTarget,
  propertyNames: { pattern: FIELD_NAME },
  maxProperties: MAX_MAPPED_FIELDS + 2,
  description: 'key, id_base и соответствие полей: «поле 1С»: id поля amoCRM (или код встроенного поля)',
  examples: [{ key: 29847561, id_base: 'buh-main', id_1c: 512345, link: 512347, p_inn: 'INN' }],
});

/** A handler package: JSON (object or array), or the text of one; bounded by BODY_LIMIT_BYTES as a whole. */
export const Handlers = Type.Unsafe<unknown>({
  type: ['object', 'array', 'string'],
  maxLength: 10_000_000,
  pattern: NO_CONTROL_CHARS_BUT_WHITESPACE,
  description: 'json с обработчиками 1C',
});

export const SetHandlers = Type.Object({ ...ids, handlers: Handlers });

/** The seed's envelope around `data`. */
export const Envelope = <T extends TSchema>(data: T, title: string) =>
  Type.Object({ success: Type.Boolean(), data, error: Nullable(Type.String()) }, { title });

export const OnecFailure = Type.Object(
  { success: Type.Boolean({ description: 'false' }), data: Type.Null(), error: Type.String({ description: 'сообщение на русском' }) },
  { title: 'OnecFailure' },
);

export const ActiveAnswer = Envelope(Type.Boolean(), 'OnecActive');
export const EmptyAnswer = Envelope(Type.Null(), 'OnecEmpty');
export const VersionAnswer = Envelope(Type.Object({ version: Type.Integer() }), 'OnecHandlersVersion');
export const HandlersAnswer = Envelope(
  Type.Object({ version: Type.Integer(), handlers: Type.Unknown({ description: 'json с обработчиками 1C' }) }),
  'OnecHandlers',
);

export type SaveBaseBody = Static<typeof SaveBase>;
export type BaseRefBody = Static<typeof BaseRef>;

/** The failures every authenticated call may answer (409: the account's amoCRM connection is gone). */
export const authFailures = { 400: OnecFailure, 401: OnecFailure, 403: OnecFailure, 409: OnecFailure, 429: OnecFailure };

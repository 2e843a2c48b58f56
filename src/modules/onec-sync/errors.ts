// The 1C sync module's closed error catalogue and its envelope. Seed 001 answers every call with
// `{success, data, error}`; a failure is `success: false, data: null` and `error` a Russian sentence 1C shows its
// user, with a 4xx status. Validation errors (ajv speaks English) are translated from their parameters.
import type { FastifyInstance } from 'fastify';
import { defineErrors, type ErrorRenderer, type RenderableError } from '../../platform/http/errors.js';
import { RUSSIAN, useErrorEnvelope } from '../../platform/http/error-handler.js';

export const onecError = defineErrors({
  AUTH_REQUIRED: {
    status: 401,
    message: 'Требуется авторизация HTTP Basic: логин — key (id аккаунта amoCRM), пароль — секрет интеграции',
  },
  AUTH_INVALID: { status: 401, message: 'Неверный key или секрет интеграции' },
  KEY_MISMATCH: { status: 403, message: 'key в запросе не совпадает с логином авторизации' },
  PUBLISHER_AUTH_INVALID: { status: 401, message: 'Неверные учётные данные публикатора обработчиков' },
  PUBLISHER_NOT_CONFIGURED: { status: 403, message: 'Публикация обработчиков на сервере не настроена' },
  RATE_LIMITED: { status: 429, message: 'Слишком много неудачных попыток авторизации, повторите позже' },
  BASE_NOT_FOUND: { status: 404, message: 'База 1С не подключена: сначала вызовите /onec/sync/base' },
  BAD_ADDRESS: { status: 400, message: 'Адрес должен быть ссылкой http:// или https://' },
  ADDRESS_FORBIDDEN: { status: 400, message: 'Адрес указывает на внутреннюю или локальную сеть' },
  ADDRESS_UNRESOLVED: { status: 400, message: 'Имя сервера в адресе не найдено' },
  BASE_CHECK_FAILED: { status: 424, message: 'Не удалось проверить соединение с 1С' },
  BAD_HANDLERS: { status: 400, message: 'Обработчики содержат недопустимый символ (U+0000 или одиночный суррогат)' },
  HANDLERS_NOT_FOUND: { status: 404, message: 'Обработчики 1С ещё не опубликованы' },
  SECRET_NOT_FOUND: { status: 404, message: 'Секрет интеграции для этого аккаунта не создан' },
  SECRET_EXISTS: { status: 409, message: 'Секрет интеграции уже создан: смените его (rotate)' },
});

export type OnecErrorCode = keyof typeof onecError.catalogue;

interface AjvDetail {
  readonly path?: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

/** One ajv error as a Russian phrase; unknown keywords keep ajv's own text. */
export function russianValidation(d: AjvDetail): string {
  const p = d.params ?? {};
  const path = (d.path ?? '').replace(/^\//, '').replace(/\//g, '.');
  const name = typeof p.missingProperty === 'string' ? (path ? `${path}.${p.missingProperty}` : p.missingProperty) : path;
  const at = name ? `поле «${name}»: ` : '';
  if (typeof p.missingProperty === 'string') return `отсутствует обязательное поле «${name}»`;
  if (typeof p.additionalProperty === 'string') return `лишнее поле «${p.additionalProperty}»`;
  if (typeof p.propertyName === 'string') return `недопустимое имя поля «${p.propertyName}»`;
  if (typeof p.type === 'string' || Array.isArray(p.type)) return `${at}ожидается тип ${[p.type].flat().join(' или ')}`;
  if (Array.isArray(p.allowedValues)) return `${at}допустимые значения: ${p.allowedValues.join(', ')}`;
  if (typeof p.comparison === 'string') return `${at}значение должно быть ${p.comparison} ${String(p.limit)}`;
  if (typeof p.limit === 'number' && /fewer|shorter/.test(d.message ?? '')) return `${at}не меньше ${p.limit}`;
  if (typeof p.limit === 'number' && /more|longer/.test(d.message ?? '')) return `${at}не больше ${p.limit}`;
  if (typeof p.pattern === 'string') return `${at}недопустимые символы или неверный формат`;
  if (typeof p.format === 'string') return `${at}ожидается формат ${p.format}`;
  return `${at}${d.message ?? 'некорректное значение'}`;
}

export const renderOnecError: ErrorRenderer = (e: RenderableError) => {
  const error =
    e.code === 'VALIDATION_FAILED' && Array.isArray(e.details)
      ? `Некорректный запрос: ${[...new Set((e.details as AjvDetail[]).map(russianValidation))].join('; ')}`
      : e.message;
  return { success: false, data: null, error };
};

export function useOnecEnvelope(app: FastifyInstance): void {
  useErrorEnvelope(app, renderOnecError, RUSSIAN);
}

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
  ACCOUNT_NOT_CONNECTED: {
    status: 409,
    message: 'Аккаунт amoCRM не подключён к хабу: подключите его для 1С (hub amocrm connect --for onec-sync) и повторите',
  },
  ACCOUNT_DISCONNECTED: { status: 409, message: 'Аккаунт amoCRM отключён от интеграции: подключите его заново' },
  WEBHOOK_TOKEN_INVALID: { status: 403, message: 'Неверная ссылка вебхука amoCRM' },
  ONEC_CALL_FAILED: { status: 502, message: 'Запрос в 1С не выполнен' },
  ENTITY_NOT_FOUND: { status: 404, message: 'Сущность amoCRM не найдена' },
  // The entity sync (§2.3–2.6).
  NAME_REQUIRED: { status: 400, message: 'Для новой записи amoCRM нужно имя (name)' },
  FIELD_REJECTED: { status: 400, message: 'Значение поля не подходит полю amoCRM' },
  INVALID_ORDER: { status: 400, message: 'Некорректный заказ' },
  LEAD_NOT_FOUND: { status: 404, message: 'Сделка не найдена: передайте id сделки amoCRM или id_1c связанного заказа' },
  AMO_REJECTED: { status: 422, message: 'amoCRM отклонил данные' },
  AMO_UNAVAILABLE: { status: 503, message: 'amoCRM временно недоступен, повторите запрос позже' },
  EVENT_IN_PROGRESS: { status: 409, message: 'Это событие уже обрабатывается, повторите запрос позже' },
});

export type OnecErrorCode = keyof typeof onecError.catalogue;

/** Validation errors arrive already in Russian (RUSSIAN: platform/http/validation-ru.ts), like every other error. */
export const renderOnecError: ErrorRenderer = (e: RenderableError) => ({ success: false, data: null, error: e.message });

export function useOnecEnvelope(app: FastifyInstance): void {
  useErrorEnvelope(app, renderOnecError, RUSSIAN);
}

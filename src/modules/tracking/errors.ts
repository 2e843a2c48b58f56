// The tracking module's closed error catalogue and its envelope: `{"detail": "..."}` in Russian, as the seed's
// own client code reads `error.detail`. Validation errors come in Russian from the platform's translation
// (platform/http/validation-ru.ts), like every Russian-facing module's.
import type { FastifyInstance } from 'fastify';
import { defineErrors, type ErrorRenderer, type RenderableError } from '../../platform/http/errors.js';
import { RUSSIAN, useErrorEnvelope } from '../../platform/http/error-handler.js';

export const trackingError = defineErrors({
  KEY_MISSING: { status: 401, message: 'Требуется API-ключ: заголовок X-API-Key: tb_…' },
  KEY_INVALID: { status: 401, message: 'Недействительный или отозванный API-ключ' },
  BOT_FORBIDDEN: { status: 403, message: 'Ключ не даёт доступа к этому боту' },
  BOT_INACTIVE: { status: 403, message: 'Бот отключён' },
  RATE_LIMITED: { status: 429, message: 'Слишком много запросов, повторите позже' },
  TRACKING_NOT_FOUND: { status: 404, message: 'Трек-номер не найден' },
  CLIENT_NOT_FOUND: { status: 404, message: 'Клиент не найден' },
  BOT_NOT_FOUND: { status: 404, message: 'Бот не найден' },
  KEY_NOT_FOUND: { status: 404, message: 'API-ключ не найден' },
  WEBHOOK_NOT_FOUND: { status: 404, message: 'Вебхук не найден' },
  DELIVERY_NOT_FOUND: { status: 404, message: 'Доставка вебхука не найдена' },
  DUPLICATE_TRACKING: { status: 409, message: 'Такой трек-номер у этого бота уже есть' },
  BOT_EXISTS: { status: 409, message: 'Бот с таким id уже существует' },
  INVALID_TRANSITION: { status: 409, message: 'Недопустимая смена статуса' },
  CORRECTION_NO_CHANGE: { status: 409, message: 'Трек-номер уже в этом статусе' },
  KEY_EXISTS: { status: 409, message: 'Такой ключ уже есть' },
  KEY_READ_ONLY: { status: 403, message: 'Ключ только для чтения (scope read): изменять данные им нельзя' },
  KEY_REVOKED: { status: 409, message: 'Ключ уже отозван' },
  EMPTY_UPDATE: { status: 400, message: 'Пустое тело: укажите хотя бы одно поле' },
  BAD_PERIOD: { status: 400, message: 'Некорректный период' },
  BAD_WEBHOOK_URL: { status: 400, message: 'Адрес вебхука должен быть http(s) URL' },
  TOTAL_TOO_LARGE: { status: 400, message: 'Стоимость (вес × цена за кг) больше допустимого максимума' },
});

export type TrackingErrorCode = keyof typeof trackingError.catalogue;

export const renderTrackingError: ErrorRenderer = (e: RenderableError) => {
  if (e.code === 'INVALID_TRANSITION' && e.details && typeof e.details === 'object') return { detail: e.message, ...(e.details as object) };
  return { detail: e.message };
};

export function useTrackingEnvelope(app: FastifyInstance): void {
  useErrorEnvelope(app, renderTrackingError, RUSSIAN);
}

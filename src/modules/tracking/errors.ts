// The tracking module's closed error catalogue and its envelope: `{"detail": "..."}` in Russian, as the seed's
// own client code reads `error.detail`. Validation errors are rendered in Russian too (ajv speaks English, so
// the common keywords are translated here from their parameters).
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
  KEY_REVOKED: { status: 409, message: 'Ключ уже отозван' },
  BAD_PERIOD: { status: 400, message: 'Некорректный период' },
  BAD_WEBHOOK_URL: { status: 400, message: 'Адрес вебхука должен быть http(s) URL' },
  TOTAL_TOO_LARGE: { status: 400, message: 'Стоимость (вес × цена за кг) больше допустимого максимума' },
});

export type TrackingErrorCode = keyof typeof trackingError.catalogue;

interface AjvDetail {
  readonly path?: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

function field(d: AjvDetail): string {
  const missing = d.params?.missingProperty;
  const path = (d.path ?? '').replace(/^\//, '').replace(/\//g, '.');
  return typeof missing === 'string' ? (path ? `${path}.${missing}` : missing) : path;
}

/** One ajv error as a Russian phrase; unknown keywords keep ajv's own text. */
function russian(d: AjvDetail): string {
  const p = d.params ?? {};
  const name = field(d);
  const at = name ? `поле «${name}»: ` : '';
  if (typeof p.missingProperty === 'string') return `отсутствует обязательное поле «${name}»`;
  if (typeof p.additionalProperty === 'string') return `лишнее поле «${p.additionalProperty}»`;
  if (typeof p.type === 'string') return `${at}ожидается тип ${p.type}`;
  if (Array.isArray(p.allowedValues)) return `${at}допустимые значения: ${p.allowedValues.join(', ')}`;
  if (p.allowedValue !== undefined) return `${at}допустимое значение: ${String(p.allowedValue)}`;
  if (typeof p.comparison === 'string') return `${at}значение должно быть ${p.comparison} ${String(p.limit)}`;
  if (typeof p.limit === 'number' && /fewer|shorter/.test(d.message ?? '')) return `${at}длина не меньше ${p.limit}`;
  if (typeof p.limit === 'number' && /more|longer/.test(d.message ?? '')) return `${at}длина не больше ${p.limit}`;
  if (typeof p.pattern === 'string' && p.pattern.includes('\\u0000'))
    return `${at}недопустимые символы (управляющие символы, U+0000 и одиночные суррогаты запрещены) или неверный формат`;
  if (typeof p.pattern === 'string') return `${at}значение не соответствует шаблону ${p.pattern}`;
  if (typeof p.format === 'string') return `${at}ожидается формат ${p.format}`;
  return `${at}${d.message ?? 'некорректное значение'}`;
}

export const renderTrackingError: ErrorRenderer = (e: RenderableError) => {
  if (e.code === 'VALIDATION_FAILED' && Array.isArray(e.details)) {
    return { detail: `Некорректный запрос: ${(e.details as AjvDetail[]).map(russian).join('; ')}` };
  }
  if (e.code === 'INVALID_TRANSITION' && e.details && typeof e.details === 'object') return { detail: e.message, ...(e.details as object) };
  return { detail: e.message };
};

export function useTrackingEnvelope(app: FastifyInstance): void {
  useErrorEnvelope(app, renderTrackingError, RUSSIAN);
}

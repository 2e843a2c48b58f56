// The customs module's closed error catalogue and its envelope (the seed names an `Error` schema for every 400 and
// 500 and leaves its shape to us): `{ success: false, error: { code, message, requestId, problems? } }`, in
// Russian. A refused ПТД lists each problem by the request field it concerns (`problems`), whether Ajv, the
// module's own checks or the XSD found it.
import type { FastifyInstance, FastifySchemaValidationError } from 'fastify';
import { defineErrors, type ErrorRenderer } from '../../platform/http/errors.js';
import { RUSSIAN, useErrorEnvelope } from '../../platform/http/error-handler.js';
import { russianValidation, russianValidationError } from '../../platform/http/validation-ru.js';

export const customsError = defineErrors({
  TOKEN_MISSING: {
    status: 401,
    message: 'Требуется токен источника: заголовок X-Hub-Token, Authorization: Bearer <токен> или параметр ?token=',
  },
  TOKEN_INVALID: { status: 401, message: 'Недействительный токен источника' },
  RATE_LIMITED: { status: 429, message: 'Слишком много неудачных попыток авторизации, повторите позже' },
  VALIDATION_FAILED: { status: 400, message: 'Некорректный запрос' },
  PTD_INVALID: { status: 400, message: 'По этим данным нельзя сформировать ПТД' },
  ALBUM_UNKNOWN: { status: 400, message: 'Эта версия альбома форматов ФТС на сервере не установлена' },
  TOKEN_EXISTS: { status: 409, message: 'Токен этого источника уже создан: смените его (rotate)' },
  TOKEN_NOT_FOUND: { status: 404, message: 'Токен этого источника не создан' },
  ACCOUNT_NOT_CONNECTED: {
    status: 409,
    message: 'Аккаунт amoCRM не подключён: подключите его для customs (hub amocrm connect --for customs)',
  },
  MAPPING_INVALID: { status: 400, message: 'Настройку статуса нельзя сохранить' },
  MAPPING_NOT_FOUND: { status: 404, message: 'Для этого статуса настройки нет' },
  ONEC_BASE_NOT_SET: { status: 404, message: 'Для этого аккаунта amoCRM не настроена база 1С (hub customs onec set)' },
  ONEC_ADDRESS_REFUSED: { status: 400, message: 'Адрес базы 1С (web_address) не принят' },
});

export type CustomsErrorCode = keyof typeof customsError.catalogue;

/** One reason a request was refused (or, in `warnings`, flagged), tied to its field: `vehicles.items.0.vin`. */
export interface Problem {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

/**
 * Details as problems: ours already are; the platform's validation details (the JSON nesting limit, checked before
 * any schema) are `{path, message}`.
 */
function problemsOf(details: unknown): Problem[] {
  if (!Array.isArray(details)) return [];
  return details.map((d: { field?: unknown; code?: unknown; path?: unknown; message?: unknown }) =>
    typeof d.field === 'string' && typeof d.code === 'string'
      ? { field: d.field, code: d.code, message: String(d.message) }
      : {
          field: String(d.path ?? '')
            .replace(/^\//, '')
            .replace(/\//g, '.'),
          code: 'SCHEMA',
          message: String(d.message ?? ''),
        },
  );
}

export const renderCustomsError: ErrorRenderer = (e) => {
  const problems = problemsOf(e.details);
  return { success: false, error: { code: e.code, message: e.message, requestId: e.requestId, ...(problems.length ? { problems } : {}) } };
};

/** `/vehicles/items/0/vin` (+ a missing or extra property) → `vehicles.items.0.vin`, as validation-ru.ts names fields. */
function fieldOf(e: FastifySchemaValidationError): string {
  const path = (e.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const params = e.params as { missingProperty?: unknown; additionalProperty?: unknown } | undefined;
  const named = params?.missingProperty ?? params?.additionalProperty;
  return typeof named === 'string' ? (path ? `${path}.${named}` : named) : path;
}

/** Ajv's errors (all of them: the routes compile with allErrors) as one error listing each field. */
export function validationFailed(errors: readonly FastifySchemaValidationError[]) {
  const problems: Problem[] = errors
    .filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf')
    .map((e) => ({ field: fieldOf(e), code: `SCHEMA_${e.keyword.toUpperCase()}`, message: russianValidationError(e) }));
  return customsError('VALIDATION_FAILED', RUSSIAN.validation(russianValidation(errors)), problems);
}

export function useCustomsEnvelope(app: FastifyInstance): void {
  useErrorEnvelope(app, renderCustomsError, RUSSIAN);
  app.setSchemaErrorFormatter((errors) => validationFailed(errors));
}

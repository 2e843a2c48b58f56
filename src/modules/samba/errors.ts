// The SAMBA module's closed error catalogue and its envelope. Seed 002 answers every call with
// `{status, message, result}`; a failure is `status: "error"` with a Russian message and a 4xx status. Where the seed
// shows it, `result` carries the record the failure is about (the advertiser or campaign that already exists, the
// payment documents that block a deletion); otherwise it is null. Validation errors arrive already in Russian.
import type { FastifyInstance } from 'fastify';
import { defineErrors, type ErrorRenderer } from '../../platform/http/errors.js';
import { RUSSIAN, useErrorEnvelope } from '../../platform/http/error-handler.js';

export const sambaError = defineErrors({
  AUTH_REQUIRED: { status: 401, message: 'Требуется авторизация HTTP Basic' },
  AUTH_INVALID: { status: 401, message: 'Неверный логин или пароль' },
  RATE_LIMITED: { status: 429, message: 'Слишком много неудачных попыток авторизации, повторите позже' },
  BAD_INN: { status: 400, message: 'Некорректный ИНН' },
  BAD_KPP: { status: 400, message: 'Некорректный КПП' },
  BAD_DATE: { status: 400, message: 'Некорректная дата' },
  BAD_AMOUNT: { status: 400, message: 'Некорректная сумма' },
  REQUIRED: { status: 400, message: 'Не заполнены обязательные параметры' },
  NOT_FOUND: { status: 404, message: 'Запись не найдена' },
  AMBIGUOUS: { status: 409, message: 'Найдено несколько записей: уточните параметры' },
  EXISTS: { status: 409, message: 'Запись уже существует' },
  CONFLICT: { status: 409, message: 'Противоречивые параметры' },
  IN_USE: { status: 409, message: 'На запись ссылаются другие записи. Удаление невозможно' },
  HAS_DOCUMENTS: { status: 409, message: 'Найдены документы по счету. Удаление невозможно' },
  BAD_IMPORT: { status: 400, message: 'Файл импорта не читается' },
  BAD_STATEMENT: { status: 400, message: 'Файл не является выпиской в формате 1CClientBankExchange' },
  USER_EXISTS: { status: 409, message: 'Пользователь уже существует' },
  USER_NOT_FOUND: { status: 404, message: 'Пользователь не найден' },
});

export type SambaErrorCode = keyof typeof sambaError.catalogue;

/** The codes whose `details` is the record the failure is about; it becomes `result`. */
const CARRY_RESULT = new Set<string>(['EXISTS', 'HAS_DOCUMENTS', 'AMBIGUOUS']);

export const renderSambaError: ErrorRenderer = (e) => ({
  status: 'error',
  message: e.message,
  result: CARRY_RESULT.has(e.code) && e.details !== undefined ? e.details : null,
});

export function useSambaEnvelope(app: FastifyInstance): void {
  useErrorEnvelope(app, renderSambaError, RUSSIAN);
}

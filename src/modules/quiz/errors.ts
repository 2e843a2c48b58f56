// The quiz module's closed error catalogue and its envelope. Seed 003 answers errors with a bare JSON string
// (`"Unauthorized"`…); we keep that shape with Russian human-readable text. The machine-readable code travels in
// the `x-error-code` header, so clients need not parse the text.
import type { FastifyInstance } from 'fastify';
import { defineErrors, type ErrorRenderer } from '../../platform/http/errors.js';
import { RUSSIAN, useErrorEnvelope } from '../../platform/http/error-handler.js';

export const quizError = defineErrors({
  UNAUTHORIZED: { status: 401, message: 'Требуется авторизация: заголовок Authorization: Bearer <JWT квиза>' },
  BAD_TOKEN: { status: 401, message: 'Недействительный токен авторизации' },
  AUTH_NOT_CONFIGURED: { status: 401, message: 'Проверка токенов не настроена (QUIZ_JWT_SECRET или QUIZ_JWT_PUBLIC_KEY)' },
  ACCOUNT_NOT_CONNECTED: { status: 404, message: 'Аккаунт amoCRM не подключён' },
  RULE_NOT_FOUND: { status: 404, message: 'Правило для этого квиза не найдено' },
  RESULT_NOT_FOUND: { status: 404, message: 'Результат квиза не найден' },
  RULE_EXISTS: { status: 409, message: 'Правило для этого квиза уже существует, измените его методом PATCH' },
  BAD_QUIZ_ID: { status: 400, message: 'quizID должен быть целым положительным числом' },
  RULE_INVALID: { status: 400, message: 'Правило ссылается на данные, которых нет в amoCRM' },
  RESULTS_INVALID: { status: 400, message: 'Результаты квиза не приняты' },
  PIPELINE_REQUIRED: { status: 400, message: 'Параметр pipelineID обязателен' },
  AUTHORIZATION_FAILED: { status: 400, message: 'Не удалось подключить аккаунт amoCRM' },
  BAD_SIGNATURE: { status: 401, message: 'Неверная подпись запроса amoCRM' },
  AMO_NOT_CONFIGURED: { status: 503, message: 'Интеграция с amoCRM не настроена на сервере (AMO_CLIENT_ID, AMO_CLIENT_SECRET)' },
  AMO_UNAVAILABLE: { status: 502, message: 'amoCRM временно недоступен, повторите позже' },
});

export type QuizErrorCode = keyof typeof quizError.catalogue;

/** The seed's envelope: the message as a JSON string (the content type is fixed by `useQuizEnvelope`). */
const renderQuizError: ErrorRenderer = (e) => JSON.stringify(e.message);

/** Installs the quiz envelope in the module's scope: a JSON string body plus the code in a header. */
export function useQuizEnvelope(app: FastifyInstance): void {
  useErrorEnvelope(app, renderQuizError, RUSSIAN, { codeHeader: 'x-error-code' });
  app.addHook('onSend', async (_req, reply, payload) => {
    // Fastify sends string payloads as text/plain; our strings are already JSON (seed: application/json).
    if (reply.statusCode >= 400 && String(reply.getHeader('content-type') ?? '').startsWith('text/plain')) {
      reply.type('application/json; charset=utf-8');
    }
    return payload;
  });
}

/** Sends one of the seed's plain-string answers ("Success") as JSON. */
export function jsonString(text: string): string {
  return JSON.stringify(text);
}

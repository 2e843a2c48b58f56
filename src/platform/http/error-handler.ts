// One error handler, many envelopes: each module registers it with its own renderer, so a quiz client gets the
// seed's plain strings, a tracking client `{detail}`, 1C `{success:false,…}`, and the admin API the platform
// envelope. Internal error text never leaves the process; it goes to the log with the request id.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HubError, type ErrorRenderer, type RenderableError } from './errors.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import { russianValidation } from './validation-ru.js';
import { methodsAllowed } from './route-methods.js';

/**
 * Retry-After of a 503 while the database is unreachable: the pool reconnects at the next request once it is back,
 * so a few seconds is the useful granularity (docs/operations.md, Outages).
 */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

interface Messages {
  readonly validation: (detail: string) => string;
  /** The validation errors as this language's detail; without it, Ajv's English text with where it was found. */
  readonly describe?: (errors: FastifyError['validation'] & object, part?: string) => string;
  readonly notFound: string;
  readonly methodNotAllowed: string;
  readonly tooLarge: string;
  readonly unsupportedMediaType: string;
  readonly badJson: string;
  readonly unavailable: string;
  readonly internal: string;
}

export const ENGLISH: Messages = {
  validation: (d) => `Invalid request: ${d}`,
  notFound: 'Not found',
  methodNotAllowed: 'Method not allowed for this path',
  tooLarge: 'Request body is too large',
  unsupportedMediaType: 'Unsupported content type',
  badJson: 'Request body is not valid JSON',
  unavailable: 'Service temporarily unavailable, retry later',
  internal: 'Internal server error',
};

export const RUSSIAN: Messages = {
  validation: (d) => `Некорректный запрос: ${d}`,
  describe: russianValidation,
  notFound: 'Не найдено',
  methodNotAllowed: 'Этот метод для этого адреса не поддерживается',
  tooLarge: 'Слишком большое тело запроса',
  unsupportedMediaType: 'Неподдерживаемый тип содержимого',
  badJson: 'Тело запроса не является корректным JSON',
  unavailable: 'Сервис временно недоступен, повторите запрос позже',
  internal: 'Внутренняя ошибка сервера',
};

export function toRenderable(
  err: FastifyError | HubError | Error,
  requestId: string,
  messages: Messages,
): RenderableError & { headers?: Record<string, string> } {
  if (err instanceof HubError) {
    return {
      status: err.status,
      code: err.code,
      message: err.message,
      details: err.details,
      requestId,
      ...(err.headers ? { headers: err.headers } : {}),
    };
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    const detail = fe.validation
      .map((v) => `${(v.instancePath || (v.params as { missingProperty?: string })?.missingProperty) ?? ''} ${v.message ?? ''}`.trim())
      .join('; ');
    const where = fe.validationContext ? `${fe.validationContext}` : 'request';
    return {
      status: 400,
      code: 'VALIDATION_FAILED',
      message: messages.validation(
        messages.describe ? messages.describe(fe.validation, fe.validationContext) : `${where} ${detail}`.trim(),
      ),
      details: fe.validation.map((v) => ({ path: v.instancePath, message: v.message, params: v.params })),
      requestId,
    };
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: messages.tooLarge, requestId };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: messages.unsupportedMediaType, requestId };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, code: 'BAD_REQUEST', message: messages.badJson, requestId };
  }
  if (err instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON') {
    return { status: 400, code: 'BAD_REQUEST', message: messages.badJson, requestId };
  }
  const status = fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500 ? fe.statusCode : 500;
  if (status < 500) return { status, code: fe.code ?? 'BAD_REQUEST', message: fe.message, requestId };
  if (isDatabaseUnavailable(err)) {
    return {
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: messages.unavailable,
      requestId,
      headers: { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
    };
  }
  return { status: 500, code: 'INTERNAL', message: messages.internal, requestId };
}

export interface EnvelopeOptions {
  /**
   * A response header that carries the error code, for envelopes whose body has no room for it (quiz answers a bare
   * string). Set on every error this scope answers: its own, validation, 404, 413/415, a database outage's 503, and
   * the router's 414 (framework-errors.ts hands those to this scope's handler).
   */
  readonly codeHeader?: string;
}

/** Installs the error and not-found handlers for one encapsulated context (a module or the platform). */
export function useErrorEnvelope(
  app: FastifyInstance,
  render: ErrorRenderer,
  messages: Messages = ENGLISH,
  opts: EnvelopeOptions = {},
): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const r = toRenderable(err, req.id, messages);
    if (opts.codeHeader) reply.header(opts.codeHeader, r.code);
    if (r.code === 'SERVICE_UNAVAILABLE') req.log.warn({ err }, 'request failed: database unavailable');
    else if (r.status >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ code: r.code, status: r.status }, 'request rejected');
    if (r.headers) reply.headers(r.headers);
    return reply.status(r.status).send(render(r));
  });
  app.setNotFoundHandler((req, reply) => {
    // A path routed for other methods: 405 with the ones it takes.
    const allowed = methodsAllowed(req);
    if (allowed.length) {
      if (opts.codeHeader) reply.header(opts.codeHeader, 'METHOD_NOT_ALLOWED');
      reply.header('allow', allowed.join(', '));
      return reply
        .status(405)
        .send(render({ status: 405, code: 'METHOD_NOT_ALLOWED', message: messages.methodNotAllowed, requestId: req.id }));
    }
    if (opts.codeHeader) reply.header(opts.codeHeader, 'NOT_FOUND');
    return reply.status(404).send(render({ status: 404, code: 'NOT_FOUND', message: messages.notFound, requestId: req.id }));
  });
}

// amoCRM's error shapes. The emulator's "domain" is amoCRM's wire format, so services throw AmoProblem
// (problem+json as amoCRM writes it) and the error handler sends it unchanged.
import type { FastifyReply } from 'fastify';

export const OAUTH_PROBLEM_TYPE = 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'ErrInternalServer',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export class AmoProblem extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.detail ?? body.title ?? status));
    this.name = 'AmoProblem';
  }
}

/** `{title, type: https://httpstatus.es/{code}, status, detail, ...extra}` */
export function problem(status: number, detail: string, extra: Record<string, unknown> = {}): AmoProblem {
  return new AmoProblem(status, { title: TITLES[status] ?? 'Error', type: `https://httpstatus.es/${status}`, status, detail, ...extra });
}

/** OAuth endpoint errors: the OAuthProblemJson type with a `hint`. */
export function oauthProblem(status: number, title: string, detail: string, hint?: string): AmoProblem {
  return new AmoProblem(status, { ...(hint ? { hint } : {}), title, type: OAUTH_PROBLEM_TYPE, status, detail });
}

export const unauthorized = (): AmoProblem => problem(401, 'Неверный логин или пароль');
export const notFound = (method: string, url: string): AmoProblem => problem(404, `Cannot ${method} ${url}`);

export interface FieldError {
  code: string;
  path: string;
  detail: string;
}

export const ERROR_DETAILS: Record<string, string> = {
  NotSupportedChoice: 'The value you selected is not a valid choice.',
  InvalidType: 'This value should be of another type.',
  NotBlank: 'This value should not be blank.',
  TooManyElements: 'This collection has too many elements.',
  NotFound: 'Entity not found.',
};

/** Collects `validation-errors` for a batch: one group per item, addressed by its request_id. */
export class ValidationErrors {
  private readonly groups: Array<{ request_id: string; errors: FieldError[] }> = [];

  add(requestId: string, code: string, path: string, detail = ERROR_DETAILS[code] ?? code): void {
    let group = this.groups.find((g) => g.request_id === requestId);
    if (!group) this.groups.push((group = { request_id: requestId, errors: [] }));
    group.errors.push({ code, path, detail });
  }

  get empty(): boolean {
    return this.groups.length === 0;
  }

  throwIfAny(): void {
    if (!this.empty) throw problem(400, 'Request validation failed', { 'validation-errors': this.groups });
  }
}

export function sendProblem(reply: FastifyReply, p: AmoProblem): FastifyReply {
  return reply.code(p.status).type('application/problem+json').send(JSON.stringify(p.body));
}

export function sendHal(reply: FastifyReply, body: unknown, status = 200): FastifyReply {
  return reply.code(status).type('application/hal+json').send(JSON.stringify(body));
}

/** amoCRM answers an empty list, search or page past the end with 204 and no body. */
export function sendEmpty(reply: FastifyReply): FastifyReply {
  return reply.code(204).send();
}

/** The bare nginx page users saw when amoCRM blocked their IP. */
export const NGINX_FORBIDDEN_HTML =
  '<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

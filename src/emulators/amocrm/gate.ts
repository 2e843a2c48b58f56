// amoCRM's side of the kit's request gate, in amoCRM's order: outage window and injected faults (the kit), then
// IP/token block (nginx HTML 403), rate limit (429), unpaid account (402). Faults look as amoCRM's do: gateway
// errors as nginx pages, the rest as problem+json; `answer_lost` lets a call land and loses its answer. The log
// entry names the account and the token's owner.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { registerGate } from '../kit/index.js';
import { NGINX_FORBIDDEN_HTML, problem, sendProblem } from './problem.js';
import { accountPath, type EmulatorRuntime } from './runtime.js';

const GATEWAY_HTML = (status: number, text: string) =>
  `<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
const GATEWAY_TEXT: Record<number, string> = { 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' };

function bearer(req: FastifyRequest): string | null {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
}

/**
 * amoCRM's fault catalogue. `answer_lost`: the request is carried out (leads are created) and then its answer is
 * lost — the connection drops, or with a `status` (e.g. 504) the gateway's error page comes back instead: the case
 * where a caller cannot know whether its write landed.
 */
export const AMO_FAULT_KINDS = ['answer_lost'] as const;
export type AmoFaultKind = (typeof AMO_FAULT_KINDS)[number];

/**
 * An injected status as amoCRM shows it: 5xx gateway errors as nginx pages, 429 as the rate limit's own refusal
 * (`retry_after` in the body: the limiter's fixed value, else 1 s, what its window asks for at most), 500 and
 * others as problem+json.
 */
function faultAnswer(rt: EmulatorRuntime, status: number, requestId: string): { type: string; body: string } {
  if (GATEWAY_TEXT[status]) return { type: 'text/html', body: GATEWAY_HTML(status, GATEWAY_TEXT[status]) };
  const { retryAfter } = rt.limiter.options;
  const p =
    status === 500
      ? problem(500, 'Internal server error', { title: 'ErrInternalServer', trace_id: requestId })
      : status === 429
        ? problem(429, 'Too many requests', { retry_after: typeof retryAfter === 'number' ? retryAfter : 1 })
        : problem(status, status === 402 ? 'Payment Required' : 'Injected fault');
  return { type: 'application/problem+json', body: JSON.stringify(p.body) };
}

function sendFault(rt: EmulatorRuntime, reply: FastifyReply, status: number): FastifyReply {
  const { type, body } = faultAnswer(rt, status, reply.request.id);
  return reply.code(status).type(type).send(body);
}

/** Block, rate limit and unpaid account: what amoCRM checks after its gateway lets a call through. */
function admit(rt: EmulatorRuntime, req: FastifyRequest, reply: FastifyReply, path: string): FastifyReply | void {
  if (!path.startsWith('/api/')) return; // the token endpoint is not rate limited
  const subdomain = accountPath(req.url).subdomain!;
  const token = bearer(req);
  const key = rt.limiter.options.key === 'ip' || !token ? `ip:${req.ip}` : `token:${token}`;
  const decision = rt.limiter.check(key, subdomain);
  if (decision.kind === 'blocked') return reply.code(403).type('text/html').send(NGINX_FORBIDDEN_HTML);
  if (decision.kind === 'limited') {
    if (rt.limiter.options.plainText429) return reply.code(429).type('text/plain').send('Too Many Requests');
    return sendProblem(reply, problem(429, 'Too many requests', { retry_after: decision.retryAfterSeconds }));
  }
  if (rt.store.account(subdomain)?.unpaid) return sendProblem(reply, problem(402, 'Payment Required'));
}

export function registerAmoGate(app: FastifyInstance, rt: EmulatorRuntime): void {
  registerGate(app, {
    clock: rt.clock,
    faults: rt.core.faults,
    requests: rt.core.requests,
    // Only account calls (`/{sub}/api/…`, `/{sub}/oauth2/…`) are amoCRM's API; the consent page is not.
    classify: (req) => {
      const { subdomain, path } = accountPath(req.url);
      return { path, api: subdomain !== null };
    },
    describe: (req) => {
      const token = bearer(req);
      const owner = token ? rt.oauth.peek(token) : undefined;
      return { subdomain: accountPath(req.url).subdomain, tokenAccountId: owner?.accountId ?? null, clientId: owner?.clientId ?? null };
    },
    // The only kind, `answer_lost`, is applied after the route (answerLost); other faults carry their status.
    renderFault: (reply, fault) => sendFault(rt, reply, fault.status ?? 500),
    answerLost: { kinds: AMO_FAULT_KINDS, answer: (status, req) => faultAnswer(rt, status, req.id) },
    admit: (req, reply, path) => admit(rt, req, reply, path),
    logBody: (path, body) => (path.includes('access_token') ? '[redacted]' : body),
  });
}

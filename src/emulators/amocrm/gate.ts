// What happens to an account request before any route runs, in amoCRM's order: outage window, injected faults,
// IP/token block (nginx HTML 403), rate limit (429), unpaid account (402). Also records every request in the log.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { NGINX_FORBIDDEN_HTML, problem, sendProblem } from './problem.js';
import { accountPath, type EmulatorRuntime } from './runtime.js';

const GATEWAY_HTML = (status: number, text: string) =>
  `<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
const GATEWAY_TEXT: Record<number, string> = { 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' };

function bearer(req: FastifyRequest): string | null {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
}

function dropConnection(rt: EmulatorRuntime, req: FastifyRequest, reply: FastifyReply): void {
  record(rt, req, 0);
  reply.hijack();
  req.raw.socket.destroy();
}

/** Sends an injected status: 5xx gateway errors as nginx pages, 500 and others as problem+json. */
function sendFault(reply: FastifyReply, status: number): FastifyReply {
  if (GATEWAY_TEXT[status]) return reply.code(status).type('text/html').send(GATEWAY_HTML(status, GATEWAY_TEXT[status]));
  if (status === 500)
    return sendProblem(reply, problem(500, 'Internal server error', { title: 'ErrInternalServer', trace_id: reply.request.id }));
  return sendProblem(reply, problem(status, status === 402 ? 'Payment Required' : 'Injected fault'));
}

/** When each request arrived: the log is about the rate amoCRM sees, so a slow handler must not shift it. */
const arrivals = new WeakMap<FastifyRequest, number>();

export function registerGate(app: FastifyInstance, rt: EmulatorRuntime): void {
  app.addHook('onRequest', async (req, reply) => {
    arrivals.set(req, Date.now());
    reply.header('x-request-id', req.id);
    const { subdomain, path } = accountPath(req.url);
    if (subdomain === null) return;

    const outage = rt.faults.currentOutage();
    if (outage === 'reset') return dropConnection(rt, req, reply);
    if (outage === '503') return sendFault(reply, 503);

    const fault = rt.faults.match(req.method, path);
    if (fault) {
      if (fault.delayMs > 0) await sleep(fault.delayMs);
      if (fault.reset) return dropConnection(rt, req, reply);
      if (fault.status !== null) return sendFault(reply, fault.status);
    }

    if (!path.startsWith('/api/')) return; // the token endpoint is not rate limited
    const token = bearer(req);
    const key = rt.limiter.options.key === 'ip' || !token ? `ip:${req.ip}` : `token:${token}`;
    const decision = rt.limiter.check(key, subdomain);
    if (decision.kind === 'blocked') return reply.code(403).type('text/html').send(NGINX_FORBIDDEN_HTML);
    if (decision.kind === 'limited') {
      if (rt.limiter.options.plainText429) return reply.code(429).type('text/plain').send('Too Many Requests');
      return sendProblem(reply, problem(429, 'Too many requests', { retry_after: decision.retryAfterSeconds }));
    }
    if (rt.store.account(subdomain)?.unpaid) return sendProblem(reply, problem(402, 'Payment Required'));
  });

  app.addHook('onResponse', async (req, reply) => {
    record(rt, req, reply.statusCode);
  });
}

function record(rt: EmulatorRuntime, req: FastifyRequest, status: number): void {
  const { subdomain, path } = accountPath(req.url);
  if (path.startsWith('/_emulator')) return;
  const token = bearer(req);
  const owner = token ? rt.oauth.peek(token) : undefined;
  const body = req.body;
  rt.requests.record({
    at: arrivals.get(req) ?? Date.now(),
    emulatedAt: rt.clock.nowSeconds(),
    method: req.method,
    path,
    url: req.url,
    subdomain,
    tokenAccountId: owner?.accountId ?? null,
    clientId: owner?.clientId ?? null,
    status,
    items: Array.isArray(body) ? body.length : null,
    requestId: req.id,
    body: path.includes('access_token') ? '[redacted]' : body,
  });
}

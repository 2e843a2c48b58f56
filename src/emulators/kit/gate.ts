// What happens to a request before any partner route runs, in the order real partners show it: an outage window,
// an injected fault, then the partner's own admission checks (rate limit, unpaid account…). Also stamps every
// answer with `x-request-id` and records every request (control API calls excepted) in the request log.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmulatorClock } from './clock.js';
import { CONTROL_PREFIX } from './control-routes.js';
import type { FaultInjector, InjectedFault } from './faults.js';
import type { RequestLog } from './request-log.js';

export interface RequestClass {
  /** The partner-relative path fault rules match and the log records, e.g. `/api/v4/leads` without the account prefix. */
  path: string;
  /** A call to the partner's API: outages, faults and admission apply. Pages of the emulator's own (a consent page) are not. */
  api: boolean;
}

export interface GateOptions<X extends object, K extends string> {
  clock: EmulatorClock;
  faults: FaultInjector<K>;
  requests: RequestLog<X>;
  classify(req: FastifyRequest): RequestClass;
  /** The partner's fields of a log entry (its account, the token's owner…). */
  describe(req: FastifyRequest, path: string): X;
  /** Sends an injected fault the way the partner would (its error body, a gateway page…). Outages arrive as status 503. */
  renderFault(reply: FastifyReply, fault: InjectedFault<K>): FastifyReply;
  /** The partner's checks after faults (rate limit, unpaid account): send a reply and return it to refuse the call. */
  admit?(req: FastifyRequest, reply: FastifyReply, path: string): Promise<FastifyReply | void> | FastifyReply | void;
  /** What the log keeps of a body (redact credentials here); default: the body. */
  logBody?(path: string, body: unknown): unknown;
}

export function registerGate<X extends object, K extends string>(app: FastifyInstance, o: GateOptions<X, K>): void {
  /** When each request arrived: the log is about the rate the partner sees, so a slow handler must not shift it. */
  const arrivals = new WeakMap<FastifyRequest, number>();
  const isControl = (req: FastifyRequest) => (req.url.split('?')[0] ?? '').startsWith(CONTROL_PREFIX);

  const record = (req: FastifyRequest, status: number): void => {
    if (isControl(req)) return;
    const { path } = o.classify(req);
    const body = req.body;
    o.requests.record({
      at: arrivals.get(req) ?? Date.now(),
      emulatedAt: o.clock.nowSeconds(),
      method: req.method,
      path,
      url: req.url,
      status,
      items: Array.isArray(body) ? body.length : null,
      requestId: req.id,
      body: o.logBody ? o.logBody(path, body) : body,
      ...o.describe(req, path),
    });
  };

  const dropConnection = (req: FastifyRequest, reply: FastifyReply): void => {
    record(req, 0);
    reply.hijack();
    req.raw.socket.destroy();
  };

  app.addHook('onRequest', async (req, reply) => {
    arrivals.set(req, Date.now());
    reply.header('x-request-id', req.id);
    if (isControl(req)) return;
    const { path, api } = o.classify(req);
    if (!api) return;

    const outage = o.faults.currentOutage();
    if (outage === 'reset') return dropConnection(req, reply);
    if (outage === '503') return o.renderFault(reply, { status: 503, kind: null });

    const fault = o.faults.match(req.method, path);
    if (fault) {
      if (fault.delayMs > 0) await sleep(fault.delayMs);
      if (fault.reset) return dropConnection(req, reply);
      if (fault.status !== null || fault.kind !== null) return o.renderFault(reply, { status: fault.status, kind: fault.kind });
    }

    if (o.admit) return o.admit(req, reply, path);
  });

  app.addHook('onResponse', async (req, reply) => {
    record(req, reply.statusCode);
  });
}

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
  /**
   * Fault kinds that let the request be carried out and then lose its answer, as when a partner applies a write
   * and a gateway or the network loses the reply: the route runs (the data changes); then, if it answered 2xx, the
   * connection is dropped, or, when the rule has a `status`, the answer is replaced by `answer(status)` — after the
   * rule's `delayMs`, which here keeps the caller waiting for that lost answer (a gateway timing out).
   */
  answerLost?: { kinds: readonly K[]; answer(status: number, req: FastifyRequest): { type: string; body: string } };
}

export function registerGate<X extends object, K extends string>(app: FastifyInstance, o: GateOptions<X, K>): void {
  /** When each request arrived: the log is about the rate the partner sees, so a slow handler must not shift it. */
  const arrivals = new WeakMap<FastifyRequest, number>();
  /** Requests carried out whose answer is to be lost (an `answerLost` fault), and those whose answer was dropped. */
  const losing = new WeakMap<FastifyRequest, InjectedFault<K> & { delayMs: number }>();
  const dropped = new WeakSet<FastifyRequest>();
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
    dropped.add(req);
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
    if (fault && fault.kind !== null && o.answerLost?.kinds.includes(fault.kind)) {
      // Carried out now; its delay keeps the caller waiting for the answer that is then lost.
      losing.set(req, { status: fault.status, kind: fault.kind, delayMs: fault.delayMs });
    } else if (fault) {
      if (fault.delayMs > 0) await sleep(fault.delayMs);
      if (fault.reset) return dropConnection(req, reply);
      if (fault.status !== null || fault.kind !== null) return o.renderFault(reply, { status: fault.status, kind: fault.kind });
    }

    if (!o.admit) return;
    const refused = (await o.admit(req, reply, path)) as FastifyReply | undefined;
    // A refused call never reaches the data: an answer-lost fault does not apply to it.
    if (refused) losing.delete(req);
    return refused;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const lost = losing.get(req);
    if (!lost) return payload;
    losing.delete(req);
    // Only a request that was carried out loses its answer; a refusal (401, 400…) reaches the caller as it is.
    if (reply.statusCode < 200 || reply.statusCode >= 300) return payload;
    if (lost.delayMs > 0) await sleep(lost.delayMs);
    if (lost.status === null) {
      // The route has run: the partner applied the request, and the caller never hears of it.
      dropped.add(req);
      record(req, 0);
      req.raw.socket.destroy();
      return payload;
    }
    const { type, body } = o.answerLost!.answer(lost.status, req);
    reply.code(lost.status).type(type);
    return body;
  });

  app.addHook('onResponse', async (req, reply) => {
    if (!dropped.has(req)) record(req, reply.statusCode);
  });
}

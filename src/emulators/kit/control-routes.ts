// The control API over HTTP under /_emulator (for an emulator running standalone): the kit's operations (state,
// reset, clock, faults, outage, request log) plus whatever routes the partner adds. Same operations as the
// in-process control object; JSON in and out; errors are `{ "error": "…" }` with 400.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { CoreControl } from './core.js';
import type { FaultRuleInput } from './faults.js';
import type { LogFilter } from './request-log.js';

export const CONTROL_PREFIX = '/_emulator';

type Json = Record<string, unknown>;

/** Answers 200 with a JSON body (`{ ok: true }` by default). */
export const ok = (reply: FastifyReply, body: unknown = { ok: true }): FastifyReply =>
  reply.type('application/json').send(JSON.stringify(body));
/** A request body as an object ({} for anything else), so routes can read optional fields. */
export const bodyOf = (b: unknown): Json => (typeof b === 'object' && b !== null ? (b as Json) : {});
/** A non-empty string, else undefined. */
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** A number from JSON or a query string; undefined when absent. */
export const num = (v: unknown): number | undefined => (v === undefined || v === null || v === '' ? undefined : Number(v));

export interface ControlRoutesOptions<X extends object, K extends string> {
  core: CoreControl<X, K>;
  /** Back to the seeded state (the partner's data and the kit's parts). */
  reset(): void;
  /** The partner's part of `GET /_emulator/state` (the clock is added). */
  state(): Json;
  /** Partner log fields `GET /_emulator/requests` takes as string query filters, e.g. `subdomain`. */
  requestFilters?: ReadonlyArray<keyof X & string>;
  /** The partner's own control routes, registered in the same scope (prefix and error shape). */
  routes?(c: FastifyInstance): void;
}

export function registerControlRoutes<X extends object, K extends string>(app: FastifyInstance, o: ControlRoutesOptions<X, K>): void {
  const { clock, faults, requests } = o.core;
  app.register(
    async (c) => {
      c.setErrorHandler((err: Error, _req, reply) =>
        reply
          .code(400)
          .type('application/json')
          .send(JSON.stringify({ error: err.message })),
      );

      c.get('/state', async (_req, reply) => ok(reply, { clock: clock.now(), ...o.state() }));
      c.post('/reset', async (_req, reply) => (o.reset(), ok(reply)));

      c.get('/clock', async (_req, reply) => ok(reply, { now: clock.now() }));
      c.post('/clock/advance', async (req, reply) => (clock.advance(Number(bodyOf(req.body).seconds)), ok(reply, { now: clock.now() })));
      c.post('/clock/set', async (req, reply) => {
        const t = bodyOf(req.body).time;
        clock.set(typeof t === 'string' ? new Date(t) : Number(t));
        return ok(reply, { now: clock.now() });
      });
      c.post('/clock/freeze', async (_req, reply) => (clock.freeze(), ok(reply, { now: clock.now() })));
      c.post('/clock/unfreeze', async (_req, reply) => (clock.unfreeze(), ok(reply, { now: clock.now() })));

      c.post('/faults', async (req, reply) => ok(reply, { id: faults.add(bodyOf(req.body) as unknown as FaultRuleInput<K>) }));
      c.delete('/faults', async (_req, reply) => (faults.clear(), ok(reply)));
      c.delete('/faults/:id', async (req, reply) => ok(reply, { removed: faults.remove(Number((req.params as Json).id)) }));
      c.post('/outage', async (req, reply) => {
        const b = bodyOf(req.body);
        faults.outage(Number(b.seconds), b.mode === 'reset' ? 'reset' : '503');
        return ok(reply);
      });
      c.delete('/outage', async (_req, reply) => (faults.endOutage(), ok(reply)));

      c.get('/requests', async (req, reply) => {
        const q = req.query as Json;
        const filter: Json = { method: str(q.method), path: str(q.path), status: num(q.status), sinceMs: num(q.sinceMs) };
        for (const key of o.requestFilters ?? []) filter[key] = str(q[key]);
        const f = filter as LogFilter<X>;
        return ok(reply, { maxPerSecond: requests.maxPerSecond(f), requests: requests.list(f) });
      });
      c.delete('/requests', async (_req, reply) => (requests.clear(), ok(reply)));

      o.routes?.(c);
    },
    { prefix: CONTROL_PREFIX },
  );
}

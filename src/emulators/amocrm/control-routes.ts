// The control API over HTTP under /_emulator (for the standalone `hub emulator amocrm`). Same operations as
// the in-process `control` object; JSON in and out; errors are `{ "error": "…" }` with 400.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AmoEmulatorControl } from './control.js';
import type { EntityType } from './types.js';

type B = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (v === undefined || v === null || v === '' ? undefined : Number(v));

export function controlRoutes(app: FastifyInstance, control: AmoEmulatorControl): void {
  const ok = (reply: FastifyReply, body: unknown = { ok: true }) => reply.type('application/json').send(JSON.stringify(body));
  const body = (b: unknown): B => (typeof b === 'object' && b !== null ? (b as B) : {});

  app.register(
    async (c) => {
      c.setErrorHandler((err: Error, _req, reply) =>
        reply
          .code(400)
          .type('application/json')
          .send(JSON.stringify({ error: err.message })),
      );

      c.get('/state', async (_req, reply) =>
        ok(reply, { clock: control.clock.now(), accounts: control.accounts(), integration: control.integration() }),
      );
      c.post('/reset', async (_req, reply) => (control.reset(), ok(reply)));
      c.post('/accounts', async (req, reply) => {
        const b = body(req.body);
        return ok(reply, control.addAccount({ subdomain: String(b.subdomain), id: num(b.id), name: str(b.name) }));
      });
      c.post('/accounts/:subdomain/unpaid', async (req, reply) => {
        control.setUnpaid((req.params as B).subdomain as string, body(req.body).unpaid !== false);
        return ok(reply);
      });
      c.post('/integrations', async (req, reply) =>
        ok(reply, control.addIntegration(body(req.body) as Parameters<AmoEmulatorControl['addIntegration']>[0])),
      );
      c.patch('/integrations/:clientId', async (req, reply) =>
        ok(reply, control.updateIntegration((req.params as B).clientId as string, body(req.body))),
      );
      c.post('/integrations/:clientId/disconnect', async (req, reply) =>
        ok(reply, await control.disconnect(str(body(req.body).subdomain), (req.params as B).clientId as string)),
      );
      c.post('/integrations/:clientId/rotate-secret', async (req, reply) =>
        ok(reply, { clientSecret: control.rotateSecret((req.params as B).clientId as string, str(body(req.body).clientSecret)) }),
      );
      c.post('/integrations/:clientId/tokens', async (req, reply) => {
        const b = body(req.body);
        const clientId = (req.params as B).clientId as string;
        if (b.longLivedSeconds !== undefined)
          return ok(reply, { access_token: control.oauth.issueLongLived(Number(b.longLivedSeconds), str(b.subdomain), clientId) });
        return ok(reply, control.oauth.issueTokens(str(b.subdomain), clientId));
      });
      c.post('/integrations/:clientId/code', async (req, reply) =>
        ok(reply, { code: control.oauth.authorize(str(body(req.body).subdomain), (req.params as B).clientId as string) }),
      );
      c.post('/oauth', async (req, reply) => (control.oauth.configure(body(req.body)), ok(reply)));

      c.get('/clock', async (_req, reply) => ok(reply, { now: control.clock.now() }));
      c.post(
        '/clock/advance',
        async (req, reply) => (control.clock.advance(Number(body(req.body).seconds)), ok(reply, { now: control.clock.now() })),
      );
      c.post('/clock/set', async (req, reply) => {
        const t = body(req.body).time;
        control.clock.set(typeof t === 'string' ? new Date(t) : Number(t));
        return ok(reply, { now: control.clock.now() });
      });

      c.post('/clock/freeze', async (_req, reply) => (control.clock.freeze(), ok(reply, { now: control.clock.now() })));
      c.post('/clock/unfreeze', async (_req, reply) => (control.clock.unfreeze(), ok(reply, { now: control.clock.now() })));

      c.post('/rate-limit', async (req, reply) => (control.rateLimit.configure(body(req.body)), ok(reply)));
      c.post('/rate-limit/unblock', async (_req, reply) => (control.rateLimit.unblock(), ok(reply)));

      c.post('/faults', async (req, reply) =>
        ok(reply, { id: control.faults.add(body(req.body) as unknown as Parameters<AmoEmulatorControl['faults']['add']>[0]) }),
      );
      c.delete('/faults', async (_req, reply) => (control.faults.clear(), ok(reply)));
      c.delete('/faults/:id', async (req, reply) => ok(reply, { removed: control.faults.remove(Number((req.params as B).id)) }));
      c.post('/outage', async (req, reply) => {
        const b = body(req.body);
        control.faults.outage(Number(b.seconds), b.mode === 'reset' ? 'reset' : '503');
        return ok(reply);
      });
      c.delete('/outage', async (_req, reply) => (control.faults.endOutage(), ok(reply)));

      c.get('/requests', async (req, reply) => {
        const q = req.query as B;
        const filter = {
          method: str(q.method),
          path: str(q.path),
          subdomain: str(q.subdomain),
          status: num(q.status),
          sinceMs: num(q.sinceMs),
        };
        return ok(reply, { maxPerSecond: control.requests.maxPerSecond(filter), requests: control.requests.list(filter) });
      });
      c.delete('/requests', async (_req, reply) => (control.requests.clear(), ok(reply)));

      c.get('/webhooks', async (req, reply) => ok(reply, control.webhooks.list(str((req.query as B).subdomain))));
      c.post('/webhooks', async (req, reply) => {
        const b = body(req.body);
        return ok(
          reply,
          control.webhooks.register({ destination: String(b.destination), settings: (b.settings as string[]) ?? [] }, str(b.subdomain)),
        );
      });
      c.delete('/webhooks', async (req, reply) =>
        ok(reply, { removed: control.webhooks.remove(String(body(req.body).destination), str(body(req.body).subdomain)) }),
      );
      c.post('/webhooks/fire', async (req, reply) => {
        const b = body(req.body);
        return ok(reply, {
          deliveries: control.webhooks.fire(
            { fields: body(b.fields), body: str(b.body), destination: str(b.destination) },
            str(b.subdomain),
          ),
        });
      });
      c.get('/webhooks/deliveries', async (_req, reply) => ok(reply, control.webhooks.deliveries()));

      c.get('/accounts/:subdomain/:type', async (req, reply) => {
        const p = req.params as B;
        return ok(reply, control.entities.list(p.type as EntityType, p.subdomain as string));
      });
      c.get('/accounts/:subdomain/:type/:id', async (req, reply) => {
        const p = req.params as B;
        const entity = control.entities.get(p.type as EntityType, Number(p.id), p.subdomain as string);
        return entity
          ? ok(reply, entity)
          : reply
              .code(404)
              .type('application/json')
              .send(JSON.stringify({ error: 'not found' }));
      });
    },
    { prefix: '/_emulator' },
  );
}

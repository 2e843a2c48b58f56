// The control API over HTTP under /_emulator (for the standalone `hub emulator amocrm`): the kit's routes (state,
// reset, clock, faults, outage, request log) plus amoCRM's (accounts, integrations, OAuth, rate limit, webhooks,
// entities). Same operations as the in-process `control` object; JSON in and out; errors are 400 `{ "error": "…" }`.
import type { FastifyInstance } from 'fastify';
import { bodyOf as body, num, ok, registerControlRoutes, str } from '../kit/index.js';
import type { AmoEmulatorControl } from './control.js';
import type { AmoLogFields } from './runtime.js';
import type { EntityType } from './types.js';

type B = Record<string, unknown>;

export function controlRoutes(app: FastifyInstance, control: AmoEmulatorControl): void {
  registerControlRoutes<AmoLogFields, never>(app, {
    core: control,
    reset: () => control.reset(),
    state: () => ({ accounts: control.accounts(), integration: control.integration() }),
    requestFilters: ['subdomain'],
    routes: (c) => {
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

      c.post('/rate-limit', async (req, reply) => (control.rateLimit.configure(body(req.body)), ok(reply)));
      c.post('/rate-limit/unblock', async (_req, reply) => (control.rateLimit.unblock(), ok(reply)));

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

      c.post('/accounts/:subdomain/:type/custom_fields', async (req, reply) => {
        const p = req.params as B;
        const b = body(req.body) as Parameters<AmoEmulatorControl['addCustomField']>[1];
        return ok(reply, { id: control.addCustomField(p.type as EntityType, b, p.subdomain as string) });
      });
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
  });
}

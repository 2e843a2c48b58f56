// GET/POST/DELETE /api/v4/webhooks: the account webhook registry over the API (admin tokens only in amoCRM;
// every emulated token belongs to the admin).
import type { FastifyInstance } from 'fastify';
import { problem, sendEmpty, sendHal, ValidationErrors } from './problem.js';
import { apiContext, type EmulatorRuntime } from './runtime.js';
import type { AccountState } from './store.js';
import type { WebhookSubscription } from './types.js';

const MAX_WEBHOOKS = 100;

const view = (account: AccountState, w: WebhookSubscription) => ({
  id: w.id,
  destination: w.destination,
  created_at: w.created_at,
  updated_at: w.updated_at,
  account_id: account.id,
  created_by: w.created_by,
  sort: w.sort,
  disabled: w.disabled,
  settings: w.settings,
});

export function webhookRoutes(app: FastifyInstance, rt: EmulatorRuntime): void {
  app.get('/webhooks', async (req, reply) => {
    const { account, apiBase } = apiContext(req);
    const filter = ((req.query as Record<string, unknown>).filter ?? {}) as Record<string, unknown>;
    const hooks = [...account.webhooks.values()].filter((w) => filter.destination === undefined || w.destination === filter.destination);
    if (hooks.length === 0) return sendEmpty(reply);
    return sendHal(reply, {
      _total_items: hooks.length,
      _links: { self: { href: `${apiBase}/api/v4/webhooks` } },
      _embedded: { webhooks: hooks.map((w) => view(account, w)) },
    });
  });

  app.post('/webhooks', async (req, reply) => {
    const { account, access } = apiContext(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Object.keys(body).length === 0) throw problem(400, 'Request data can not be empty');
    const errors = new ValidationErrors();
    if (typeof body.destination !== 'string' || !/^https?:\/\//.test(body.destination)) errors.add('0', 'InvalidType', 'destination');
    if (!Array.isArray(body.settings) || body.settings.length === 0 || !body.settings.every((s) => typeof s === 'string'))
      errors.add('0', 'InvalidType', 'settings');
    errors.throwIfAny();
    if (account.webhooks.size >= MAX_WEBHOOKS && ![...account.webhooks.values()].some((w) => w.destination === body.destination))
      throw problem(422, `Limit ${MAX_WEBHOOKS} webhooks`);
    const hook = rt.webhooks.register(
      account,
      {
        destination: body.destination as string,
        settings: body.settings as string[],
        sort: typeof body.sort === 'number' ? body.sort : undefined,
      },
      access.userId,
    );
    return sendHal(reply, view(account, hook), 201);
  });

  app.delete('/webhooks', async (req, reply) => {
    const { account } = apiContext(req);
    const destination = ((req.body ?? {}) as Record<string, unknown>).destination;
    if (typeof destination !== 'string') throw problem(400, 'Request data can not be empty');
    if (!rt.webhooks.unregister(account, destination)) throw problem(404, 'Webhook not found');
    return sendEmpty(reply);
  });
}

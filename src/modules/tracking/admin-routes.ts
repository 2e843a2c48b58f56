// Operator API under /admin/v1/tracking: bots, API keys (create — the key is shown once —, revoke, limit,
// usage history) and status-change webhooks (endpoints, delivery log, manual redelivery).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Nullable } from '../../platform/http/schema-types.js';
import { ADMIN_SECURITY } from '../../platform/admin/auth.js';
import { PlatformError } from '../../platform/admin/schemas.js';
import * as A from './admin-contract.js';
import type { BotService } from './bots.js';
import type { KeyService } from './keys.js';
import { usageReport, type UsageRecorder } from './usage.js';
import type { WebhookService } from './webhooks.js';
import type { Hub } from '../../platform/hub.js';

export interface AdminDeps {
  readonly hub: Hub;
  readonly bots: BotService;
  readonly keys: KeyService;
  readonly webhooks: WebhookService;
  readonly usage: UsageRecorder;
}

const E = PlatformError;

export function adminRoutes(scope: FastifyInstance, deps: AdminDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const { bots, keys, webhooks, usage, hub } = deps;
  const base = { security: ADMIN_SECURITY };
  const botTags = ['admin: tracking'];

  app.post(
    '/tracking/bots',
    {
      schema: {
        operationId: 'AdminTrackingBotCreate',
        ...base,
        tags: botTags,
        summary: 'Create a bot (tenant)',
        body: A.CreateBot,
        response: { 201: A.AdminBot, 400: E, 401: E, 409: E },
      },
    },
    async (req, reply) =>
      reply.status(201).send(
        await bots.create({
          ...(req.body.id ? { id: req.body.id } : {}),
          name: req.body.name,
          ...(req.body.username !== undefined ? { username: req.body.username } : {}),
          ...(req.body.is_active !== undefined ? { isActive: req.body.is_active } : {}),
          ...(req.body.subscription_status !== undefined ? { subscriptionStatus: req.body.subscription_status } : {}),
        }),
      ),
  );
  app.get(
    '/tracking/bots',
    {
      schema: {
        operationId: 'AdminTrackingBotList',
        ...base,
        tags: botTags,
        summary: 'List bots',
        response: { 200: Type.Object({ bots: Type.Array(A.AdminBot) }), 401: E },
      },
    },
    async () => ({
      bots: await bots.list(),
    }),
  );
  app.get(
    '/tracking/bots/:id',
    {
      schema: {
        operationId: 'AdminTrackingBotGet',
        ...base,
        tags: botTags,
        summary: 'One bot',
        params: A.IdParams,
        response: { 200: A.AdminBot, 401: E, 404: E },
      },
    },
    async (req) => bots.get(req.params.id),
  );
  app.patch(
    '/tracking/bots/:id',
    {
      schema: {
        operationId: 'AdminTrackingBotUpdate',
        ...base,
        tags: botTags,
        summary: 'Change a bot (disable: is_active=false — its keys get 403)',
        params: A.IdParams,
        body: A.UpdateBot,
        response: { 200: A.AdminBot, 400: E, 401: E, 404: E },
      },
    },
    async (req) =>
      bots.update(req.params.id, {
        ...(req.body.name !== undefined ? { name: req.body.name } : {}),
        ...(req.body.username !== undefined ? { username: req.body.username } : {}),
        ...(req.body.is_active !== undefined ? { isActive: req.body.is_active } : {}),
        ...(req.body.subscription_status !== undefined ? { subscriptionStatus: req.body.subscription_status } : {}),
        ...(req.body.allowed_origins !== undefined ? { allowedOrigins: req.body.allowed_origins } : {}),
      }),
  );

  app.post(
    '/tracking/bots/:id/keys',
    {
      schema: {
        operationId: 'AdminTrackingKeyCreate',
        ...base,
        tags: botTags,
        summary: 'Issue an API key (the full key is in this answer only)',
        params: A.IdParams,
        body: A.CreateKey,
        response: { 201: A.CreatedApiKey, 400: E, 401: E, 404: E },
      },
    },
    async (req, reply) =>
      reply.status(201).send(
        await keys.create(req.params.id, {
          ...(req.body.name !== undefined ? { name: req.body.name } : {}),
          ...(req.body.rate_limit_per_minute !== undefined ? { rateLimitPerMinute: req.body.rate_limit_per_minute } : {}),
          ...(req.body.scope !== undefined ? { scope: req.body.scope } : {}),
        }),
      ),
  );
  app.get(
    '/tracking/bots/:id/keys',
    {
      schema: {
        operationId: 'AdminTrackingKeyList',
        ...base,
        tags: botTags,
        summary: "A bot's API keys (hashes are never shown)",
        params: A.IdParams,
        response: { 200: Type.Object({ keys: Type.Array(A.ApiKey) }), 401: E },
      },
    },
    async (req) => ({
      keys: await keys.list(req.params.id),
    }),
  );
  app.post(
    '/tracking/keys/:id/revoke',
    {
      schema: {
        operationId: 'AdminTrackingKeyRevoke',
        ...base,
        tags: botTags,
        summary: 'Revoke a key (effective at once on every instance)',
        params: A.IdParams,
        response: { 200: A.RevokedApiKey, 401: E, 404: E, 409: E },
      },
    },
    async (req) => keys.revoke(req.params.id),
  );
  app.patch(
    '/tracking/keys/:id',
    {
      schema: {
        operationId: 'AdminTrackingKeyUpdate',
        ...base,
        tags: botTags,
        summary: "Change a key's rate limit",
        params: A.IdParams,
        body: A.UpdateKey,
        response: { 200: A.ApiKey, 400: E, 401: E, 404: E },
      },
    },
    async (req) => keys.setRateLimit(req.params.id, req.body.rate_limit_per_minute),
  );
  app.get(
    '/tracking/keys/:id/usage',
    {
      schema: {
        operationId: 'AdminTrackingKeyUsage',
        ...base,
        tags: botTags,
        summary: "A key's usage: daily counts and the latest requests",
        params: A.IdParams,
        querystring: A.UsageQuery,
        response: { 200: A.Usage, 400: E, 401: E, 404: E },
      },
    },
    async (req) => {
      const key = await keys.get(req.params.id);
      await usage.flush();
      return {
        ...(await usageReport(hub, key.id, { days: req.query.days, recent: req.query.recent })),
        last_used_at: (await keys.get(key.id)).last_used_at,
      };
    },
  );

  const hookTags = ['admin: tracking webhooks'];
  app.post(
    '/tracking/bots/:id/webhooks',
    {
      schema: {
        operationId: 'AdminTrackingWebhookCreate',
        ...base,
        tags: hookTags,
        summary: 'Add a status-change webhook endpoint (the whsec_ secret is in this answer only)',
        params: A.IdParams,
        body: A.CreateWebhook,
        response: { 201: A.CreatedWebhook, 400: E, 401: E, 404: E },
      },
    },
    async (req, reply) => reply.status(201).send(await webhooks.create(req.params.id, req.body.url)),
  );
  app.get(
    '/tracking/bots/:id/webhooks',
    {
      schema: {
        operationId: 'AdminTrackingWebhookList',
        ...base,
        tags: hookTags,
        summary: "A bot's webhook endpoints",
        params: A.IdParams,
        response: { 200: Type.Object({ webhooks: Type.Array(A.Webhook) }), 401: E },
      },
    },
    async (req) => ({
      webhooks: await webhooks.list(req.params.id),
    }),
  );
  app.delete(
    '/tracking/webhooks/:id',
    {
      schema: {
        operationId: 'AdminTrackingWebhookDelete',
        ...base,
        tags: hookTags,
        summary: 'Disable an endpoint (its delivery log stays)',
        params: A.IdParams,
        response: { 200: A.Webhook, 401: E, 404: E },
      },
    },
    async (req) => webhooks.disable(req.params.id),
  );
  app.get(
    '/tracking/webhooks/:id/deliveries',
    {
      schema: {
        operationId: 'AdminTrackingWebhookDeliveries',
        ...base,
        tags: hookTags,
        summary: 'Delivery log of an endpoint, newest first',
        params: A.IdParams,
        querystring: A.DeliveriesQuery,
        response: { 200: Type.Object({ deliveries: Type.Array(A.Delivery) }), 400: E, 401: E, 404: E },
      },
    },
    async (req) => ({
      deliveries: await webhooks.deliveries(req.params.id, {
        limit: req.query.limit,
        ...(req.query.status ? { status: req.query.status } : {}),
      }),
    }),
  );
  app.get(
    '/tracking/webhook-deliveries/:id',
    {
      schema: {
        operationId: 'AdminTrackingDeliveryGet',
        ...base,
        tags: hookTags,
        summary: 'One delivery with its body and every attempt',
        params: A.IdParams,
        response: { 200: A.DeliveryDetail, 401: E, 404: E },
      },
    },
    async (req) => webhooks.delivery(req.params.id),
  );
  app.post(
    '/tracking/webhook-deliveries/:id/redeliver',
    {
      schema: {
        operationId: 'AdminTrackingRedeliver',
        ...base,
        tags: hookTags,
        summary: 'Send a delivery again now (any state)',
        params: A.IdParams,
        response: { 202: Type.Object({ job_id: Nullable(Type.String()) }), 401: E, 404: E },
      },
    },
    async (req, reply) => reply.status(202).send(await webhooks.redeliver(req.params.id)),
  );
}

// Alta's status webhooks under /alta: authenticated by the `alta` source token, validated, stored in the platform
// inbox with the sender's eventId as dedupe key (a repeat is acknowledged, `duplicate: true`, and not processed
// again), answered 200 only after the commit; a worker records the status (statuses.ts).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Hub } from '../../platform/hub.js';
import { acceptWebhook } from '../../platform/inbox/accept.js';
import type { CustomsRouteConfig } from './auth.js';
import { ErrorSchema, SuccessResponse, TAG_ALTA, TOKEN_SECURITY } from './contract.js';
import { PTD_STATUS, TRANSIT_STATUS } from './queues.js';
import { PtdStatusNotification, TransitDeclarationStatusNotification } from './status-contract.js';

const config: CustomsRouteConfig = { customsSources: ['alta'] };
const responses = { 200: SuccessResponse, 400: ErrorSchema, 401: ErrorSchema, 429: ErrorSchema, 500: ErrorSchema };

export function webhookRoutes(scope: FastifyInstance, hub: Hub): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/ptd/status-webhook',
    {
      config,
      schema: {
        operationId: 'AltaPtdStatusWebhook',
        tags: [TAG_ALTA],
        summary: 'Webhook для уведомлений о статусах ПТД от Альта',
        description: 'Альта отправляет уведомления об изменении статуса ПТД. Токен источника alta.',
        security: TOKEN_SECURITY,
        body: PtdStatusNotification,
        response: responses,
      },
    },
    async (req) => {
      const { duplicate } = await acceptWebhook(hub, req, { source: 'alta', queue: PTD_STATUS, dedupeKey: `ptd:${req.body.eventId}` });
      return { success: true as const, message: 'Уведомление принято', duplicate };
    },
  );
  app.post(
    '/transit-declaration/status-webhook',
    {
      config,
      schema: {
        operationId: 'AltaTransitStatusWebhook',
        tags: [TAG_ALTA],
        summary: 'Webhook для уведомлений о статусах транзитных ДТ от Альта',
        description: 'Альта отправляет уведомления о регистрации и статусах транзитной декларации. Токен источника alta.',
        security: TOKEN_SECURITY,
        body: TransitDeclarationStatusNotification,
        response: responses,
      },
    },
    async (req) => {
      const { duplicate } = await acceptWebhook(hub, req, {
        source: 'alta',
        queue: TRANSIT_STATUS,
        dedupeKey: `transit:${req.body.eventId}`,
      });
      return { success: true as const, message: 'Уведомление принято', duplicate };
    },
  );
}

// Notification webhooks, one factory for all: authenticated by the kind's source token (which names the amoCRM
// account), validated, stored in the platform inbox with `<account>:<kind>:<eventId>` as dedupe key (a repeat is
// acknowledged, `duplicate: true`, and not processed again), answered 200 only after the commit; a worker runs the
// pipeline (notifications.ts). Alta's two are registered here; the other prefixes add theirs with `notificationRoute`.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Hub } from '../../platform/hub.js';
import { acceptWebhook } from '../../platform/inbox/accept.js';
import { callerOf, type CustomsRouteConfig } from './auth.js';
import { ErrorSchema, SuccessResponse, TAG_ALTA, TOKEN_SECURITY } from './contract.js';
import { KINDS, type NotificationBody, type NotificationKind } from './kinds.js';

const responses = { 200: SuccessResponse, 400: ErrorSchema, 401: ErrorSchema, 429: ErrorSchema, 500: ErrorSchema };

export interface NotificationRoute {
  readonly path: string;
  readonly kind: NotificationKind;
  readonly operationId: string;
  readonly tag: string;
  readonly summary: string;
  readonly description: string;
  /** What the schema cannot see, checked before the request is stored (throws a 400 naming the fields). */
  readonly check?: (body: never) => void;
}

export function notificationRoute(scope: FastifyInstance, hub: Hub, route: NotificationRoute): void {
  const { kind } = route;
  const config: CustomsRouteConfig = { customsSources: [kind.source] };
  scope.withTypeProvider<TypeBoxTypeProvider>().post(
    route.path,
    {
      config,
      schema: {
        operationId: route.operationId,
        tags: [route.tag],
        summary: route.summary,
        description: `${route.description} Токен источника ${kind.source}. Повтор с тем же eventId принимается (duplicate: true) и не обрабатывается повторно.`,
        security: TOKEN_SECURITY,
        body: kind.schema,
        response: responses,
      },
    },
    async (req) => {
      const { accountId } = callerOf(req);
      const body = req.body as NotificationBody;
      route.check?.(body as never);
      const { duplicate } = await acceptWebhook(hub, req, {
        source: kind.source,
        queue: kind.queue,
        dedupeKey: `${accountId}:${kind.kind}:${body.eventId}`,
        tenant: String(accountId),
      });
      return { success: true as const, message: 'Уведомление принято', duplicate };
    },
  );
}

/** Alta's status webhooks under /alta. */
export function altaWebhookRoutes(scope: FastifyInstance, hub: Hub): void {
  notificationRoute(scope, hub, {
    path: '/ptd/status-webhook',
    kind: KINDS.ptd,
    operationId: 'AltaPtdStatusWebhook',
    tag: TAG_ALTA,
    summary: 'Webhook для уведомлений о статусах ПТД от Альта',
    description: 'Альта отправляет уведомления об изменении статуса ПТД.',
  });
  notificationRoute(scope, hub, {
    path: '/transit-declaration/status-webhook',
    kind: KINDS.transit,
    operationId: 'AltaTransitStatusWebhook',
    tag: TAG_ALTA,
    summary: 'Webhook для уведомлений о статусах транзитных ДТ от Альта',
    description: 'Альта отправляет уведомления о регистрации и статусах транзитной декларации.',
  });
}

// Notification webhooks, one factory for all: authenticated by the kind's source token (which names the amoCRM
// account), validated, stored in the platform inbox with `<account>:<kind>:<eventId>` as dedupe key (a repeat is
// acknowledged, `duplicate: true`, and not processed again), answered 200 only after the commit; a worker runs the
// pipeline (notifications.ts). Alta's two and ВЭД-склад's two are registered here.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Hub } from '../../platform/hub.js';
import { acceptWebhook } from '../../platform/inbox/accept.js';
import { callerOf, type CustomsRouteConfig } from './auth.js';
import { ErrorSchema, SuccessResponse, TAG_ALTA, TAG_VED_SKLAD, TOKEN_SECURITY, type Source } from './contract.js';
import { customsError, type Problem } from './errors.js';
import { KINDS, type NotificationBody, type NotificationKind } from './kinds.js';
import { labRefusals } from './lab-checks.js';
import { allErrors } from './validation.js';

const responses = { 200: SuccessResponse, 400: ErrorSchema, 401: ErrorSchema, 429: ErrorSchema, 500: ErrorSchema };

export interface NotificationRoute {
  readonly path: string;
  readonly kind: NotificationKind;
  readonly operationId: string;
  readonly tag: string;
  readonly summary: string;
  readonly description: string;
  /** The sources whose token opens the route, when not only the kind's own (a forwarder's). */
  readonly sources?: readonly Source[];
  /** What refuses a schema-valid body (400 VALIDATION_FAILED with `problems`), checked before it is stored. */
  readonly check?: (body: NotificationBody) => Problem[];
}

export function notificationRoute(scope: FastifyInstance, hub: Hub, route: NotificationRoute): void {
  const { kind } = route;
  const sources = route.sources ?? [kind.source];
  const config: CustomsRouteConfig = { customsSources: sources };
  scope.withTypeProvider<TypeBoxTypeProvider>().post(
    route.path,
    {
      config,
      validatorCompiler: (r) => allErrors(r),
      schema: {
        operationId: route.operationId,
        tags: [route.tag],
        summary: route.summary,
        description: `${route.description} Токен источника ${sources.join(' или ')}. Повтор с тем же eventId принимается (duplicate: true) и не обрабатывается повторно.`,
        security: TOKEN_SECURITY,
        body: kind.schema,
        response: responses,
      },
    },
    async (req) => {
      const { accountId } = callerOf(req);
      const body = req.body as NotificationBody;
      const problems = route.check?.(body) ?? [];
      if (problems.length) throw customsError('VALIDATION_FAILED', problems.map((p) => p.message).join('; '), problems);
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

/**
 * ВЭД-склад's webhooks under /ved-sklad: the warehouse's own, and the lab's documents (sent by the lab's script or
 * forwarded by the warehouse — either token opens it; stored under the lab's source, so a forwarded repeat of the
 * same eventId is still one notification).
 */
export function vedSkladWebhookRoutes(scope: FastifyInstance, hub: Hub): void {
  notificationRoute(scope, hub, {
    path: '/svh-release-webhook',
    kind: KINDS.svh,
    operationId: 'VedSkladSvhReleaseWebhook',
    tag: TAG_VED_SKLAD,
    summary: 'Webhook для уведомлений о выдаче товаров с СВХ от ВЭД-склада',
    description:
      'ВЭД-склад отправляет уведомление о товаре на складе временного хранения: размещён (ДО-1), выпуск разрешён ' +
      '(WHGoodOut) и товар можно выдавать, выдан со склада (ДО-2).',
  });
  notificationRoute(scope, hub, {
    path: '/lab-documents-webhook',
    kind: KINDS.lab,
    sources: ['lab', 'ved-sklad'],
    check: labRefusals,
    operationId: 'VedSkladLabDocumentsWebhook',
    tag: TAG_VED_SKLAD,
    summary: 'Webhook для документов из лаборатории',
    description:
      'PHP скрипт лаборатории (или ВЭД-склад, пересылая его) отправляет информацию о документах: номера ЭПТС и СБКТС, ' +
      'ссылки на файлы. Латинская буква вместо кириллической в номере СБКТС — ошибка 400 с указанием буквы; номер ЭПТС ' +
      'не по модели данных ЕЭК принимается с замечанием.',
  });
}

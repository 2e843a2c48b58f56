// amoCRM's account webhooks into the module. Each account's webhook is POST /onec/amo/webhook/:key/:token, where
// the token is an HMAC of the key under HUB_SECRET_KEY (amoCRM sends no credentials, so the URL is the secret;
// checked in constant time). A webhook is stored in the platform inbox and answered 2xx only after that commit;
// its job keeps the account's match index fresh and turns changes into pushes to 1C (outbound.ts).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Logger } from 'pino';
import { parseAmoWebhook, type AmoConnector, type AmoWebhookItem } from '../../connectors/amocrm/index.js';
import type { Hub } from '../../platform/hub.js';
import { acceptWebhook } from '../../platform/inbox/accept.js';
import type { InboxMessage } from '../../platform/inbox/inbox.js';
import { FORM } from '../../platform/http/body.js';
import { safeEqual } from '../../platform/security/secrets.js';
import type { AmoIndex } from './amo-index.js';
import type { OnecRouteConfig } from './auth.js';
import { EmptyAnswer, OnecFailure, TAG } from './contract.js';
import { onecError } from './errors.js';
import type { OutboundService, WebhookChange } from './outbound.js';
import { OUTBOUND, type SubscribeJob } from './outbound-queues.js';

/** The events the module listens to: the index needs every contact and company change, orders need stage moves. */
export const WEBHOOK_EVENTS = [
  'add_contact',
  'update_contact',
  'delete_contact',
  'restore_contact',
  'add_company',
  'update_company',
  'delete_company',
  'restore_company',
  'add_lead',
  'status_lead',
] as const;

export const INBOX_SOURCE = 'onec-sync.amo';
const MAC_CONTEXT = 'onec-sync:amo-webhook';
const PATH = /^\/onec\/amo\/webhook\/([1-9][0-9]{0,15})\//;

export const webhookToken = (hub: Hub, key: string) => hub.secrets.mac(key, MAC_CONTEXT);
export const webhookUrl = (hub: Hub, key: string) =>
  `${hub.config.publicUrl.replace(/\/+$/, '')}/onec/amo/webhook/${key}/${webhookToken(hub, key)}`;

/** Subscribes (or re-subscribes: amoCRM keeps one webhook per destination) the account's webhook. */
export async function subscribe(hub: Hub, amo: AmoConnector, job: SubscribeJob): Promise<{ id: number }> {
  const account = await amo.getAccount(Number(job.key));
  if (account?.status !== 'active') return { id: 0 };
  const hook = await amo.api(Number(job.key)).webhooks.subscribe(webhookUrl(hub, job.key), WEBHOOK_EVENTS);
  return { id: hook.id };
}

export function amoWebhookRoute(scope: FastifyInstance, hub: Hub): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/amo/webhook/:key/:token',
    {
      config: { onecAuth: 'none' } satisfies OnecRouteConfig,
      schema: {
        operationId: 'OnecAmoWebhook',
        tags: [TAG],
        summary: 'Вебхук аккаунта amoCRM (контакты, компании, этапы сделок); адрес с токеном выдаёт хаб при подписке',
        consumes: [FORM, 'application/json'],
        params: Type.Object({
          key: Type.String({ pattern: '^[1-9][0-9]{0,15}$', maxLength: 16 }),
          // An HMAC in base64url (hub.secrets.mac); anything else cannot match.
          token: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }),
        }),
        response: { 200: EmptyAnswer, 400: OnecFailure, 403: OnecFailure },
      },
    },
    async (req) => {
      if (!safeEqual(req.params.token, webhookToken(hub, req.params.key))) throw onecError('WEBHOOK_TOKEN_INVALID');
      await acceptWebhook(hub, req, { source: INBOX_SOURCE, queue: OUTBOUND.amoWebhook });
      return { success: true, data: null, error: null };
    },
  );
}

/** The webhook job: index first (it must follow every change), then pushes for what is not the hub's own echo. */
export async function processWebhook(
  d: { index: AmoIndex; outbound: OutboundService },
  message: InboxMessage,
  log: Logger,
): Promise<unknown> {
  const key = PATH.exec(message.path)?.[1];
  if (!key) return { ignored: 'no account in the path' };
  const parsed = parseAmoWebhook(message.body, message.contentType ?? undefined);
  if (parsed.account.id !== undefined && String(parsed.account.id) !== key) {
    log.warn({ path: message.path, account: parsed.account.id }, '1C sync: amoCRM webhook of another account ignored');
    return { ignored: 'account mismatch' };
  }
  const done: unknown[] = [];
  for (const event of parsed.events) {
    if (event.kind !== 'entity') continue;
    const { entity, action, item } = event;
    if (entity === 'contacts' || entity === 'companies') {
      if (action === 'delete') {
        await d.index.forget(key, entity, item.id);
        done.push({ entity, id: item.id, forgotten: true });
      } else if (action === 'add' || action === 'update' || action === 'restore') {
        await d.index.apply(key, entity, item.id, indexFields(item));
        done.push({ entity, id: item.id, ...(await d.outbound.counterpartyChanged(key, entity, item.id, changeOf(item))) });
      }
    } else if (entity === 'leads' && (action === 'status' || action === 'add')) {
      const stage = {
        ...(item.pipeline_id ? { pipelineId: item.pipeline_id } : {}),
        ...(item.status_id ? { statusId: item.status_id } : {}),
      };
      done.push({ entity, id: item.id, ...(await d.outbound.leadMoved(key, item.id, stage, changeOf(item))) });
    }
  }
  return { events: done };
}

/** When and by whom the item was changed: `updated_at` and the legacy `modified_user_id` (a string, like all). */
function changeOf(item: AmoWebhookItem): WebhookChange {
  const by = Number(item.raw.modified_user_id);
  return { updatedAt: item.updated_at, ...(Number.isSafeInteger(by) && by > 0 ? { modifiedBy: by } : {}) };
}

/** A webhook item's legacy custom fields in the shape the index reads (code → field_code). */
const indexFields = (item: AmoWebhookItem) =>
  item.custom_fields.map((f) => ({ field_code: f.code ?? null, values: f.values.map((v) => ({ value: v.value })) }));

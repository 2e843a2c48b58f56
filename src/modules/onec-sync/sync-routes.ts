// The entity sync 1C calls (seed 001 §2.3–2.6), under /onec/sync. 1C waits for each answer: it needs the amoCRM
// id in `data`. The seed lists the order sync (§2.5) under the companies path, an error in the document: the
// canonical path is /sync/leads, and an order-shaped body arriving at /sync/clients_companies is taken as an order.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { russianValidation } from '../../platform/http/validation-ru.js';
import * as C from './contract.js';
import * as S from './sync-contract.js';
import type { EntitySync } from './entity-sync.js';
import { onecError } from './errors.js';
import type { EventService } from './events.js';

const ok = <T>(data: T) => ({ success: true, data, error: null });
const security = [{ onecBasic: [] }];
const F = C.OnecFailure;
const failures = { ...C.authFailures, 404: F, 409: F, 422: F, 503: F };

/** Seed §2.5 at the companies path: a body with order fields and no ИНН is an order. */
export function isOrderShaped(body: Record<string, unknown>): boolean {
  const has = (k: string) => body[k] !== undefined && body[k] !== null && body[k] !== '';
  return !has('inn') && ['order_number', 'budget', 'contact_id', 'company_id'].some(has);
}

export function syncRoutes(scope: FastifyInstance, deps: { sync: EntitySync; events: EventService }): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const { sync, events } = deps;
  const tags = [C.TAG];

  app.post(
    '/sync/clients_contacts',
    {
      schema: {
        operationId: 'OnecSyncContact',
        tags,
        security,
        summary: 'Физ. контрагент 1С → Контакт amoCRM (§2.3): находит по id, связи с 1С, телефону или email; обновляет или создаёт',
        body: S.ClientContact,
        response: { 200: S.EntityAnswer, ...failures },
      },
    },
    async (req) => ok(await sync.counterparty('contacts', req.body)),
  );

  app.post(
    '/sync/clients_companies',
    {
      schema: {
        operationId: 'OnecSyncCompany',
        tags,
        security,
        summary:
          'Юр. контрагент 1С → Компания amoCRM (§2.4): находит по id, связи с 1С или ИНН/УНП. Тело заказа (order_number, budget, contact_id или company_id без inn) обрабатывается как §2.5',
        body: S.ClientCompany,
        response: { 200: S.EntityAnswer, ...failures },
      },
    },
    async (req) => {
      const body = req.body as Record<string, unknown>;
      if (!isOrderShaped(body)) return ok(await sync.counterparty('companies', req.body));
      return ok(await sync.order(validOrder(req, body)));
    },
  );

  app.post(
    '/sync/leads',
    {
      schema: {
        operationId: 'OnecSyncOrder',
        tags,
        security,
        summary: 'Заказ 1С → Сделка amoCRM (§2.5; в документе ошибочно указан путь /sync/clients_companies, он тоже принимает заказ)',
        body: S.Order,
        response: { 200: S.EntityAnswer, ...failures },
      },
    },
    async (req) => ok(await sync.order(req.body)),
  );

  app.post(
    '/sync/process_event',
    {
      schema: {
        operationId: 'OnecProcessEvent',
        tags,
        security,
        summary: 'Событие 1С (§2.6): этап сделки по настройке базы, поля и примечание; повтор того же события ничего не меняет',
        body: S.Event,
        response: { 200: S.EntityAnswer, ...failures },
      },
    },
    async (req) => ok(await events.handle(req.body)),
  );
}

/** The companies route validated the body as a company; an order is held to the order schema. */
function validOrder(req: FastifyRequest, body: Record<string, unknown>): S.OrderBody {
  const validate = req.compileValidationSchema(S.Order);
  if (validate(body)) return body as S.OrderBody;
  throw onecError('INVALID_ORDER', `Некорректный заказ: ${russianValidation((validate.errors ?? []) as never)}`);
}

// Operator API of the amoCRM → 1C direction, under /admin/v1/onec/bases/:key/:idBase: the base's options (order
// stage, event stages, whether counterparties are pushed), a deal's documents in 1C (get_orders, asked now), and
// pushes on demand (the corr_table, one contact, company or deal) — queued as jobs like every push.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ADMIN_SECURITY } from '../../platform/admin/auth.js';
import { PlatformError as E } from '../../platform/admin/schemas.js';
import { MAX_ID, NO_CONTROL_CHARS, Nullable } from '../../platform/http/schema-types.js';
import { ADMIN_TAG } from './admin-routes.js';
import { isOnecError } from '../../connectors/onec/index.js';
import { onecReason } from './base-check.js';
import type { BaseService } from './bases.js';
import { onecError } from './errors.js';
import type { OptionStore } from './option-store.js';
import { BaseOptions } from './options.js';
import type { OutboundService } from './outbound.js';

const BaseParams = {
  key: Type.String({ maxLength: 16, pattern: '^[1-9][0-9]{0,15}$', description: 'id аккаунта amoCRM' }),
  idBase: Type.String({ minLength: 1, maxLength: 100, pattern: NO_CONTROL_CHARS, description: 'id базы 1C' }),
};
const Queued = Type.Object({ job_id: Nullable(Type.String()) }, { title: 'OnecQueued' });
const Document = Type.Object(
  {
    title: Type.String(),
    doc_type: Type.String(),
    link: Type.String(),
    parent_link: Type.String(),
    google_drive_id: Type.String(),
    google_drive_link: Type.String(),
  },
  { title: 'OnecDocument' },
);

export interface OutboundAdminDeps {
  readonly bases: BaseService;
  readonly options: OptionStore;
  readonly outbound: OutboundService;
  /** Queues the account's webhook subscription; the URL it subscribes. */
  readonly webhook: { subscribeLater(key: string): Promise<string | null>; url(key: string): string };
}

export function outboundAdminRoutes(scope: FastifyInstance, deps: OutboundAdminDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const { options, outbound, bases, webhook } = deps;
  const base = { security: ADMIN_SECURITY, tags: [ADMIN_TAG] };
  const params = Type.Object(BaseParams);
  const registered = async (key: string, idBase: string) => {
    if (!(await bases.credentials(key, idBase))) throw onecError('BASE_NOT_FOUND');
  };

  app.post(
    '/onec/accounts/:key/webhook',
    {
      schema: {
        operationId: 'AdminOnecWebhookSubscribe',
        ...base,
        summary: "Subscribe the account's amoCRM webhook again (after PUBLIC_URL changed, or amoCRM disabled it); a job",
        params: Type.Object({ key: BaseParams.key }),
        response: {
          202: Type.Object({ job_id: Nullable(Type.String()), destination: Type.String() }, { title: 'OnecWebhookQueued' }),
          400: E,
          401: E,
        },
      },
    },
    async (req, reply) =>
      reply.status(202).send({ job_id: await webhook.subscribeLater(req.params.key), destination: webhook.url(req.params.key) }),
  );
  app.get(
    '/onec/bases/:key/:idBase/options',
    {
      schema: {
        operationId: 'AdminOnecOptionsGet',
        ...base,
        summary: "A base's options: order stage, event stages and fields, counterparty pushes",
        params,
        response: { 200: BaseOptions, 401: E, 404: E },
      },
    },
    async (req) => options.get(req.params.key, req.params.idBase),
  );
  app.put(
    '/onec/bases/:key/:idBase/options',
    {
      schema: {
        operationId: 'AdminOnecOptionsSet',
        ...base,
        summary: "Replace a base's options",
        params,
        body: BaseOptions,
        response: { 200: BaseOptions, 400: E, 401: E, 404: E },
      },
    },
    async (req) => options.set(req.params.key, req.params.idBase, req.body),
  );
  app.get(
    '/onec/bases/:key/:idBase/leads/:leadId/documents',
    {
      schema: {
        operationId: 'AdminOnecLeadDocuments',
        ...base,
        summary: "A deal's documents in 1C (get_orders, asked now)",
        params: Type.Object({ ...BaseParams, leadId: Type.Integer({ minimum: 1, maximum: MAX_ID }) }),
        response: { 200: Type.Object({ documents: Type.Array(Document) }), 400: E, 401: E, 404: E, 502: E },
      },
    },
    async (req) => {
      try {
        return { documents: await outbound.documents(req.params.key, req.params.idBase, req.params.leadId) };
      } catch (err) {
        if (isOnecError(err)) throw onecError('ONEC_CALL_FAILED', `Запрос в 1С не выполнен: ${onecReason(err)}`);
        throw err;
      }
    },
  );
  app.post(
    '/onec/bases/:key/:idBase/corr-table',
    {
      schema: {
        operationId: 'AdminOnecCorrTablePush',
        ...base,
        summary: "Send the account's field table (corr_table) to the base now (a job)",
        params,
        response: { 202: Queued, 401: E, 404: E },
      },
    },
    async (req, reply) => {
      await registered(req.params.key, req.params.idBase);
      return reply.status(202).send({ job_id: await outbound.corrTableLater(req.params.key, req.params.idBase) });
    },
  );
  app.post(
    '/onec/bases/:key/:idBase/push/:entity/:amoId',
    {
      schema: {
        operationId: 'AdminOnecPush',
        ...base,
        summary: 'Send one contact or company (new_lead) or deal (new_order) to the base now (a job)',
        params: Type.Object({
          ...BaseParams,
          entity: Type.Union([Type.Literal('contacts'), Type.Literal('companies'), Type.Literal('leads')]),
          amoId: Type.Integer({ minimum: 1, maximum: MAX_ID }),
        }),
        response: { 202: Queued, 400: E, 401: E, 404: E },
      },
    },
    async (req, reply) => {
      const { key, idBase, entity, amoId } = req.params;
      await registered(key, idBase);
      return reply.status(202).send({ job_id: await outbound.pushNow(key, idBase, entity, amoId) });
    },
  );
}

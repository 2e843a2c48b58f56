// Operator view of the webhook inbox: list and filter, look at one message, replay it.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { IdInteger, LineString, Nullable, StringEnum } from '../http/schema-types.js';
import type { Hub } from '../hub.js';
import { HubError } from '../http/errors.js';
import { ADMIN_SECURITY } from './auth.js';
import type { InboxMessage } from '../inbox/inbox.js';
import { PlatformError } from './schemas.js';

const Message = Type.Object({
  id: Type.Integer(),
  source: Type.String(),
  dedupeKey: Type.String(),
  method: Type.String(),
  path: Type.String(),
  status: Type.String(),
  queue: Type.String(),
  jobId: Nullable(Type.String()),
  attempts: Type.Integer(),
  error: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  receivedAt: Type.String({ format: 'date-time' }),
  processedAt: Nullable(Type.String({ format: 'date-time' })),
});
const MessageFull = Type.Intersect([
  Message,
  Type.Object({ headers: Type.Record(Type.String(), Type.String()), contentType: Nullable(Type.String()), body: Type.String() }),
]);
const ListQuery = Type.Object({
  source: Type.Optional(LineString({ maxLength: 200 })),
  status: Type.Optional(StringEnum(['received', 'processed', 'failed'])),
  before: Type.Optional(IdInteger({ description: 'Return messages with an id below this (pagination cursor)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
});
const IdParams = Type.Object({ id: IdInteger() });

const summary = (m: InboxMessage): Static<typeof Message> => ({
  id: m.id,
  source: m.source,
  dedupeKey: m.dedupeKey,
  method: m.method,
  path: m.path,
  status: m.status,
  queue: m.queue,
  jobId: m.jobId,
  attempts: m.attempts,
  error: m.error,
  requestId: m.requestId,
  receivedAt: m.receivedAt.toISOString(),
  processedAt: m.processedAt ? m.processedAt.toISOString() : null,
});

export const inboxAdminRoutes = (hub: Hub) => async (app: FastifyInstance) => {
  const tags = ['admin: inbox'];
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/inbox',
    {
      schema: {
        operationId: 'AdminInboxList',
        tags,
        summary: 'List inbound webhooks, newest first',
        security: ADMIN_SECURITY,
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(Message), nextBefore: Nullable(Type.Integer()) }), 401: PlatformError },
      },
    },
    async (req) => {
      const limit = req.query.limit ?? 50;
      const items = await hub.inbox.list({ ...req.query, beforeId: req.query.before, limit });
      return { items: items.map(summary), nextBefore: items.length === limit ? items[items.length - 1]!.id : null };
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/inbox/:id',
    {
      schema: {
        operationId: 'AdminInboxGet',
        tags,
        summary: 'One inbound webhook with its stored headers and body',
        security: ADMIN_SECURITY,
        params: IdParams,
        response: { 200: MessageFull, 401: PlatformError, 404: PlatformError },
      },
    },
    async (req) => {
      const m = await hub.inbox.get(req.params.id);
      if (!m) throw new HubError('NOT_FOUND', 404, `inbox message ${req.params.id} not found`);
      return { ...summary(m), headers: m.headers, contentType: m.contentType, body: m.body };
    },
  );

  app.post<{ Params: Static<typeof IdParams> }>(
    '/inbox/:id/replay',
    {
      schema: {
        operationId: 'AdminInboxReplay',
        tags,
        summary: 'Process a stored webhook again',
        security: ADMIN_SECURITY,
        params: IdParams,
        response: { 202: Type.Object({ id: Type.Integer(), jobId: Nullable(Type.String()) }), 401: PlatformError, 404: PlatformError },
      },
    },
    async (req, reply) => {
      const jobId = await hub.inbox.replay(req.params.id);
      if (jobId === undefined) throw new HubError('NOT_FOUND', 404, `inbox message ${req.params.id} not found`);
      return reply.status(202).send({ id: req.params.id, jobId });
    },
  );
};

// Operator view of job runs: per-queue counts, list by queue and state, one job, retry one, bulk retry.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { LineString, Nullable, StringEnum } from '../http/schema-types.js';
import type { Hub } from '../hub.js';
import { HubError } from '../http/errors.js';
import { JobHistory } from '../jobs/history.js';
import { ADMIN_SECURITY } from './auth.js';
import { PlatformError } from './schemas.js';

const State = StringEnum(['created', 'retry', 'active', 'completed', 'cancelled', 'failed', 'dead']);
const Job = Type.Object({
  id: Type.String(),
  queue: Type.String(),
  state: Type.String(),
  retryCount: Type.Integer(),
  retryLimit: Type.Integer(),
  createdOn: Type.String({ format: 'date-time' }),
  startedOn: Nullable(Type.String({ format: 'date-time' })),
  completedOn: Nullable(Type.String({ format: 'date-time' })),
  startAfter: Type.String({ format: 'date-time' }),
  data: Type.Unknown(),
  output: Type.Unknown(),
});
const ListQuery = Type.Object({
  queue: Type.Optional(LineString({ maxLength: 200 })),
  state: Type.Optional(State),
  before: Type.Optional(Type.String({ format: 'date-time', description: 'Only jobs created before this time (pagination cursor)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
});
const BulkBody = Type.Object({
  queue: Type.Optional(LineString({ maxLength: 200 })),
  state: StringEnum(['failed', 'dead']),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
});
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const jobAdminRoutes = (hub: Hub) => async (app: FastifyInstance) => {
  const history = new JobHistory(hub.database, hub.jobs);
  const tags = ['admin: jobs'];

  app.get(
    '/jobs/queues',
    {
      schema: {
        operationId: 'AdminJobQueues',
        tags,
        summary: 'Job counts per queue and state',
        security: ADMIN_SECURITY,
        response: {
          200: Type.Object({
            queues: Type.Array(Type.Object({ queue: Type.String(), counts: Type.Record(Type.String(), Type.Integer()) })),
          }),
          401: PlatformError,
        },
      },
    },
    async () => ({ queues: await history.summary() }),
  );

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/jobs',
    {
      schema: {
        operationId: 'AdminJobList',
        tags,
        summary: 'Job runs, newest first',
        security: ADMIN_SECURITY,
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(Job) }), 401: PlatformError },
      },
    },
    async (req) => ({ items: await history.list({ ...req.query, state: req.query.state as never, limit: req.query.limit ?? 50 }) }),
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/jobs/:id',
    {
      schema: {
        operationId: 'AdminJobGet',
        tags,
        summary: 'One job run with its data, error output and attempts',
        security: ADMIN_SECURITY,
        params: IdParams,
        response: { 200: Job, 401: PlatformError, 404: PlatformError },
      },
    },
    async (req) => {
      const job = await history.get(req.params.id);
      if (!job) throw new HubError('NOT_FOUND', 404, `job ${req.params.id} not found`);
      return job;
    },
  );

  app.post<{ Params: Static<typeof IdParams> }>(
    '/jobs/:id/retry',
    {
      schema: {
        operationId: 'AdminJobRetry',
        tags,
        summary: 'Retry a failed or dead-lettered job',
        security: ADMIN_SECURITY,
        params: IdParams,
        response: { 202: Type.Object({ jobId: Type.String() }), 401: PlatformError, 404: PlatformError, 409: PlatformError },
      },
    },
    async (req, reply) => {
      const job = await history.get(req.params.id);
      if (!job) throw new HubError('NOT_FOUND', 404, `job ${req.params.id} not found`);
      const jobId = await history.retry(req.params.id);
      if (!jobId)
        throw new HubError('CONFLICT', 409, `job ${req.params.id} is ${job.state}; only failed or dead-lettered jobs can be retried`);
      return reply.status(202).send({ jobId });
    },
  );

  app.post<{ Body: Static<typeof BulkBody> }>(
    '/jobs/retry',
    {
      schema: {
        operationId: 'AdminJobRetryMany',
        tags,
        summary: 'Retry failed or dead-lettered jobs matching a filter',
        security: ADMIN_SECURITY,
        body: BulkBody,
        response: { 202: Type.Object({ retried: Type.Integer(), jobIds: Type.Array(Type.String()) }), 401: PlatformError },
      },
    },
    async (req, reply) => {
      const jobIds = await history.retryMany({ queue: req.body.queue, state: req.body.state, limit: req.body.limit ?? 100 });
      return reply.status(202).send({ retried: jobIds.length, jobIds });
    },
  );
};

// Liveness, readiness and metrics: what an orchestrator and Prometheus scrape.
import type { FastifyInstance } from 'fastify';
import { PlatformError } from '../admin/schemas.js';
import { Type } from '@sinclair/typebox';
import { StringEnum } from './schema-types.js';
import type { Hub } from '../hub.js';
import { migrationStatus } from '../db/migrate.js';
import { errorSummary } from '../observability/errors.js';

const Check = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) });
const Ready = Type.Object({
  status: StringEnum(['ready', 'not_ready']),
  checks: Type.Object({
    database: Check,
    migrations: Check,
    queue: Check,
    ratelimit: Type.Object(
      { ok: Type.Boolean(), detail: Type.Optional(Type.String()) },
      {
        description: 'false while the shared rate-limit store is unreachable: limits are then kept per process and the hub stays ready',
      },
    ),
  }),
});

export const healthRoutes = (hub: Hub) => async (app: FastifyInstance) => {
  app.get(
    '/healthz',
    {
      // Neither this nor /metrics touches the database, so neither can answer the outage's 503 (error-responses.ts).
      config: { usesDatabase: false },
      schema: {
        operationId: 'Healthz',
        tags: ['platform'],
        summary: 'Liveness: the process answers',
        response: { 200: Type.Object({ status: Type.Literal('ok') }), 500: PlatformError },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        operationId: 'Readyz',
        tags: ['platform'],
        summary: 'Readiness: database reachable, migrations current, queue running (rate-limit store state shown, not required)',
        response: { 200: Ready, 503: Ready },
      },
    },
    async (_req, reply) => {
      const database = await hub.database
        .query('select 1')
        .then(() => ({ ok: true }))
        .catch((err: unknown) => ({ ok: false, detail: errorSummary(err) }));
      const m = database.ok ? await migrationStatus(hub.database) : { applied: 0, expected: 0 };
      const migrations = { ok: database.ok && m.applied >= m.expected, detail: `${m.applied}/${m.expected} applied` };
      const queue = { ok: hub.jobs.running, ...(hub.jobs.running ? {} : { detail: 'job queue is not running' }) };
      // A degraded limiter keeps serving by policy (ratelimit/fallback.ts): shown here, but not a reason to stop routing.
      const limiter = hub.rateLimiter.health();
      const ratelimit = limiter.degraded
        ? {
            ok: false,
            detail: `${limiter.store} unreachable since ${limiter.since}; limits kept per process${limiter.lastError ? ` (${limiter.lastError})` : ''}`,
          }
        : { ok: true, detail: `shared in ${limiter.store}` };
      const ready = database.ok && migrations.ok && queue.ok;
      return reply
        .status(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not_ready', checks: { database, migrations, queue, ratelimit } });
    },
  );

  app.get(
    '/metrics',
    {
      config: { usesDatabase: false },
      schema: {
        operationId: 'Metrics',
        tags: ['platform'],
        summary: 'Prometheus metrics',
        response: {
          200: {
            description: 'Prometheus text exposition format (version 0.0.4)',
            content: { 'text/plain': { schema: Type.String() } },
          },
          500: PlatformError,
        },
      },
    },
    async (_req, reply) => {
      reply.header('content-type', hub.metrics.registry.contentType);
      return hub.metrics.registry.metrics();
    },
  );
};

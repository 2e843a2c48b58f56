// Liveness, readiness and metrics: what an orchestrator and Prometheus scrape.
import type { FastifyInstance } from 'fastify';
import { PlatformError } from '../admin/schemas.js';
import { Type } from '@sinclair/typebox';
import { StringEnum } from './schema-types.js';
import type { Hub } from '../hub.js';
import { migrationStatus } from '../db/migrate.js';

const Check = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) });
const Ready = Type.Object({
  status: StringEnum(['ready', 'not_ready']),
  checks: Type.Object({ database: Check, migrations: Check, queue: Check }),
});

export const healthRoutes = (hub: Hub) => async (app: FastifyInstance) => {
  app.get(
    '/healthz',
    {
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
        summary: 'Readiness: database reachable, migrations current, queue running',
        response: { 200: Ready, 503: Ready },
      },
    },
    async (_req, reply) => {
      const database = await hub.database
        .query('select 1')
        .then(() => ({ ok: true }))
        .catch((err: Error) => ({ ok: false, detail: err.message }));
      const m = database.ok ? await migrationStatus(hub.database) : { applied: 0, expected: 0 };
      const migrations = { ok: database.ok && m.applied >= m.expected, detail: `${m.applied}/${m.expected} applied` };
      const queue = { ok: hub.jobs.running, ...(hub.jobs.running ? {} : { detail: 'job queue is not running' }) };
      const ready = database.ok && migrations.ok && queue.ok;
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: { database, migrations, queue } });
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        operationId: 'Metrics',
        tags: ['platform'],
        summary: 'Prometheus metrics',
        response: { 200: Type.String({ description: 'Prometheus text exposition format' }), 500: PlatformError },
      },
    },
    async (_req, reply) => {
      reply.header('content-type', hub.metrics.registry.contentType);
      return hub.metrics.registry.metrics();
    },
  );
};

// Operator routes under /admin/v1/quiz: see failed results with their amoCRM error, and deliver them again
// (after the account is re-connected, a rule fixed, or an outage outlasted the retries).
import type { FastifyInstance } from 'fastify';
import { PlatformError } from '../../../platform/admin/schemas.js';
import { Type, type Static } from '@sinclair/typebox';
import { LineString, Nullable, StringEnum } from '../../../platform/http/schema-types.js';
import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { Hub } from '../../../platform/hub.js';
import { ADMIN_SECURITY } from '../../../platform/admin/auth.js';
import { quizResults } from '../schema.js';
import type { DeliveryService } from '../delivery.js';

const tags = ['admin: quiz'];
const ListQuery = Type.Object({
  status: Type.Optional(StringEnum(['queued', 'sent', 'failed'])),
  quizAccountId: Type.Optional(LineString({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
});
const ResultRow = Type.Object({
  resultId: Type.String(),
  quizAccountId: Type.String(),
  quizId: Type.Integer(),
  status: Type.String(),
  attempts: Type.Integer(),
  amoLeadId: Nullable(Type.Integer()),
  error: Type.Unknown(),
  warnings: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});
const RedeliverBody = Type.Object({
  quizAccountId: Type.Optional(LineString({ maxLength: 200 })),
  resultIds: Type.Optional(Type.Array(LineString({ maxLength: 200 }), { maxItems: 5000 })),
});

export function quizAdminRoutes(app: FastifyInstance, deps: { hub: Hub; delivery: DeliveryService }): void {
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/quiz/results',
    {
      schema: {
        operationId: 'AdminQuizResults',
        tags,
        summary: 'Quiz results, newest first (e.g. status=failed with the amoCRM error)',
        security: ADMIN_SECURITY,
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(ResultRow) }), 400: PlatformError, 401: PlatformError },
      },
    },
    async (req) => {
      const conds: SQL[] = [];
      if (req.query.status) conds.push(eq(quizResults.status, req.query.status));
      if (req.query.quizAccountId) conds.push(eq(quizResults.quizAccountId, req.query.quizAccountId));
      const rows = await deps.hub.db
        .select()
        .from(quizResults)
        .where(conds.length ? and(...conds) : undefined)
        .orderBy(desc(quizResults.id))
        .limit(req.query.limit ?? 50);
      return {
        items: rows.map((r) => ({
          resultId: r.resultId,
          quizAccountId: r.quizAccountId,
          quizId: r.quizId,
          status: r.status,
          attempts: r.attempts,
          amoLeadId: r.amoLeadId,
          error: r.error,
          warnings: r.warnings,
          createdAt: r.createdAt.toISOString(),
        })),
      };
    },
  );

  app.post<{ Body: Static<typeof RedeliverBody> }>(
    '/quiz/results/redeliver',
    {
      schema: {
        operationId: 'AdminQuizRedeliver',
        tags,
        summary: 'Queue failed quiz results for delivery again',
        security: ADMIN_SECURITY,
        body: RedeliverBody,
        response: { 200: Type.Object({ requeued: Type.Integer() }), 400: PlatformError, 401: PlatformError },
      },
    },
    async (req) => ({ requeued: await deps.delivery.redeliver(req.body ?? {}) }),
  );
}

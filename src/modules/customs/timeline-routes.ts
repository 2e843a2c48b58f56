// GET /admin/v1/deals/{leadId}/timeline: every event of one amoCRM lead across Alta, ВЭД-склад, the lab, 1C and the
// hub's own steps, in the order they happened, each with a link to its raw request (GET /admin/v1/inbox/{id}).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Nullable } from '../../platform/http/schema-types.js';
import { PlatformError as E } from '../../platform/admin/schemas.js';
import { AccountFilter, ADMIN_BASE, LeadParams } from './admin-routes.js';
import type { EventLog } from './events.js';

const TimelineEvent = Type.Object(
  {
    id: Type.Integer(),
    account_id: Type.Integer(),
    lead_id: Type.Integer(),
    at: Type.String({ description: "When it happened: the sender's occurredAt, or the hub's clock for its own steps" }),
    source: Type.String({ description: 'alta, ved-sklad, lab, 1c, amocrm or hub' }),
    kind: Type.String({ description: 'ptd, transit, svh, lab, ptd_export…' }),
    step: Type.String({ description: 'received, recorded, stale, no_mapping, amo_updated, amo_failed, exported, amo_noted…' }),
    code: Nullable(Type.String()),
    summary: Type.String(),
    details: Type.Record(Type.String(), Type.Unknown()),
    inbox_id: Nullable(Type.Integer()),
    raw: Nullable(Type.String({ description: 'The stored request, raw (operator API path)' })),
    recorded_at: Type.String(),
  },
  { title: 'CustomsTimelineEvent' },
);

export function timelineRoutes(scope: FastifyInstance, events: EventLog): void {
  scope.withTypeProvider<TypeBoxTypeProvider>().get(
    '/deals/:leadId/timeline',
    {
      schema: {
        operationId: 'AdminDealTimeline',
        ...ADMIN_BASE,
        summary: "A deal's timeline: every notification and every step the hub took, oldest first, raw requests one link away",
        params: LeadParams,
        querystring: AccountFilter,
        response: { 200: Type.Object({ lead_id: Type.Integer(), events: Type.Array(TimelineEvent) }), 400: E, 401: E },
      },
    },
    async (req) => ({ lead_id: req.params.leadId, events: await events.timeline(req.params.leadId, req.query.account) }),
  );
}

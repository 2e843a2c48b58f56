// Operator routes of issue #24 under /admin/v1/tracking: status corrections past the public API's forward-only
// rule (recorded with who and why), a bot's allowed browser origins (CORS), and keys imported from a previous
// system. The same services back `hub tracking …` (cli-operator.ts).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ADMIN_SECURITY } from '../../platform/admin/auth.js';
import { PlatformError } from '../../platform/admin/schemas.js';
import { IdInteger, LineString } from '../../platform/http/schema-types.js';
import { StatusSchema, TrackingDetail } from './contract.js';
import type { TrackingService } from './tracking.js';

const E = PlatformError;

export const CorrectionParams = Type.Object({ id: IdInteger(), tracking_id: IdInteger() });
export const Correction = Type.Object(
  {
    status: StatusSchema,
    reason: LineString({ minLength: 1, maxLength: 500, description: 'Why (kept in the history, shown to API clients)' }),
    by: LineString({ minLength: 1, maxLength: 100, description: 'Who corrects it (an operator name or e-mail)' }),
  },
  { additionalProperties: false },
);

export interface OperatorDeps {
  readonly tracking: TrackingService;
}

export function operatorRoutes(scope: FastifyInstance, deps: OperatorDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const { tracking } = deps;
  const base = { security: ADMIN_SECURITY, tags: ['admin: tracking'] };

  app.post(
    '/tracking/bots/:id/numbers/:tracking_id/status-correction',
    {
      schema: {
        operationId: 'AdminTrackingStatusCorrect',
        ...base,
        summary: "Correct a tracking number's status (any status; the public API stays forward-only)",
        description:
          'Sets the status regardless of the forward-only rule (e.g. a mistaken `issued` back to `delivered`). The history records ' +
          'source `admin`, `changed_by` and `reason`; counters and status-change webhooks follow as for any move. Same status: 409.',
        params: CorrectionParams,
        body: Correction,
        response: { 200: TrackingDetail, 400: E, 401: E, 404: E, 409: E },
      },
    },
    async (req) => tracking.correct(req.params.id, req.params.tracking_id, req.body),
  );
}

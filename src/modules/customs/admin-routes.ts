// Operator API under /admin/v1/customs: source tokens (create, rotate, revoke, list — a token is shown only when it
// is made) and the ПТД exports of a lead.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { IdInteger, Nullable } from '../../platform/http/schema-types.js';
import { ADMIN_SECURITY } from '../../platform/admin/auth.js';
import { PlatformError as E } from '../../platform/admin/schemas.js';
import { SourceSchema } from './contract.js';
import type { PtdService } from './ptd.js';
import type { TokenService } from './tokens.js';
import type { StatusService } from './statuses.js';

export const ADMIN_TAG = 'admin: customs';

const SourceParams = Type.Object({ source: SourceSchema });
const TokenView = Type.Object(
  { source: Type.String(), prefix: Type.String(), created_at: Type.String(), rotated_at: Nullable(Type.String()) },
  { title: 'CustomsToken' },
);
const ShownToken = Type.Object(
  { ...TokenView.properties, token: Type.String({ description: 'The token: shown once, only its SHA-256 is stored' }) },
  { title: 'CustomsTokenShown' },
);
const LeadStatus = Type.Object(
  {
    kind: Type.String({ description: 'ptd or transit' }),
    code: Type.String(),
    label: Nullable(Type.String({ description: 'null: a code the hub does not know (kept as sent)' })),
    occurred_at: Type.String(),
    details: Type.Record(Type.String(), Type.Unknown()),
    event_id: Type.String(),
    updated_at: Type.String(),
  },
  { title: 'CustomsLeadStatus' },
);
const Problem = Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() });
const ExportRecord = Type.Object(
  {
    id: Type.Integer(),
    lead_id: Type.Integer(),
    document_id: Type.String(),
    album_version: Type.String(),
    sha256: Type.String({ description: 'SHA-256 of the XML as returned' }),
    bytes: Type.Integer(),
    warnings: Type.Array(Problem),
    created_at: Type.String(),
  },
  { title: 'CustomsPtdExport' },
);

export function adminRoutes(scope: FastifyInstance, deps: { tokens: TokenService; ptd: PtdService; statuses: StatusService }): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const { tokens, ptd, statuses } = deps;
  const base = { security: ADMIN_SECURITY, tags: [ADMIN_TAG] };
  const make = (action: 'create' | 'rotate', operationId: string, summary: string) =>
    app.post(
      `/customs/tokens/:source${action === 'rotate' ? '/rotate' : ''}`,
      { schema: { operationId, ...base, summary, params: SourceParams, response: { 201: ShownToken, 401: E, 404: E, 409: E } } },
      async (req, reply) => reply.status(201).send(await tokens[action](req.params.source)),
    );
  make('create', 'AdminCustomsTokenCreate', "Create a source's token (alta, ved-sklad, lab, 1c, amocrm); shown once");
  make('rotate', 'AdminCustomsTokenRotate', "Replace a source's token: the old one is refused at once");
  app.delete(
    '/customs/tokens/:source',
    {
      schema: {
        operationId: 'AdminCustomsTokenRevoke',
        ...base,
        summary: "Revoke a source's token (its calls are refused until a new one is created)",
        params: SourceParams,
        response: { 200: TokenView, 401: E, 404: E },
      },
    },
    async (req) => tokens.revoke(req.params.source),
  );
  app.get(
    '/customs/tokens',
    {
      schema: {
        operationId: 'AdminCustomsTokenList',
        ...base,
        summary: 'Source tokens (prefixes and dates, never the tokens)',
        querystring: Type.Object({ source: Type.Optional(SourceSchema) }),
        response: { 200: Type.Object({ tokens: Type.Array(TokenView) }), 400: E, 401: E },
      },
    },
    async (req) => ({ tokens: await tokens.list(req.query.source) }),
  );
  app.get(
    '/customs/leads/:leadId/ptd-exports',
    {
      schema: {
        operationId: 'AdminCustomsPtdExports',
        ...base,
        summary: 'ПТД generated for an amoCRM lead, newest first (document id, SHA-256, warnings, time)',
        params: Type.Object({ leadId: IdInteger({ description: 'amoCRM lead id' }) }),
        response: { 200: Type.Object({ exports: Type.Array(ExportRecord) }), 401: E },
      },
    },
    async (req) => ({ exports: await ptd.exportsOf(req.params.leadId) }),
  );
  app.get(
    '/customs/leads/:leadId/statuses',
    {
      schema: {
        operationId: 'AdminCustomsLeadStatuses',
        ...base,
        summary: "A lead's latest ПТД and transit statuses from Alta (the newest by occurredAt; unknown codes kept)",
        params: Type.Object({ leadId: IdInteger({ description: 'amoCRM lead id' }) }),
        response: { 200: Type.Object({ statuses: Type.Array(LeadStatus) }), 401: E },
      },
    },
    async (req) => ({ statuses: await statuses.of(req.params.leadId) }),
  );
}

// Operator API under /admin/v1/customs: per amoCRM account, the source tokens (create, rotate, revoke, list — a
// token is shown only when it is made); per lead, the ПТД exports and the latest statuses. Status mappings are in
// mapping-routes.ts, the deal timeline in timeline-routes.ts.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AmoConnector } from '../../connectors/amocrm/index.js';
import { IdInteger, Nullable } from '../../platform/http/schema-types.js';
import { ADMIN_SECURITY } from '../../platform/admin/auth.js';
import { PlatformError as E } from '../../platform/admin/schemas.js';
import { assertKnownAccount } from './amo-account.js';
import { SourceSchema } from './contract.js';
import type { PtdService } from './ptd.js';
import type { TokenService } from './tokens.js';
import type { StatusService } from './statuses.js';

export const ADMIN_TAG = 'admin: customs';
export const ADMIN_BASE = { security: ADMIN_SECURITY, tags: [ADMIN_TAG] };

export const AccountParam = { accountId: IdInteger({ description: 'amoCRM account id (connected for customs)' }) };
const SourceParams = Type.Object({ ...AccountParam, source: SourceSchema });
export const LeadParams = Type.Object({ leadId: IdInteger({ description: 'amoCRM lead id' }) });
export const AccountFilter = Type.Object({ account: Type.Optional(IdInteger({ description: 'Only this amoCRM account' })) });

const TokenView = Type.Object(
  {
    account_id: Type.Integer(),
    source: Type.String(),
    prefix: Type.String(),
    created_at: Type.String(),
    rotated_at: Nullable(Type.String()),
  },
  { title: 'CustomsToken' },
);
const ShownToken = Type.Object(
  { ...TokenView.properties, token: Type.String({ description: 'The token: shown once, only its SHA-256 is stored' }) },
  { title: 'CustomsTokenShown' },
);
const LeadStatus = Type.Object(
  {
    account_id: Type.Integer(),
    kind: Type.String({ description: 'ptd, transit, svh, lab…' }),
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
    account_id: Type.Integer(),
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

export interface AdminDeps {
  readonly tokens: TokenService;
  readonly ptd: PtdService;
  readonly statuses: StatusService;
  readonly amo: AmoConnector;
}

export function adminRoutes(scope: FastifyInstance, deps: AdminDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const { tokens, ptd, statuses, amo } = deps;
  const base = ADMIN_BASE;
  const make = (action: 'create' | 'rotate', operationId: string, summary: string) =>
    app.post(
      `/customs/accounts/:accountId/tokens/:source${action === 'rotate' ? '/rotate' : ''}`,
      { schema: { operationId, ...base, summary, params: SourceParams, response: { 201: ShownToken, 401: E, 404: E, 409: E } } },
      async (req, reply) => {
        if (action === 'create') await assertKnownAccount(amo, req.params.accountId);
        return reply.status(201).send(await tokens[action](req.params.accountId, req.params.source));
      },
    );
  make('create', 'AdminCustomsTokenCreate', "Create a source's token for an amoCRM account (alta, ved-sklad, lab, 1c, amocrm); shown once");
  make('rotate', 'AdminCustomsTokenRotate', "Replace a source's token: the old one is refused at once");
  app.delete(
    '/customs/accounts/:accountId/tokens/:source',
    {
      schema: {
        operationId: 'AdminCustomsTokenRevoke',
        ...base,
        summary: "Revoke a source's token (its calls are refused until a new one is created)",
        params: SourceParams,
        response: { 200: TokenView, 401: E, 404: E },
      },
    },
    async (req) => tokens.revoke(req.params.accountId, req.params.source),
  );
  app.get(
    '/customs/tokens',
    {
      schema: {
        operationId: 'AdminCustomsTokenList',
        ...base,
        summary: 'Source tokens (account, prefixes and dates, never the tokens)',
        querystring: Type.Object({ ...AccountFilter.properties, source: Type.Optional(SourceSchema) }),
        response: { 200: Type.Object({ tokens: Type.Array(TokenView) }), 400: E, 401: E },
      },
    },
    async (req) => ({ tokens: await tokens.list({ accountId: req.query.account, source: req.query.source }) }),
  );
  app.get(
    '/customs/leads/:leadId/ptd-exports',
    {
      schema: {
        operationId: 'AdminCustomsPtdExports',
        ...base,
        summary: 'ПТД generated for an amoCRM lead, newest first (document id, SHA-256, warnings, time)',
        params: LeadParams,
        querystring: AccountFilter,
        response: { 200: Type.Object({ exports: Type.Array(ExportRecord) }), 400: E, 401: E },
      },
    },
    async (req) => ({ exports: await ptd.exportsOf(req.params.leadId, req.query.account) }),
  );
  app.get(
    '/customs/leads/:leadId/statuses',
    {
      schema: {
        operationId: 'AdminCustomsLeadStatuses',
        ...base,
        summary: "A lead's latest status of each kind (ПТД, transit, СВХ, lab…): the newest by occurredAt; unknown codes kept",
        params: LeadParams,
        querystring: AccountFilter,
        response: { 200: Type.Object({ statuses: Type.Array(LeadStatus) }), 400: E, 401: E },
      },
    },
    async (req) => ({ statuses: await statuses.of(req.params.leadId, req.query.account) }),
  );
}

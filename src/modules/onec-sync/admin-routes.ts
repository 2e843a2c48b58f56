// Operator API under /admin/v1/onec: the integration secret of an account (create, rotate, show), the registered
// 1C bases with their field-correspondence tables, and handler packages (publish the global default, list).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Nullable } from '../../platform/http/schema-types.js';
import { ADMIN_SECURITY } from '../../platform/admin/auth.js';
import { PlatformError as E } from '../../platform/admin/schemas.js';
import { Handlers } from './contract.js';
import type { SecretService } from './secrets.js';
import type { BaseService } from './bases.js';
import type { HandlerService } from './handlers.js';

export const ADMIN_TAG = 'admin: 1c';

const KeyParams = Type.Object({ key: Type.String({ maxLength: 16, pattern: '^[1-9][0-9]{0,15}$', description: 'id аккаунта amoCRM' }) });
const Secret = Type.Object(
  { key: Type.String(), secret: Type.String(), created_at: Type.String(), rotated_at: Nullable(Type.String()) },
  { title: 'OnecSecret' },
);
/** 1C field → amoCRM field id or code; null while 1C never sent that entity's table. */
const FieldMap = Type.Unsafe<Record<string, number | string> | null>({ type: ['object', 'null'], additionalProperties: true });
const Base = Type.Object(
  {
    key: Type.String(),
    id_base: Type.String(),
    web_address: Type.String(),
    url_address: Type.String(),
    login: Type.String(),
    checked_at: Nullable(Type.String({ description: 'null: the connection was not checked' })),
    updated_at: Type.String(),
    fields: Type.Object({ contacts: FieldMap, companies: FieldMap, leads: FieldMap }),
  },
  { title: 'OnecBase' },
);
const Package = Type.Object({
  key: Nullable(Type.String()),
  id_base: Nullable(Type.String()),
  version: Type.Integer(),
  created_at: Type.String(),
});

export interface AdminDeps {
  readonly secrets: SecretService;
  readonly bases: BaseService;
  readonly handlers: HandlerService;
}

export function adminRoutes(scope: FastifyInstance, deps: AdminDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const { secrets, bases, handlers } = deps;
  const base = { security: ADMIN_SECURITY, tags: [ADMIN_TAG] };
  const secretRoute = (action: 'create' | 'rotate', operationId: string, summary: string) =>
    app.post(
      `/onec/accounts/:key/secret${action === 'rotate' ? '/rotate' : ''}`,
      { schema: { operationId, ...base, summary, params: KeyParams, response: { 201: Secret, 401: E, 404: E, 409: E } } },
      async (req, reply) => reply.status(201).send(await secrets[action](req.params.key)),
    );
  secretRoute('create', 'AdminOnecSecretCreate', "Create an account's integration secret (1C's HTTP Basic password)");
  secretRoute('rotate', 'AdminOnecSecretRotate', 'Replace the secret: the old one stops working at once');
  app.get(
    '/onec/accounts/:key/secret',
    {
      schema: {
        operationId: 'AdminOnecSecretShow',
        ...base,
        summary: "Show an account's integration secret",
        params: KeyParams,
        response: { 200: Secret, 401: E, 404: E },
      },
    },
    async (req) => secrets.show(req.params.key),
  );
  app.get(
    '/onec/bases',
    {
      schema: {
        operationId: 'AdminOnecBaseList',
        ...base,
        summary: '1C bases registered by POST /onec/sync/base, with their field mappings (passwords never shown)',
        querystring: Type.Object({ key: Type.Optional(KeyParams.properties.key) }),
        response: { 200: Type.Object({ bases: Type.Array(Base) }), 400: E, 401: E },
      },
    },
    async (req) => ({ bases: await bases.list(req.query.key) }),
  );
  app.post(
    '/onec/handlers',
    {
      schema: {
        operationId: 'AdminOnecHandlersPublish',
        ...base,
        summary: 'Publish the next global default handler package (bases without their own package get it)',
        body: Type.Object({ handlers: Handlers }),
        response: { 201: Type.Object({ version: Type.Integer() }), 400: E, 401: E },
      },
    },
    async (req, reply) => reply.status(201).send(await handlers.publish(req.body.handlers)),
  );
  app.get(
    '/onec/handlers',
    {
      schema: {
        operationId: 'AdminOnecHandlersList',
        ...base,
        summary: 'Handler packages, newest first (key and id_base null: the global default)',
        response: { 200: Type.Object({ packages: Type.Array(Package) }), 401: E },
      },
    },
    async () => ({ packages: await handlers.list() }),
  );
}

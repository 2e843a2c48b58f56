// Operator API for the customs module's 1C bases, one per amoCRM account:
// PUT/GET/DELETE /admin/v1/customs/accounts/:accountId/onec. The password is write-only: accepted by PUT, never
// in any answer (OnecBaseView has no such field, and the response schema would strip one).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { IdInteger } from '../../platform/http/schema-types.js';
import { ADMIN_SECURITY } from '../../platform/admin/auth.js';
import { PlatformError as E } from '../../platform/admin/schemas.js';
import { Line } from './contract.js';
import type { OnecBaseService } from './onec-bases.js';

const Params = Type.Object({ accountId: IdInteger({ description: 'amoCRM account id' }) });

const OnecBaseBody = Type.Object(
  {
    id_base: Line({ maxLength: 100, description: '1C base id (id_base of every request)', examples: ['buh-main'] }),
    web_address: Line({
      maxLength: 2000,
      description: "URL of the base's HTTP service handlers (http or https), without a login",
      examples: ['https://1c.example.ru/buh/hs/amo'],
    }),
    login: Line({ maxLength: 200, description: 'HTTP Basic login (param1)', examples: ['amo'] }),
    password: Line({ maxLength: 500, description: 'HTTP Basic password (param2): stored sealed, never returned', writeOnly: true }),
  },
  { additionalProperties: false, title: 'CustomsOnecBaseInput' },
);

export const OnecBaseView = Type.Object(
  {
    amo_account_id: Type.Integer(),
    id_base: Type.String(),
    web_address: Type.String(),
    login: Type.String(),
    updated_at: Type.String(),
  },
  { title: 'CustomsOnecBase', description: 'The 1C base of an amoCRM account for the customs module (the password is never shown)' },
);

export function onecAdminRoutes(scope: FastifyInstance, deps: { onecBases: OnecBaseService }, tag: string): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const { onecBases } = deps;
  const base = { security: ADMIN_SECURITY, tags: [tag], params: Params };
  const url = '/customs/accounts/:accountId/onec';
  app.put(
    url,
    {
      schema: {
        operationId: 'AdminCustomsOnecBaseSet',
        ...base,
        summary: "Set the account's 1C base (its address is checked; the password is stored sealed and never returned)",
        body: OnecBaseBody,
        response: { 200: OnecBaseView, 400: E, 401: E, 409: E },
      },
    },
    async (req) =>
      onecBases.set(req.params.accountId, {
        idBase: req.body.id_base,
        webAddress: req.body.web_address,
        login: req.body.login,
        password: req.body.password,
      }),
  );
  app.get(
    url,
    {
      schema: {
        operationId: 'AdminCustomsOnecBaseGet',
        ...base,
        summary: "The account's 1C base, without the password",
        response: { 200: OnecBaseView, 401: E, 404: E },
      },
    },
    async (req) => onecBases.get(req.params.accountId),
  );
  app.delete(
    url,
    {
      schema: {
        operationId: 'AdminCustomsOnecBaseRemove',
        ...base,
        summary: "Forget the account's 1C base (its 1C calls fail until one is set again)",
        response: { 200: OnecBaseView, 401: E, 404: E },
      },
    },
    async (req) => onecBases.remove(req.params.accountId),
  );
}

// Operator API for status mappings, per amoCRM account: what each status of each kind does to the lead — a stage,
// field values and a note, as templates over the notification's fields. Saving checks the stage and the fields
// against the account in amoCRM and every {placeholder} against the kind (400 MAPPING_INVALID, each problem by field).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { IdInteger, Nullable, StringEnum } from '../../platform/http/schema-types.js';
import { PlatformError as E } from '../../platform/admin/schemas.js';
import { AccountParam, ADMIN_BASE } from './admin-routes.js';
import { Line, Text } from './contract.js';
import { KIND_NAMES, KINDS, placeholdersOf } from './kinds.js';
import type { MappingService } from './mappings.js';

const KindSchema = StringEnum(KIND_NAMES, { description: `Notification kind: ${KIND_NAMES.join(', ')}` });
const Code = Line({
  maxLength: 50,
  description: 'Status code as the sender writes it (e.g. 10, TR_ALLOWED), or * for every code without its own mapping',
});
const Params = Type.Object({ ...AccountParam, kind: KindSchema, code: Code });
const FieldValue = Type.Object(
  {
    field_id: IdInteger({ description: 'amoCRM lead custom field id' }),
    value: Text({ maxLength: 2000, minLength: 0, description: 'Template: {placeholders} of the notification; empty clears the field' }),
  },
  { additionalProperties: false },
);
const MappingBody = Type.Object(
  {
    pipeline_id: Type.Optional(Nullable(IdInteger({ description: 'Pipeline of the stage (optional: the stage names it)' }))),
    status_id: Type.Optional(Nullable(IdInteger({ description: 'Stage the lead moves to' }))),
    fields: Type.Optional(Type.Array(FieldValue, { maxItems: 50 })),
    note: Type.Optional(Nullable(Text({ maxLength: 4000, description: 'Note template added to the lead' }))),
  },
  {
    additionalProperties: false,
    examples: [
      {
        status_id: 142,
        fields: [{ field_id: 701234, value: '{registrationNumber}' }],
        note: 'ПТД: {label}. Рег. номер {registrationNumber}, решение от {decisionDate}',
      },
    ],
  },
);
const Mapping = Type.Object(
  {
    account_id: Type.Integer(),
    kind: Type.String(),
    code: Type.String(),
    pipeline_id: Nullable(Type.Integer()),
    status_id: Nullable(Type.Integer()),
    fields: Type.Array(Type.Object({ field_id: Type.Integer(), value: Type.String() })),
    note: Nullable(Type.String()),
    updated_at: Type.String(),
  },
  { title: 'CustomsStatusMapping' },
);
const KindInfo = Type.Object(
  {
    kind: Type.String(),
    source: Type.String(),
    title: Type.String(),
    codes: Type.Record(Type.String(), Type.String(), { description: 'Known codes and their meaning' }),
    placeholders: Type.Array(Type.String()),
  },
  { title: 'CustomsNotificationKind' },
);

export function mappingRoutes(scope: FastifyInstance, mappings: MappingService): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/customs/kinds',
    {
      schema: {
        operationId: 'AdminCustomsKinds',
        ...ADMIN_BASE,
        summary: 'Notification kinds: their sender, known codes and the placeholders a mapping may use',
        response: { 200: Type.Object({ kinds: Type.Array(KindInfo) }), 401: E },
      },
    },
    async () => ({
      kinds: Object.values(KINDS).map((k) => ({
        kind: k.kind,
        source: k.source,
        title: k.title,
        codes: { ...k.labels },
        placeholders: placeholdersOf(k),
      })),
    }),
  );
  app.put(
    '/customs/accounts/:accountId/mappings/:kind/:code',
    {
      schema: {
        operationId: 'AdminCustomsMappingSet',
        ...ADMIN_BASE,
        summary: 'Create or replace what a status does to the amoCRM lead (stage, fields, note); checked against amoCRM',
        params: Params,
        body: MappingBody,
        response: { 200: Mapping, 400: E, 401: E, 409: E },
      },
    },
    async (req) => mappings.set(req.params.accountId, req.params.kind, req.params.code, req.body),
  );
  app.get(
    '/customs/accounts/:accountId/mappings',
    {
      schema: {
        operationId: 'AdminCustomsMappingList',
        ...ADMIN_BASE,
        summary: "The account's status mappings",
        params: Type.Object(AccountParam),
        response: { 200: Type.Object({ mappings: Type.Array(Mapping) }), 400: E, 401: E },
      },
    },
    async (req) => ({ mappings: await mappings.list(req.params.accountId) }),
  );
  app.delete(
    '/customs/accounts/:accountId/mappings/:kind/:code',
    {
      schema: {
        operationId: 'AdminCustomsMappingRemove',
        ...ADMIN_BASE,
        summary: 'Remove a mapping (the status is still recorded; amoCRM is no longer changed by it)',
        params: Params,
        response: { 200: Mapping, 400: E, 401: E, 404: E },
      },
    },
    async (req) => mappings.remove(req.params.accountId, req.params.kind, req.params.code),
  );
}

// Schemas of the operator API under /admin/v1/tracking (platform error envelope, admin token).
import { Type } from '@sinclair/typebox';
import { IdInteger, LineString, Nullable, StringEnum } from '../../platform/http/schema-types.js';

const Id = IdInteger();
const Ts = Type.String({ format: 'date-time', description: 'ISO 8601, UTC, milliseconds, Z', examples: ['2025-01-27T10:00:00.000Z'] });
const NullableTs = Nullable(Ts);

export const IdParams = Type.Object({ id: Id });

export const AdminBot = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  username: Type.String(),
  is_active: Type.Boolean(),
  subscription_status: Type.String({ description: 'Informational: stored and shown, not enforced (is_active is the switch)' }),
  allowed_origins: Type.Array(Type.String(), { description: 'Browser origins allowed to call the API with this bot’s keys (CORS)' }),
});
/** A browser origin: http(s)://host[:port], nothing after (a trailing slash is dropped, the case lowered). */
export const Origin = Type.String({
  maxLength: 300,
  pattern: '^[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:]+\\])(:\\d{1,5})?/?$',
  description: 'https://shop.example.com (scheme, host and port only)',
});
export const CreateBot = Type.Object(
  {
    id: Type.Optional(IdInteger({ description: 'Id бота на платформе (если не задан — назначается)' })),
    name: LineString({ minLength: 1, maxLength: 200 }),
    username: Type.Optional(LineString({ maxLength: 100 })),
    is_active: Type.Optional(Type.Boolean()),
    subscription_status: Type.Optional(LineString({ minLength: 1, maxLength: 50 })),
  },
  { additionalProperties: false },
);
export const UpdateBot = Type.Object(
  {
    name: Type.Optional(LineString({ minLength: 1, maxLength: 200 })),
    username: Type.Optional(LineString({ maxLength: 100 })),
    is_active: Type.Optional(Type.Boolean()),
    subscription_status: Type.Optional(LineString({ minLength: 1, maxLength: 50 })),
    allowed_origins: Type.Optional(
      Type.Array(Origin, {
        maxItems: 50,
        description: 'Replaces the list of browser origins allowed to call the API (CORS); [] turns CORS off',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const KeyScope = StringEnum(['read', 'write'], {
  description: 'read: GET only (a key embedded in a web page cannot change anything); write: everything',
});
export const ApiKey = Type.Object({
  id: Type.Integer(),
  bot_id: Type.Integer(),
  name: Type.String(),
  prefix: Type.String({ description: 'Первые 8 символов ключа, для опознания' }),
  rate_limit_per_minute: Type.Integer(),
  scope: KeyScope,
  origin: Type.String({ description: 'generated (issued by the hub) or imported (from a previous system)' }),
  created_at: Ts,
  revoked_at: NullableTs,
  last_used_at: NullableTs,
});
export const RevokedApiKey = Type.Intersect([
  ApiKey,
  Type.Object({
    warning: Type.Optional(
      Type.String({
        description:
          'Present when the revocation is stored but the shared store (Redis) could not be told yet: see docs/operations.md, Outages',
      }),
    ),
  }),
]);
export const CreatedApiKey = Type.Intersect([
  ApiKey,
  Type.Object({ key: Type.String({ description: 'Полный ключ: показывается один раз' }) }),
]);
export const CreateKey = Type.Object(
  {
    name: Type.Optional(LineString({ maxLength: 200 })),
    rate_limit_per_minute: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    scope: Type.Optional(KeyScope),
  },
  { additionalProperties: false },
);
export const UpdateKey = Type.Object(
  { rate_limit_per_minute: Type.Integer({ minimum: 1, maximum: 1_000_000 }) },
  { additionalProperties: false },
);

export const UsageQuery = Type.Object({
  days: Type.Integer({ minimum: 1, maximum: 366, default: 30 }),
  recent: Type.Integer({ minimum: 0, maximum: 1000, default: 100 }),
});
export const Usage = Type.Object({
  key_id: Type.Integer(),
  last_used_at: NullableTs,
  daily: Type.Array(Type.Object({ day: Type.String({ format: 'date' }), requests: Type.Integer(), errors: Type.Integer() })),
  recent: Type.Array(
    Type.Object({
      at: Ts,
      method: Type.String(),
      path: Type.String(),
      status: Type.Integer(),
      ip: Type.String(),
      latency_ms: Type.Number(),
    }),
  ),
});

export const Webhook = Type.Object({
  id: Type.Integer(),
  bot_id: Type.Integer(),
  url: Type.String(),
  is_active: Type.Boolean(),
  disabled_reason: Nullable(Type.String()),
  created_at: Ts,
});
export const CreatedWebhook = Type.Intersect([
  Webhook,
  Type.Object({ secret: Type.String({ description: 'whsec_…: показывается один раз' }) }),
]);
export const CreateWebhook = Type.Object(
  {
    url: LineString({
      minLength: 1,
      maxLength: 2000,
      description:
        'http(s) URL of the receiver. Refused (400): credentials in the URL, and a host that does not resolve or resolves to a private, loopback, link-local or other special address (unless OUTBOUND_ALLOW_HOSTS allows it).',
    }),
  },
  { additionalProperties: false },
);

const DeliveryStatus = StringEnum(['pending', 'delivered', 'failed']);
export const Delivery = Type.Object({
  id: Type.Integer(),
  webhook_id: Type.Integer(),
  event_id: Type.String(),
  event_type: Type.String(),
  status: DeliveryStatus,
  attempts: Type.Integer(),
  last_status_code: Nullable(Type.Integer()),
  last_error: Nullable(Type.String()),
  next_attempt_at: NullableTs,
  created_at: Ts,
  delivered_at: NullableTs,
});
export const DeliveryDetail = Type.Intersect([
  Delivery,
  Type.Object({
    body: Type.String(),
    attempts_log: Type.Array(
      Type.Object({
        at: Ts,
        trigger: Type.String(),
        status_code: Nullable(Type.Integer()),
        error: Nullable(Type.String()),
        response_body: Nullable(Type.String()),
        duration_ms: Type.Number(),
      }),
    ),
  }),
]);
export const DeliveriesQuery = Type.Object({
  status: Type.Optional(DeliveryStatus),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
});

// Tables of the cargo-tracking module (seed 004). A bot is a tenant (one cargo company): every other row carries
// its bot_id and every query filters by it. Exact list totals come from tracking_counters, which the write path
// keeps in the same transaction as the rows it counts (count(*) over 100k rows per request would cap the API).
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const botId = () =>
  bigint('bot_id', { mode: 'number' })
    .notNull()
    .references(() => trackingBots.id);
/**
 * The bot of a row that also points at a parent carrying the same bot (a number's client, a history row's number):
 * one composite foreign key (bot_id, parent) checks both the parent and that it is the same tenant's — one index
 * probe per row instead of two, which is most of an import's cost on PGlite.
 */
const tenantOfParent = () => bigint('bot_id', { mode: 'number' }).notNull();

/** A cargo company's Telegram bot; the seed's GET /bots/{bot_id}. */
export const trackingBots = pgTable('tracking_bots', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  name: text('name').notNull(),
  username: text('username').notNull().default(''),
  isActive: boolean('is_active').notNull().default(true),
  subscriptionStatus: text('subscription_status').notNull().default('active'),
  /** Browser origins (scheme://host[:port]) allowed to call the API with this bot's keys (CORS); empty: none. */
  allowedOrigins: text('allowed_origins')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  createdAt: createdAt(),
});

/** API keys: only the SHA-256 of the key and a short display prefix are stored; the key is shown once. */
export const trackingApiKeys = pgTable(
  'tracking_api_keys',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    botId: botId(),
    name: text('name').notNull().default(''),
    keyHash: text('key_hash').notNull(),
    prefix: text('prefix').notNull(),
    rateLimitPerMinute: integer('rate_limit_per_minute').notNull(),
    /** `write` (everything) or `read` (GET only: a key embedded in a web page cannot change anything). */
    scope: text('scope').notNull().default('write'),
    /** `generated` here, or `imported` from a previous system (hash + prefix, or a plain key hashed on import). */
    origin: text('origin').notNull().default('generated'),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('tracking_api_keys_hash_uq').on(t.keyHash), index('tracking_api_keys_bot_idx').on(t.botId)],
);

/** One row per API request (also unauthenticated ones, key_id null): the seed's "история использования". */
export const trackingApiRequests = pgTable(
  'tracking_api_requests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    keyId: bigint('key_id', { mode: 'number' }),
    botId: bigint('bot_id', { mode: 'number' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    status: integer('status').notNull(),
    ip: text('ip').notNull(),
    latencyMs: doublePrecision('latency_ms').notNull(),
  },
  (t) => [index('tracking_api_requests_key_idx').on(t.keyId, t.at)],
);

/** Per-key daily request counts, kept next to the request log so usage reports never scan it. */
export const trackingApiKeyDaily = pgTable(
  'tracking_api_key_daily',
  {
    keyId: bigint('key_id', { mode: 'number' }).notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    requests: integer('requests').notNull().default(0),
    errors: integer('errors').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.day] })],
);

/** A bot's client, found by client_code (unique per bot) or created with the first tracking number. */
export const trackingClients = pgTable(
  'tracking_clients',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    botId: botId(),
    clientCode: text('client_code').notNull(),
    trackingCount: integer('tracking_count').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('tracking_clients_code_uq').on(t.botId, t.clientCode), unique('tracking_clients_list_idx').on(t.botId, t.id)],
);

export const trackingNumbers = pgTable(
  'tracking_numbers',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    botId: tenantOfParent(),
    clientId: bigint('client_id', { mode: 'number' }).notNull(),
    trackingNumber: text('tracking_number').notNull(),
    clientCode: text('client_code').notNull(),
    currentStatus: text('current_status').notNull(),
    quantity: integer('quantity'),
    weightKg: numeric('weight_kg', { precision: 12, scale: 3 }),
    pricePerKgUsd: numeric('price_per_kg_usd', { precision: 12, scale: 2 }),
    totalCostUsd: numeric('total_cost_usd', { precision: 14, scale: 2 }),
    note: text('note'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('tracking_numbers_number_uq').on(t.botId, t.trackingNumber),
    foreignKey({
      name: 'tracking_numbers_client_fk',
      columns: [t.botId, t.clientId],
      foreignColumns: [trackingClients.botId, trackingClients.id],
    }),
    // Newest first, per bot and per bot + status: the list endpoint's two access paths. A unique constraint (it is:
    // id is the key), made with the table, so that history rows can reference (bot_id, id).
    unique('tracking_numbers_list_idx').on(t.botId, t.id),
    index('tracking_numbers_status_idx').on(t.botId, t.currentStatus, t.id),
    index('tracking_numbers_client_idx').on(t.botId, t.clientId, t.id),
    index('tracking_numbers_created_idx').on(t.botId, t.createdAt),
  ],
);

/** Every status a tracking number entered, including the first one. */
export const trackingStatusHistory = pgTable(
  'tracking_status_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    botId: tenantOfParent(),
    trackingId: bigint('tracking_id', { mode: 'number' }).notNull(),
    fromStatus: text('from_status'),
    status: text('status').notNull(),
    source: text('source').notNull(),
    /** Who made an operator correction (source `admin`), and why; null for API and import moves. */
    changedBy: text('changed_by'),
    reason: text('reason'),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: 'tracking_status_history_number_fk',
      columns: [t.botId, t.trackingId],
      foreignColumns: [trackingNumbers.botId, trackingNumbers.id],
    }),
    index('tracking_status_history_tracking_idx').on(t.trackingId, t.id),
    index('tracking_status_history_day_idx').on(t.botId, t.changedAt),
  ],
);

/** Exact counters per bot: kind = a status (tracking numbers in it) or 'clients'. Written with the rows. */
export const trackingCounters = pgTable(
  'tracking_counters',
  {
    botId: botId(),
    kind: text('kind').notNull(),
    n: bigint('n', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.botId, t.kind] })],
);

/** A bot's status-change webhook endpoint; the whsec_ secret is encrypted with hub.secrets. */
export const trackingWebhooks = pgTable(
  'tracking_webhooks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    botId: botId(),
    url: text('url').notNull(),
    secretSealed: text('secret_sealed').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    disabledReason: text('disabled_reason'),
    createdAt: createdAt(),
  },
  (t) => [
    index('tracking_webhooks_bot_idx')
      .on(t.botId)
      .where(sql`${t.isActive}`),
  ],
);

/** One event for one endpoint; status follows the attempts: pending → delivered | failed. */
export const trackingWebhookDeliveries = pgTable(
  'tracking_webhook_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    webhookId: bigint('webhook_id', { mode: 'number' })
      .notNull()
      .references(() => trackingWebhooks.id),
    botId: botId(),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    body: text('body').notNull(),
    status: text('status').$type<'pending' | 'delivered' | 'failed'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    createdAt: createdAt(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [index('tracking_webhook_deliveries_hook_idx').on(t.webhookId, t.id)],
);

export const trackingWebhookAttempts = pgTable(
  'tracking_webhook_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: bigint('delivery_id', { mode: 'number' })
      .notNull()
      .references(() => trackingWebhookDeliveries.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    statusCode: integer('status_code'),
    error: text('error'),
    responseBody: text('response_body'),
    durationMs: doublePrecision('duration_ms').notNull(),
    trigger: text('trigger').notNull(),
  },
  (t) => [index('tracking_webhook_attempts_delivery_idx').on(t.deliveryId, t.id)],
);

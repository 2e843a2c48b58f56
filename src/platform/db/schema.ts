// Platform tables. Module tables live in src/modules/<name>/schema.ts and connector tables in
// src/connectors/<name>/schema.ts; drizzle-kit gathers them all into the one migration folder.
import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, doublePrecision, bigint } from 'drizzle-orm/pg-core';

/** Small facts the hub keeps about itself (the admin token hash, install id). */
export const hubMeta = pgTable('hub_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Every inbound webhook, stored before we answer 2xx. `status` follows the processing job:
 * received → processed | failed. A duplicate (same source + dedupe key) is acknowledged and not stored again.
 */
export const inboxMessages = pgTable(
  'inbox_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    source: text('source').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    headers: jsonb('headers').$type<Record<string, string>>().notNull(),
    contentType: text('content_type'),
    body: text('body').notNull(),
    queue: text('queue').notNull(),
    jobId: text('job_id'),
    status: text('status').$type<'received' | 'processed' | 'failed'>().notNull().default('received'),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    requestId: text('request_id'),
    /** Whose webhook it is, as the receiving module authenticated the caller (e.g. a customs account); null: no tenant. */
    tenant: text('tenant'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('inbox_source_dedupe_uq').on(t.source, t.dedupeKey),
    index('inbox_received_idx').on(t.receivedAt),
    index('inbox_status_idx').on(t.status, t.source),
  ],
);

/**
 * Rate-limit state shared by every process (PostgreSQL-backed GCRA; Redis replaces this when REDIS_URL is set).
 * One row per key: `updated_ms` is the key's theoretical arrival time (TAT); `tokens` is how many checks the last
 * batch let through (read back by that batch, ratelimit/pg-checks.ts).
 */
export const rateBuckets = pgTable('rate_buckets', {
  key: text('key').primaryKey(),
  tokens: doublePrecision('tokens').notNull(),
  updatedMs: bigint('updated_ms', { mode: 'number' }).notNull(),
});

/**
 * Shared generations (PostgreSQL limiter; Redis keeps them when REDIS_URL is set): a name whose value changes
 * whenever something that processes cache changes (tracking API keys). Read in the same round trip as a limit
 * check, so a cache is validated on every request without a query of its own.
 */
export const cacheGenerations = pgTable('cache_generations', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
});

// Tables of the customs & logistics module (seed 000). Tokens are stored as SHA-256 only (they carry ~190 bits of
// entropy, so a fast hash is enough); an export row is the audit trail of one generated ПТД — its digest, not the
// document, which holds passport data the hub has no reason to keep.
import { bigint, bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** One token per calling system (alta, ved-sklad, lab, 1c, amocrm); rotating replaces it at once. */
export const customsTokens = pgTable(
  'customs_tokens',
  {
    source: text('source').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    /** The first characters of the token, to tell tokens apart in listings. */
    prefix: text('prefix').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    rotatedAt: timestamp('rotated_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('customs_tokens_hash_uq').on(t.tokenHash)],
);

/** Every ПТД the hub generated and returned (POST /alta/ptd/export). */
export const customsPtdExports = pgTable(
  'customs_ptd_exports',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    leadId: bigint('lead_id', { mode: 'number' }).notNull(),
    documentId: text('document_id').notNull(),
    albumVersion: text('album_version').notNull(),
    sha256: text('sha256').notNull(),
    bytes: integer('bytes').notNull(),
    /** What the checks flagged without refusing the document (e.g. a North-American VIN check digit). */
    warnings: jsonb('warnings').$type<Array<{ field: string; code: string; message: string }>>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('customs_ptd_exports_lead_idx').on(t.leadId, t.id)],
);

/**
 * The latest status of each kind (ptd, transit) a lead has, from Alta's webhooks. A status older than the one held
 * (by the sender's `occurredAt`) never replaces it; unknown codes are kept as sent.
 */
export const customsLeadStatuses = pgTable(
  'customs_lead_statuses',
  {
    leadId: bigint('lead_id', { mode: 'number' }).notNull(),
    kind: text('kind').$type<'ptd' | 'transit'>().notNull(),
    code: text('code').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /** The notification's other fields (registration number, dates, comment…), as sent. */
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
    eventId: text('event_id').notNull(),
    inboxId: bigint('inbox_id', { mode: 'number' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.leadId, t.kind] })],
);

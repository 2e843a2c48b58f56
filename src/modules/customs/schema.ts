// Tables of the customs & logistics module (seed 000). Tokens are stored as SHA-256 only (they carry ~190 bits of
// entropy, so a fast hash is enough); an export row is the audit trail of one generated ПТД — its digest, not the
// document, which holds passport data the hub has no reason to keep.
import { bigint, bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * One token per calling system (alta, ved-sklad, lab, 1c, amocrm) of each amoCRM account the module serves: the
 * token names the account, so a caller reaches only its own deals. Rotating replaces it at once.
 */
export const customsTokens = pgTable(
  'customs_tokens',
  {
    amoAccountId: bigint('amo_account_id', { mode: 'number' }).notNull(),
    source: text('source').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** The first characters of the token, to tell tokens apart in listings. */
    prefix: text('prefix').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    rotatedAt: timestamp('rotated_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.amoAccountId, t.source] }), uniqueIndex('customs_tokens_hash_uq').on(t.tokenHash)],
);

/** Every ПТД the hub generated and returned (POST /alta/ptd/export). */
export const customsPtdExports = pgTable(
  'customs_ptd_exports',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    amoAccountId: bigint('amo_account_id', { mode: 'number' }).notNull(),
    leadId: bigint('lead_id', { mode: 'number' }).notNull(),
    documentId: text('document_id').notNull(),
    albumVersion: text('album_version').notNull(),
    sha256: text('sha256').notNull(),
    bytes: integer('bytes').notNull(),
    /** What the checks flagged without refusing the document (e.g. a North-American VIN check digit). */
    warnings: jsonb('warnings').$type<Array<{ field: string; code: string; message: string }>>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('customs_ptd_exports_lead_idx').on(t.amoAccountId, t.leadId, t.id)],
);

/**
 * The latest status of each kind (ptd, transit, svh, lab…) a lead has, from the partners' webhooks. A status older
 * than the one held (by the sender's `occurredAt`) never replaces it; unknown codes are kept as sent.
 */
export const customsLeadStatuses = pgTable(
  'customs_lead_statuses',
  {
    amoAccountId: bigint('amo_account_id', { mode: 'number' }).notNull(),
    leadId: bigint('lead_id', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    code: text('code').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /** The notification's other fields (registration number, dates, comment…), as sent. */
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
    eventId: text('event_id').notNull(),
    inboxId: bigint('inbox_id', { mode: 'number' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.amoAccountId, t.leadId, t.kind] })],
);

/**
 * The deal timeline: every notification received, every step the hub took on it (recorded, stale, amoCRM updated
 * or refused) and the hub's own actions (a ПТД exported), per lead. `step` makes a job's retry record a step once.
 */
export const customsEvents = pgTable(
  'customs_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    amoAccountId: bigint('amo_account_id', { mode: 'number' }).notNull(),
    leadId: bigint('lead_id', { mode: 'number' }).notNull(),
    /** Who acted: alta, ved-sklad, lab, 1c, amocrm, or hub. */
    source: text('source').notNull(),
    /** What it concerns: ptd, transit, svh, lab, ptd_export, amocrm… */
    kind: text('kind').notNull(),
    /** received, recorded, stale, amo_updated, amo_failed, no_mapping, exported… */
    step: text('step').notNull(),
    code: text('code'),
    summary: text('summary').notNull(),
    /** When it happened: the sender's occurredAt, or the hub's clock for its own steps. */
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** The stored request (GET /admin/v1/inbox/{id} shows it raw). */
    inboxId: bigint('inbox_id', { mode: 'number' }),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('customs_events_lead_idx').on(t.amoAccountId, t.leadId, t.at), uniqueIndex('customs_events_step_uq').on(t.inboxId, t.step)],
);

/**
 * What a status does in amoCRM, per account: move the lead to a stage, set fields, add a note. `code` '*' is the
 * fallback for every code of the kind without its own row. Values and the note are templates over the
 * notification's fields ({registrationNumber}, {label}…).
 */
export const customsStatusMappings = pgTable(
  'customs_status_mappings',
  {
    amoAccountId: bigint('amo_account_id', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    code: text('code').notNull(),
    pipelineId: bigint('pipeline_id', { mode: 'number' }),
    statusId: bigint('status_id', { mode: 'number' }),
    fields: jsonb('fields').$type<Array<{ field_id: number; value: string }>>().notNull().default([]),
    note: text('note'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.amoAccountId, t.kind, t.code] })],
);

/**
 * The 1C base the customs module sends counterparties and invoices to, per amoCRM account (the account the
 * caller's token is bound to). The password is sealed with hub.secrets (AES-GCM bound to the account id): the hub
 * must send it to 1C, so it cannot be hashed; it is never returned.
 */
export const customsOnecBases = pgTable('customs_onec_bases', {
  amoAccountId: bigint('amo_account_id', { mode: 'number' }).primaryKey(),
  idBase: text('id_base').notNull(),
  webAddress: text('web_address').notNull(),
  login: text('login').notNull(),
  passwordSealed: text('password_sealed').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Invoices of a deal in 1C: made by the hub (`event_id` is the amoCRM trigger's event, unique per account: a
 * repeated trigger finds its invoice) or met first in a payment notification (an invoice the accountant made;
 * `event_id` null). Sums in kopecks; `paid_kopecks` only grows (a late, older notification never lowers it).
 */
export const customsInvoices = pgTable(
  'customs_invoices',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    amoAccountId: bigint('amo_account_id', { mode: 'number' }).notNull(),
    leadId: bigint('lead_id', { mode: 'number' }).notNull(),
    eventId: text('event_id'),
    id1c: text('id_1c').notNull(),
    number: text('number').notNull(),
    date: text('date').notNull(),
    /** null: an invoice the hub did not make and whose total no notification has told. */
    totalKopecks: bigint('total_kopecks', { mode: 'number' }),
    vatKopecks: bigint('vat_kopecks', { mode: 'number' }),
    paidKopecks: bigint('paid_kopecks', { mode: 'number' }).notNull().default(0),
    status: text('status').$type<'issued' | 'partially_paid' | 'paid'>().notNull(),
    link: text('link').notNull().default(''),
    lastPaidAt: timestamp('last_paid_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('customs_invoices_event_uq').on(t.amoAccountId, t.eventId),
    uniqueIndex('customs_invoices_id1c_uq').on(t.amoAccountId, t.id1c),
    index('customs_invoices_lead_idx').on(t.amoAccountId, t.leadId),
  ],
);

/** Payment notifications from 1C, one row per sender event (the dedupe key). */
export const customsInvoicePayments = pgTable(
  'customs_invoice_payments',
  {
    amoAccountId: bigint('amo_account_id', { mode: 'number' }).notNull(),
    eventId: text('event_id').notNull(),
    invoiceId: bigint('invoice_id', { mode: 'number' }).notNull(),
    paidAt: timestamp('paid_at', { withTimezone: true }).notNull(),
    amountKopecks: bigint('amount_kopecks', { mode: 'number' }).notNull(),
    totalPaidKopecks: bigint('total_paid_kopecks', { mode: 'number' }).notNull(),
    kind: text('kind').$type<'full' | 'partial'>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.amoAccountId, t.eventId] })],
);

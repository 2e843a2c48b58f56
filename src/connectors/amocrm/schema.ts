// amoCRM connector tables: connected accounts (tokens encrypted with hub.secrets, bound to the account id),
// single-use OAuth states, and the intents of complex-lead creates (reconcile.ts). Token rows are locked with SELECT … FOR UPDATE while refreshing, so one process
// rotates the single-use refresh token and every other process reuses the result.
import { bigint, boolean, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const amoAccounts = pgTable('amo_accounts', {
  amoAccountId: bigint('amo_account_id', { mode: 'number' }).primaryKey(),
  subdomain: text('subdomain').notNull(),
  name: text('name').notNull(),
  country: text('country'),
  /** The amoCRM user who granted access. */
  amoUserId: bigint('amo_user_id', { mode: 'number' }),
  /** Who asked for the connection last (e.g. "quiz:42"). */
  owner: text('owner'),
  status: text('status').$type<'active' | 'needs_reauth' | 'disconnected'>().notNull(),
  /** SecretBox ciphertexts, context `amo_accounts:<id>:access|refresh`; null once disconnected. */
  accessTokenEnc: text('access_token_enc'),
  refreshTokenEnc: text('refresh_token_enc'),
  accessExpiresAt: timestamp('access_expires_at', { withTimezone: true }),
  /** When the current refresh token was issued (connect or last refresh); amoCRM lets it die after 3 months unused. */
  tokensRefreshedAt: timestamp('tokens_refreshed_at', { withTimezone: true }),
  /** Counts refresh-token rotations (tests and operators see that exactly one process refreshed). */
  tokenVersion: integer('token_version').notNull().default(0),
  /** No calls before this moment (amoCRM 429 retry_after or a 403 block back-off), shared by every process. */
  pausedUntil: timestamp('paused_until', { withTimezone: true }),
  lastError: text('last_error'),
  connectedAt: timestamp('connected_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const amoOauthStates = pgTable(
  'amo_oauth_states',
  {
    /** SHA-256 of the state handed to amoCRM: a leaked table does not give usable states. */
    stateHash: text('state_hash').primaryKey(),
    owner: text('owner').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('amo_oauth_states_expires_idx').on(t.expiresAt)],
);

/**
 * One row per complex lead the hub is about to create, committed before the /leads/complex call that carries it
 * (reconcile.ts). `marker` is the tag the lead carries in amoCRM; `lead_id` null means the outcome is unknown (the
 * call is in flight, or its answer was lost): a re-run looks the marker up in amoCRM before sending again.
 */
export const amoComplexIntents = pgTable(
  'amo_complex_intents',
  {
    marker: text('marker').primaryKey(),
    amoAccountId: bigint('amo_account_id', { mode: 'number' }).notNull(),
    /** First send (the connector's clock): a lead carrying the marker was created after this, less clock skew. */
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
    /** Latest send: the lookup window ends after it. */
    attemptAt: timestamp('attempt_at', { withTimezone: true }).notNull(),
    leadId: bigint('lead_id', { mode: 'number' }),
    contactId: bigint('contact_id', { mode: 'number' }),
    companyId: bigint('company_id', { mode: 'number' }),
    merged: boolean('merged').notNull().default(false),
  },
  (t) => [index('amo_complex_intents_sent_idx').on(t.sentAt)],
);

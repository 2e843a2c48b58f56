// Tables of the 1C ↔ amoCRM sync module (seed 001). `account_key` is the amoCRM account id 1C sends as `key`
// (kept as text: it is compared with the HTTP Basic user), `id_base` the 1C base's own id.
import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** The integration secret of an account: 1C's HTTP Basic password. Sealed (hub.secrets), so an operator can show it again. */
export const onecSyncSecrets = pgTable('onec_sync_secrets', {
  accountKey: text('account_key').primaryKey(),
  secretSealed: text('secret_sealed').notNull(),
  createdAt: createdAt(),
  rotatedAt: timestamp('rotated_at', { withTimezone: true }),
});

/** A 1C base registered by POST /onec/sync/base: where its HTTP handlers are and the login for them (password sealed). */
export const onecSyncBases = pgTable(
  'onec_sync_bases',
  {
    accountKey: text('account_key').notNull(),
    idBase: text('id_base').notNull(),
    webAddress: text('web_address').notNull(),
    urlAddress: text('url_address').notNull(),
    login: text('login').notNull(),
    passwordSealed: text('password_sealed').notNull(),
    /** When get_handlers_version last answered; null while the connection was not checked. */
    checkedAt: timestamp('checked_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountKey, t.idBase] })],
);

/** A field-correspondence table of one base and entity (contacts, companies, leads): 1C field → amoCRM field. */
export const onecSyncFieldMaps = pgTable(
  'onec_sync_field_maps',
  {
    accountKey: text('account_key').notNull(),
    idBase: text('id_base').notNull(),
    entity: text('entity').notNull(),
    fields: jsonb('fields').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountKey, t.idBase, t.entity] })],
);

/**
 * Handler packages. The global default has account_key = id_base = ''. Versions come from one sequence over all
 * packages (unique), so a base moving from the default to its own package still sees its version grow.
 */
export const onecSyncHandlers = pgTable(
  'onec_sync_handlers',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountKey: text('account_key').notNull().default(''),
    idBase: text('id_base').notNull().default(''),
    version: integer('version').notNull(),
    handlers: jsonb('handlers').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('onec_sync_handlers_version_uq').on(t.version),
    index('onec_sync_handlers_scope_idx').on(t.accountKey, t.idBase, t.version),
  ],
);

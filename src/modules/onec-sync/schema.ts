// Tables of the 1C ↔ amoCRM sync module (seed 001). `account_key` is the amoCRM account id 1C sends as `key`
// (kept as text: it is compared with the HTTP Basic user), `id_base` the 1C base's own id.
import { bigint, bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

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
    /** Per-base behaviour set by operators (options.ts): event → stage mapping, the order stage, event fields. */
    options: jsonb('options').notNull().default({}),
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

/**
 * Which amoCRM entity stands for which 1C record of a base (contacts and companies ↔ counterparties, leads ↔
 * orders). Written when either side creates the pair; every later sync finds the entity here first.
 */
export const onecSyncLinks = pgTable(
  'onec_sync_links',
  {
    accountKey: text('account_key').notNull(),
    idBase: text('id_base').notNull(),
    entity: text('entity').notNull(),
    id1c: text('id_1c').notNull(),
    amoId: bigint('amo_id', { mode: 'number' }).notNull(),
    link: text('link'),
    /** amoCRM's updated_at after the hub's last write of the entity: a webhook with this stamp is our own echo. */
    amoUpdatedAt: bigint('amo_updated_at', { mode: 'number' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.accountKey, t.idBase, t.entity, t.id1c] }),
    index('onec_sync_links_amo_idx').on(t.accountKey, t.entity, t.amoId),
  ],
);

/**
 * The hub's index of an account's contacts and companies: normalised phones and e-mails of contacts, ИНН of
 * companies, each pointing at the entity. Matching a 1C counterparty reads this table instead of searching amoCRM
 * (a search request per counterparty would eat the account's 7 requests/s).
 */
export const onecSyncMatchKeys = pgTable(
  'onec_sync_match_keys',
  {
    accountKey: text('account_key').notNull(),
    entity: text('entity').notNull(),
    /** phone | email | inn */
    kind: text('kind').notNull(),
    value: text('value').notNull(),
    amoId: bigint('amo_id', { mode: 'number' }).notNull(),
    /** The value as amoCRM holds it (a phone's own formatting), to send back unchanged on an update. */
    raw: text('raw').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.accountKey, t.entity, t.kind, t.value, t.amoId] }),
    index('onec_sync_match_keys_entity_idx').on(t.accountKey, t.entity, t.amoId),
  ],
);

/** When an account's index was filled by the paged load (null: not yet; the first sync call fills it). */
export const onecSyncIndexState = pgTable('onec_sync_index_state', {
  accountKey: text('account_key').primaryKey(),
  loadedAt: timestamp('loaded_at', { withTimezone: true }),
  contacts: integer('contacts').notNull().default(0),
  companies: integer('companies').notNull().default(0),
});

/** Events from 1C already carried out (process_event): the same event twice changes nothing the second time. */
export const onecSyncEvents = pgTable(
  'onec_sync_events',
  {
    accountKey: text('account_key').notNull(),
    idBase: text('id_base').notNull(),
    /** SHA-256 of the event's canonical content (name, lead, sums, document). */
    eventKey: text('event_key').notNull(),
    eventName: text('event_name').notNull(),
    leadId: bigint('lead_id', { mode: 'number' }).notNull(),
    /** pending while the amoCRM writes are under way; done after. */
    state: text('state').notNull().default('pending'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.accountKey, t.idBase, t.eventKey] })],
);

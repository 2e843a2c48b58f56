// Tables of the SAMBA accounting module (seed 002): the records the agency's 1C keeps for the ad platform SAMBA.
// Ids are UUIDs (text), as 1C hands out. Dates are text in 1C's own form `YYYY-MM-DDTHH:mm:ss` (Moscow local time,
// no zone): that is what every answer carries, it sorts as text and compares the same on PGlite and PostgreSQL.
// Money is integer kopecks. Each searchable name has a lower-cased copy made in JavaScript (`*_lc`): PostgreSQL's
// lower() folds Cyrillic only under a non-C locale, which PGlite's database does not have.
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const uuid = () => text('uuid').primaryKey();

/** Who may call /samba (HTTP Basic); the password is kept as an scrypt hash. */
export const sambaUsers = pgTable('samba_users', {
  login: text('login').primaryKey(),
  passwordHash: text('password_hash').notNull(),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Named counters (the campaigns' numberMF): one row each, bumped by an upsert that serialises concurrent callers. */
export const sambaCounters = pgTable('samba_counters', {
  name: text('name').primaryKey(),
  value: bigint('value', { mode: 'number' }).notNull(),
});

/** Конечные рекламодатели: unique by (ИНН, КПП); КПП '' for an individual. */
export const sambaFinalAdvertisers = pgTable(
  'samba_finaladv',
  {
    uuid: uuid(),
    name: text('name').notNull(),
    nameLc: text('name_lc').notNull(),
    fullName: text('full_name').notNull().default(''),
    inn: text('inn').notNull(),
    kpp: text('kpp').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('samba_finaladv_inn_kpp_uq').on(t.inn, t.kpp)],
);

/** Юр. лица of the agency's clients (the contractors of contracts, brands and campaigns); entered by the operator. */
export const sambaCustomers = pgTable(
  'samba_customers',
  {
    uuid: uuid(),
    name: text('name').notNull(),
    nameLc: text('name_lc').notNull(),
    fullName: text('full_name').notNull().default(''),
    inn: text('inn').notNull(),
    kpp: text('kpp').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('samba_customers_inn_kpp_uq').on(t.inn, t.kpp)],
);

/** Конечные договоры: a final advertiser's contract (number, date) and the agency's client it runs through. */
export const sambaContracts = pgTable(
  'samba_contracts',
  {
    uuid: uuid(),
    number: text('number').notNull(),
    date: text('date').notNull(),
    finaladvUuid: text('finaladv_uuid')
      .notNull()
      .references(() => sambaFinalAdvertisers.uuid),
    contractorUuid: text('contractor_uuid')
      .notNull()
      .references(() => sambaCustomers.uuid),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('samba_contracts_finaladv_number_date_uq').on(t.finaladvUuid, t.number, t.date)],
);

/** Brands of a contractor; a name is unique within its contractor (case-insensitively). */
export const sambaBrands = pgTable(
  'samba_brands',
  {
    uuid: uuid(),
    name: text('name').notNull(),
    nameLc: text('name_lc').notNull(),
    contractorUuid: text('contractor_uuid')
      .notNull()
      .references(() => sambaCustomers.uuid),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('samba_brands_contractor_name_uq').on(t.contractorUuid, t.nameLc)],
);

/** Рекламные кампании: SAMBA's rk_id (unique) and 1C's numberMF (`У` + 6 digits, from samba_counters). */
export const sambaCampaigns = pgTable(
  'samba_campaigns',
  {
    uuid: uuid(),
    rkId: text('rk_id').notNull(),
    numberMf: text('number_mf').notNull(),
    name: text('name').notNull(),
    nameLc: text('name_lc').notNull(),
    dateStart: text('date_start').notNull().default(''),
    dateEnd: text('date_end').notNull().default(''),
    advance: boolean('advance').notNull().default(false),
    contractorUuid: text('contractor_uuid')
      .notNull()
      .references(() => sambaCustomers.uuid),
    finaladvUuid: text('finaladv_uuid').references(() => sambaFinalAdvertisers.uuid),
    contractUuid: text('contract_uuid').references(() => sambaContracts.uuid),
    brandUuid: text('brand_uuid').references(() => sambaBrands.uuid),
    /** The last invoice sequence number used for this campaign (bumped under the row's lock). */
    invoiceSeq: integer('invoice_seq').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('samba_campaigns_rk_id_uq').on(t.rkId), uniqueIndex('samba_campaigns_number_mf_uq').on(t.numberMf)],
);

/** Счета на оплату покупателю. `ext_number`/`ext_date`: the number and date the caller sent (it may find by them). */
export const sambaInvoices = pgTable(
  'samba_invoices',
  {
    uuid: uuid(),
    number: text('number').notNull(),
    date: text('date').notNull(),
    advance: boolean('advance').notNull(),
    amountKop: bigint('amount_kop', { mode: 'number' }).notNull(),
    vatKop: bigint('vat_kop', { mode: 'number' }).notNull(),
    vatRate: integer('vat_rate').notNull(),
    campaignUuid: text('campaign_uuid')
      .notNull()
      .references(() => sambaCampaigns.uuid),
    extNumber: text('ext_number').notNull().default(''),
    extDate: text('ext_date').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('samba_invoices_number_uq').on(t.number),
    // The caller's number and date name one invoice: a repeated POST /po (a retry) finds it instead of making another.
    uniqueIndex('samba_invoices_ext_uq')
      .on(t.extNumber, t.extDate)
      .where(sql`ext_number <> ''`),
    // Lookups by number match 1C's or the caller's (`number = $1 or ext_number = $1`): both need an index.
    index('samba_invoices_ext_number_idx').on(t.extNumber),
    index('samba_invoices_campaign_idx').on(t.campaignUuid),
    index('samba_invoices_date_idx').on(t.date),
  ],
);

/** Payment documents against an invoice (entered by the operator); they block the invoice's deletion. */
export const sambaPayments = pgTable(
  'samba_payments',
  {
    uuid: uuid(),
    invoiceUuid: text('invoice_uuid')
      .notNull()
      .references(() => sambaInvoices.uuid),
    doctype: text('doctype').notNull(),
    numberMf: text('number_mf').notNull().default(''),
    number: text('number').notNull(),
    date: text('date').notNull(),
    paymentDate: text('payment_date').notNull(),
    amountKop: bigint('amount_kop', { mode: 'number' }).notNull(),
    details: text('details').notNull().default(''),
    /** A bank statement document's identity (number, date, sum, payer): the same document is never imported twice. */
    sourceKey: text('source_key'),
    createdAt: createdAt(),
  },
  (t) => [index('samba_payments_invoice_idx').on(t.invoiceUuid), uniqueIndex('samba_payments_source_key_uq').on(t.sourceKey)],
);

/** Размещения of a campaign with their planned sums (entered by the operator). */
export const sambaPlacements = pgTable(
  'samba_placements',
  {
    campaignUuid: text('campaign_uuid')
      .notNull()
      .references(() => sambaCampaigns.uuid),
    placement: text('placement').notNull(),
    amountKop: bigint('amount_kop', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.campaignUuid, t.placement] })],
);

/** Акты (реализации) per placement: the document's presentation and the sum it closes; the same one again replaces the sum. */
export const sambaActs = pgTable(
  'samba_acts',
  {
    uuid: uuid(),
    campaignUuid: text('campaign_uuid')
      .notNull()
      .references(() => sambaCampaigns.uuid),
    placement: text('placement').notNull(),
    document: text('document').notNull(),
    amountKop: bigint('amount_kop', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
  },
  // One act document closes a placement once (it may close several placements): the key of re-imports.
  (t) => [uniqueIndex('samba_acts_campaign_placement_document_uq').on(t.campaignUuid, t.placement, t.document)],
);

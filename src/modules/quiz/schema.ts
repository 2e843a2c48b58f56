// Tables of the quiz → amoCRM module (seed 003). The quiz account (the JWT subject) owns at most one active
// amoCRM connection; directories (users, pipelines, steps, fields, tags) are a cache per amoCRM account, so two
// quiz accounts on one amoCRM account, or a re-connect, share it. Nothing is hard-deleted: the seed's `Deleted`.
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
const amoAccount = () => bigint('amo_account_id', { mode: 'number' }).notNull();

/** A quiz account's amoCRM connection (the seed's account model). Tokens live in the amoCRM connector. */
export const quizAccounts = pgTable(
  'quiz_accounts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    quizAccountId: text('quiz_account_id').notNull(),
    amoAccountId: amoAccount(),
    name: text('name').notNull(),
    subdomain: text('subdomain').notNull(),
    amoUserId: bigint('amo_user_id', { mode: 'number' }).notNull(),
    country: text('country').notNull().default(''),
    deleted: boolean('deleted').notNull().default(false),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    // One live connection per quiz account; deleted ones stay for history.
    uniqueIndex('quiz_accounts_live_uq')
      .on(t.quizAccountId)
      .where(sql`not ${t.deleted}`),
    index('quiz_accounts_amo_idx').on(t.amoAccountId),
  ],
);

export const quizUsers = pgTable(
  'quiz_users',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    amoAccountId: amoAccount(),
    amoId: bigint('amo_id', { mode: 'number' }).notNull(),
    name: text('name').notNull().default(''),
    email: text('email').notNull().default(''),
    role: text('role').notNull().default(''),
    group: bigint('group_id', { mode: 'number' }).notNull().default(0),
    deleted: boolean('deleted').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('quiz_users_uq').on(t.amoAccountId, t.amoId)],
);

export const quizPipelines = pgTable(
  'quiz_pipelines',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    amoAccountId: amoAccount(),
    amoId: bigint('amo_id', { mode: 'number' }).notNull(),
    name: text('name').notNull().default(''),
    isArchive: boolean('is_archive').notNull().default(false),
    deleted: boolean('deleted').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('quiz_pipelines_uq').on(t.amoAccountId, t.amoId)],
);

/** Pipeline stages; the system stages 142/143 have the same id in every pipeline, hence the pipeline in the key. */
export const quizSteps = pgTable(
  'quiz_steps',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    amoAccountId: amoAccount(),
    pipelineAmoId: bigint('pipeline_amo_id', { mode: 'number' }).notNull(),
    amoId: bigint('amo_id', { mode: 'number' }).notNull(),
    name: text('name').notNull().default(''),
    color: text('color').notNull().default(''),
    deleted: boolean('deleted').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('quiz_steps_uq').on(t.amoAccountId, t.pipelineAmoId, t.amoId)],
);

export interface CachedEnum {
  readonly id: number;
  readonly value: string;
  readonly code?: string | null;
}

export const quizFields = pgTable(
  'quiz_fields',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    amoAccountId: amoAccount(),
    entityType: text('entity_type').notNull(),
    amoId: bigint('amo_id', { mode: 'number' }).notNull(),
    code: text('code').notNull().default(''),
    name: text('name').notNull().default(''),
    type: text('type').notNull(),
    enums: jsonb('enums').$type<CachedEnum[]>().notNull().default([]),
    deleted: boolean('deleted').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('quiz_fields_uq').on(t.amoAccountId, t.entityType, t.amoId)],
);

export const quizTags = pgTable(
  'quiz_tags',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    amoAccountId: amoAccount(),
    entity: text('entity').notNull(),
    amoId: bigint('amo_id', { mode: 'number' }).notNull(),
    name: text('name').notNull().default(''),
    color: text('color').notNull().default(''),
    deleted: boolean('deleted').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('quiz_tags_uq').on(t.amoAccountId, t.entity, t.amoId)],
);

/** Maps question id (or `utm_*` key) → amoCRM custom field id; the seed's FieldRule "map". */
export type FieldMap = Record<string, number>;
export interface StoredFieldsRule {
  readonly lead: FieldMap[];
  readonly contact: FieldMap[];
  readonly company: FieldMap[];
  readonly customer: FieldMap[];
}
export interface StoredTags {
  readonly Lead: number[];
  readonly Contact: number[];
  readonly Company: number[];
  readonly Customer: number[];
}
export type RuleState = 'pending' | 'ready' | 'broken';

/** One rule per quiz (per quiz account). `state` is set by the follow-up check against fresh amoCRM data. */
export const quizRules = pgTable(
  'quiz_rules',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    quizAccountId: text('quiz_account_id').notNull(),
    amoAccountId: amoAccount(),
    quizId: bigint('quiz_id', { mode: 'number' }).notNull(),
    performerId: bigint('performer_id', { mode: 'number' }).notNull(),
    pipelineId: bigint('pipeline_id', { mode: 'number' }).notNull(),
    stepId: bigint('step_id', { mode: 'number' }).notNull(),
    fieldsRule: jsonb('fields_rule').$type<StoredFieldsRule>().notNull(),
    tagsToAdd: jsonb('tags_to_add').$type<StoredTags>().notNull(),
    state: text('state').$type<RuleState>().notNull().default('pending'),
    problems: jsonb('problems').$type<string[]>().notNull().default([]),
    checkedAt: timestamp('checked_at', { withTimezone: true }),
    deleted: boolean('deleted').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('quiz_rules_uq').on(t.quizAccountId, t.quizId)],
);

export type ResultStatus = 'queued' | 'sent' | 'failed';
export interface ResultError {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  readonly details?: unknown;
}

/**
 * Every accepted quiz result, stored before the 202: the idempotency record `(quiz account, resultId)` and the
 * delivery state the quiz platform reads back.
 */
export const quizResults = pgTable(
  'quiz_results',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    quizAccountId: text('quiz_account_id').notNull(),
    resultId: text('result_id').notNull(),
    quizId: bigint('quiz_id', { mode: 'number' }).notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<ResultStatus>().notNull().default('queued'),
    amoAccountId: bigint('amo_account_id', { mode: 'number' }),
    amoLeadId: bigint('amo_lead_id', { mode: 'number' }),
    amoContactId: bigint('amo_contact_id', { mode: 'number' }),
    amoCompanyId: bigint('amo_company_id', { mode: 'number' }),
    error: jsonb('error').$type<ResultError>(),
    warnings: jsonb('warnings').$type<string[]>().notNull().default([]),
    /** Delivery attempts handed to the connector. */
    attempts: integer('attempts').notNull().default(0),
    /** Set when the current attempt was handed to the connector: a re-run of the same job never sends twice. */
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('quiz_results_uq').on(t.quizAccountId, t.resultId), index('quiz_results_status_idx').on(t.status)],
);

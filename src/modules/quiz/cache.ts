// The live (not Deleted) part of one amoCRM account's cached directories, loaded at once: rule validation and
// lead building look ids up here instead of querying per id.
import { and, eq } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { DbExecutor } from '../../platform/db/database.js';
import { quizFields, quizPipelines, quizSteps, quizTags, quizUsers } from './schema.js';

export type FieldRow = typeof quizFields.$inferSelect;
export type TagRow = typeof quizTags.$inferSelect;

export interface AccountCache {
  readonly users: ReadonlySet<number>;
  readonly pipelines: ReadonlySet<number>;
  /** `${pipelineAmoId}:${stepAmoId}` */
  readonly steps: ReadonlySet<string>;
  /** entity (leads | contacts | companies) → amoCRM field id → field */
  readonly fields: ReadonlyMap<string, ReadonlyMap<number, FieldRow>>;
  /** our tag primary key → tag */
  readonly tags: ReadonlyMap<number, TagRow>;
}

export async function loadCache(db: DbExecutor, amoAccountId: number): Promise<AccountCache> {
  const live = (t: { amoAccountId: AnyPgColumn; deleted: AnyPgColumn }) => and(eq(t.amoAccountId, amoAccountId), eq(t.deleted, false));
  const [users, pipelines, steps, fields, tags] = await Promise.all([
    db.select({ id: quizUsers.amoId }).from(quizUsers).where(live(quizUsers)),
    db.select({ id: quizPipelines.amoId }).from(quizPipelines).where(live(quizPipelines)),
    db.select({ p: quizSteps.pipelineAmoId, s: quizSteps.amoId }).from(quizSteps).where(live(quizSteps)),
    db.select().from(quizFields).where(live(quizFields)),
    db.select().from(quizTags).where(live(quizTags)),
  ]);
  const byEntity = new Map<string, Map<number, FieldRow>>();
  for (const f of fields) {
    let m = byEntity.get(f.entityType);
    if (!m) byEntity.set(f.entityType, (m = new Map()));
    m.set(f.amoId, f);
  }
  return {
    users: new Set(users.map((u) => u.id)),
    pipelines: new Set(pipelines.map((p) => p.id)),
    steps: new Set(steps.map((s) => `${s.p}:${s.s}`)),
    fields: byEntity,
    tags: new Map(tags.map((t) => [t.id, t])),
  };
}

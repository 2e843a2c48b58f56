// The amoCRM directories a quiz account picks from (users, pipelines, steps, custom fields, tags): read from our
// cache with the seed's pagination, refreshed from amoCRM by a job. An entry that disappeared from amoCRM stays
// in the cache with Deleted = true, so rules that point at it can say what broke.
import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Hub } from '../../platform/hub.js';
import type { AmoConnector, AmoEntity } from '../../connectors/amocrm/index.js';
import { quizFields, quizPipelines, quizSteps, quizTags, quizUsers } from './schema.js';
import type { Directory } from './queues.js';
import type { Pagination } from './contract.js';
import { unixSeconds } from './time.js';

export const ALL_DIRECTORIES: readonly Directory[] = ['users', 'pipelines', 'steps', 'fields', 'tags'];
/** amoCRM entities whose fields and tags we cache (the connector has no customers API). */
export const CACHED_ENTITIES: readonly AmoEntity[] = ['leads', 'contacts', 'companies'];

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/** Pages count from 1; a missing page or the seed's "0" means the first page. Sizes above the cap are capped. */
export function pageWindow(p: Pagination): { limit: number; offset: number } {
  const page = Math.max(p.page ?? 1, 1);
  const limit = Math.min(p.size ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  return { limit, offset: (page - 1) * limit };
}

export interface Page<T> {
  count: number;
  items: T[];
}

type Row<T extends PgTable> = T['$inferSelect'];

export class DirectoryService {
  constructor(
    private readonly hub: Hub,
    private readonly amo: AmoConnector,
  ) {}

  async #page<T extends typeof quizUsers | typeof quizPipelines | typeof quizSteps | typeof quizFields | typeof quizTags>(
    table: T,
    where: SQL | undefined,
    p: Pagination,
  ): Promise<Page<Row<T>>> {
    const { limit, offset } = pageWindow(p);
    const t = table as typeof quizUsers; // every directory table has id, deleted
    const [total] = await this.hub.db.select({ n: count() }).from(t).where(where);
    const items = await this.hub.db.select().from(t).where(where).orderBy(asc(t.deleted), asc(t.id)).limit(limit).offset(offset);
    return { count: Number(total?.n ?? 0), items: items as Row<T>[] };
  }

  async users(amoAccountId: number, quizAccountId: string, p: Pagination) {
    const page = await this.#page(quizUsers, eq(quizUsers.amoAccountId, amoAccountId), p);
    return {
      count: page.count,
      items: page.items.map((u) => ({
        ID: u.id,
        AccountID: quizAccountId,
        AmoID: u.amoId,
        Name: u.name,
        Email: u.email,
        Role: u.role,
        Group: u.group,
        Deleted: u.deleted,
        CreatedAt: unixSeconds(u.createdAt),
      })),
    };
  }

  async pipelines(amoAccountId: number, p: Pagination) {
    const page = await this.#page(quizPipelines, eq(quizPipelines.amoAccountId, amoAccountId), p);
    return {
      count: page.count,
      items: page.items.map((r) => ({
        ID: r.id,
        AmoID: r.amoId,
        AccountID: r.amoAccountId,
        Name: r.name,
        IsArchive: r.isArchive,
        Deleted: r.deleted,
        CreatedAt: unixSeconds(r.createdAt),
      })),
    };
  }

  async steps(amoAccountId: number, pipelineAmoId: number, p: Pagination) {
    const page = await this.#page(quizSteps, and(eq(quizSteps.amoAccountId, amoAccountId), eq(quizSteps.pipelineAmoId, pipelineAmoId)), p);
    return {
      count: page.count,
      items: page.items.map((r) => ({
        ID: r.id,
        AmoID: r.amoId,
        PipelineID: r.pipelineAmoId,
        AccountID: r.amoAccountId,
        Name: r.name,
        Color: r.color,
        Deleted: r.deleted,
        CreatedAt: unixSeconds(r.createdAt),
      })),
    };
  }

  async fields(amoAccountId: number, p: Pagination) {
    const page = await this.#page(quizFields, eq(quizFields.amoAccountId, amoAccountId), p);
    return {
      count: page.count,
      items: page.items.map((r) => ({
        ID: r.id,
        AmoID: r.amoId,
        Code: r.code,
        AccountID: r.amoAccountId,
        Name: r.name,
        EntityType: r.entityType,
        Type: r.type,
        Deleted: r.deleted,
        CreatedAt: unixSeconds(r.createdAt),
      })),
    };
  }

  async tags(amoAccountId: number, p: Pagination) {
    const page = await this.#page(quizTags, eq(quizTags.amoAccountId, amoAccountId), p);
    return {
      count: page.count,
      items: page.items.map((r) => ({
        ID: r.id,
        AmoID: r.amoId,
        AccountID: r.amoAccountId,
        Entity: r.entity,
        Name: r.name,
        Color: r.color,
        Deleted: r.deleted,
        CreatedAt: unixSeconds(r.createdAt),
      })),
    };
  }

  /** Refreshes the given directories of one amoCRM account (rate-limited calls through the connector). */
  async sync(amoAccountId: number, directories: readonly Directory[]): Promise<Record<string, number>> {
    const api = this.amo.api(amoAccountId);
    const want = new Set(directories);
    const counts: Record<string, number> = {};
    if (want.has('users')) {
      const users = await api.users();
      const rows = users.map((u) => ({
        amoAccountId,
        amoId: u.id,
        name: u.name ?? '',
        email: u.email ?? '',
        role: userRole(u),
        group: Number((u.rights as { group_id?: number } | undefined)?.group_id ?? 0) || 0,
      }));
      counts.users = await this.#replace(quizUsers, amoAccountId, rows, (r) => `${r.amoId}`, ['name', 'email', 'role', 'group']);
    }
    if (want.has('pipelines') || want.has('steps')) {
      const pipelines = await api.pipelines();
      if (want.has('pipelines')) {
        const rows = pipelines.map((p) => ({ amoAccountId, amoId: p.id, name: p.name, isArchive: Boolean(p.is_archive) }));
        counts.pipelines = await this.#replace(quizPipelines, amoAccountId, rows, (r) => `${r.amoId}`, ['name', 'isArchive']);
      }
      if (want.has('steps')) {
        const rows = pipelines.flatMap((p) =>
          (p.statuses ?? []).map((s) => ({ amoAccountId, pipelineAmoId: p.id, amoId: s.id, name: s.name, color: s.color ?? '' })),
        );
        counts.steps = await this.#replace(quizSteps, amoAccountId, rows, (r) => `${r.pipelineAmoId}:${r.amoId}`, ['name', 'color']);
      }
    }
    if (want.has('fields')) {
      const rows = [];
      for (const entity of CACHED_ENTITIES) {
        for (const f of await api.customFields(entity)) {
          rows.push({
            amoAccountId,
            entityType: entity,
            amoId: f.id,
            code: f.code ?? '',
            name: f.name,
            type: f.type,
            enums: (f.enums ?? []).map((e) => ({ id: e.id, value: e.value, ...(e.code ? { code: e.code } : {}) })),
          });
        }
      }
      counts.fields = await this.#replace(quizFields, amoAccountId, rows, (r) => `${r.entityType}:${r.amoId}`, [
        'code',
        'name',
        'type',
        'enums',
      ]);
    }
    if (want.has('tags')) {
      const rows = [];
      for (const entity of CACHED_ENTITIES) {
        for (const t of await api.tags(entity)) rows.push({ amoAccountId, entity, amoId: t.id, name: t.name, color: t.color ?? '' });
      }
      counts.tags = await this.#replace(quizTags, amoAccountId, rows, (r) => `${r.entity}:${r.amoId}`, ['name', 'color']);
    }
    return counts;
  }

  /**
   * Makes one directory of an account equal to `rows`: upserts them (un-deleting returning entries) and marks
   * every other cached entry Deleted, in one transaction.
   */
  async #replace<T extends Record<string, unknown>>(
    table: typeof quizUsers | typeof quizPipelines | typeof quizSteps | typeof quizFields | typeof quizTags,
    amoAccountId: number,
    rows: T[],
    keyOf: (r: Record<string, unknown>) => string,
    updatable: string[],
  ): Promise<number> {
    const t = table as unknown as typeof quizTags & Record<string, never>;
    const conflictTarget = uniqueColumns(table);
    await this.hub.db.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += 500) {
        const chunk = rows.slice(i, i + 500);
        const set: Record<string, SQL> = { deleted: sql`false`, updatedAt: sql`now()` };
        for (const col of updatable) set[col] = sql.raw(`excluded."${(table as unknown as Record<string, { name: string }>)[col]!.name}"`);
        await tx
          .insert(table)
          .values(chunk as never)
          .onConflictDoUpdate({ target: conflictTarget as never, set: set as never });
      }
      const cached = await tx.select().from(t).where(eq(t.amoAccountId, amoAccountId));
      const present = new Set(rows.map((r) => keyOf(r)));
      const gone = cached.filter((c) => !c.deleted && !present.has(keyOf(c as Record<string, unknown>))).map((c) => c.id);
      for (let i = 0; i < gone.length; i += 1000) {
        await tx
          .update(t)
          .set({ deleted: true, updatedAt: new Date() })
          .where(inArray(t.id, gone.slice(i, i + 1000)));
      }
    });
    return rows.length;
  }
}

function uniqueColumns(table: unknown) {
  if (table === quizUsers) return [quizUsers.amoAccountId, quizUsers.amoId];
  if (table === quizPipelines) return [quizPipelines.amoAccountId, quizPipelines.amoId];
  if (table === quizSteps) return [quizSteps.amoAccountId, quizSteps.pipelineAmoId, quizSteps.amoId];
  if (table === quizFields) return [quizFields.amoAccountId, quizFields.entityType, quizFields.amoId];
  return [quizTags.amoAccountId, quizTags.entity, quizTags.amoId];
}

function userRole(u: { rights?: { is_admin?: boolean } & Record<string, unknown>; [k: string]: unknown }): string {
  const roles = (u._embedded as { roles?: Array<{ name?: string }> } | undefined)?.roles;
  if (roles?.[0]?.name) return roles[0].name;
  return u.rights?.is_admin ? 'admin' : 'user';
}

// The inbound webhook inbox. Before a webhook is answered 2xx, its raw request is stored and its processing
// job enqueued in one transaction: once we said "accepted", a crash or a partner outage can only delay the
// work. A repeat of the same (source, dedupe key) is acknowledged and not processed twice.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, lt, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { inboxMessages } from '../db/schema.js';
import type { BatchQueueDef, JobQueue, Queue, QueueSettings } from '../jobs/queue.js';
import type { Metrics } from '../observability/metrics.js';
import { processBatch } from './process.js';

export type InboxMessage = typeof inboxMessages.$inferSelect;

export interface IncomingWebhook {
  readonly source: string;
  readonly dedupeKey: string;
  /** The queue that processes it, bound with `Inbox.queue`; its name is stored on the inbox row. */
  readonly queue: Queue<InboxJob>;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly contentType?: string;
  readonly body: string;
  readonly requestId?: string;
  /** Whose webhook it is (the tenant the route authenticated); stored on the row for the processing job. */
  readonly tenant?: string;
}

export interface AcceptResult {
  readonly id: number;
  readonly duplicate: boolean;
}

/** Headers that carry credentials are never stored. */
const SECRET_HEADERS = /^(authorization|cookie|x-api-key|x-hub-token|proxy-authorization|x-hub-signature.*|x-signature)$/i;

export function storableHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k] = SECRET_HEADERS.test(k) ? '[redacted]' : Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** Most webhooks written in one group-commit transaction. */
const MAX_GROUP = 200;

interface Pending {
  readonly w: IncomingWebhook;
  readonly resolve: (r: AcceptResult) => void;
  readonly reject: (err: unknown) => void;
}

/** The payload of every webhook queue: the inbox row to process. */
export interface InboxJob {
  readonly inboxId: number;
}

/** What a webhook queue runs on each stored message; throw to have the job retried. */
export type InboxProcessor = (message: InboxMessage, log: Logger) => Promise<unknown>;

/**
 * Webhook queues retry longer than most, and poll (see QueueSettings.pickup). They fetch 50 jobs at a time: their
 * messages are read in one statement and marked processed in another (process.ts), so a worker keeping up with
 * intake costs the database a few statements per fifty webhooks — on PGlite's single connection, intake and
 * workers share every statement.
 */
const INBOX_QUEUE_DEFAULTS: QueueSettings = { retryLimit: 8, retryDelay: 5, pickup: 'poll', batchSize: 50 };

export class Inbox {
  constructor(
    private readonly database: Database,
    private readonly jobs: JobQueue,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Stores a webhook and enqueues its job; resolves after both are committed. Calls that arrive while a
   * write is in flight are committed together in the next transaction (group commit): every caller still
   * waits for its own commit, but fifty concurrent webhooks cost one transaction, not fifty.
   */
  accept(w: IncomingWebhook): Promise<AcceptResult> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ w, resolve, reject });
      if (!this.#flushing) {
        this.#flushing = true;
        // Not at once: the group starts after this turn of the event loop, so every request that arrived with
        // this one (read in the same I/O phase) joins it. On PGlite a transaction runs in microtasks without
        // ever yielding to I/O, so flushing at once made groups of one: each webhook its own transaction.
        setImmediate(() => void this.#flush());
      }
    });
  }

  readonly #pending: Pending[] = [];
  #flushing = false;

  async #flush(): Promise<void> {
    try {
      while (this.#pending.length) {
        const batch = this.#pending.splice(0, MAX_GROUP);
        this.metrics.inboxGroup.observe(batch.length);
        try {
          const results = await this.#write(batch.map((p) => p.w));
          batch.forEach((p, i) => p.resolve(results[i]!));
        } catch (err) {
          if (batch.length === 1) batch[0]!.reject(err);
          // One bad webhook must not fail its neighbours: write them one by one.
          else for (const p of batch) await this.#write([p.w]).then(([r]) => p.resolve(r!), p.reject);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  async #write(items: IncomingWebhook[]): Promise<AcceptResult[]> {
    // Job ids are chosen up front so each inbox row is written once, already pointing at its job.
    const rows = items.map((w) => ({
      source: w.source,
      dedupeKey: w.dedupeKey,
      method: w.method,
      path: w.path,
      headers: storableHeaders(w.headers),
      contentType: w.contentType ?? null,
      body: w.body,
      queue: w.queue.name,
      jobId: randomUUID(),
      requestId: w.requestId ?? null,
      tenant: w.tenant ?? null,
    }));
    const key = (source: string, dedupeKey: string) => `${source}\u0000${dedupeKey}`;
    const results = await this.database.db.transaction(async (tx) => {
      const inserted = await tx
        .insert(inboxMessages)
        .values(rows)
        .onConflictDoNothing({ target: [inboxMessages.source, inboxMessages.dedupeKey] })
        .returning({
          id: inboxMessages.id,
          source: inboxMessages.source,
          dedupeKey: inboxMessages.dedupeKey,
          jobId: inboxMessages.jobId,
          queue: inboxMessages.queue,
        });
      const stored = new Map(inserted.map((r) => [key(r.source, r.dedupeKey), r]));
      const queues = new Map(items.map((w) => [w.queue.name, w.queue]));
      const byQueue = new Map<string, Array<{ id: string; data: InboxJob }>>();
      for (const r of inserted) {
        const list = byQueue.get(r.queue) ?? [];
        list.push({ id: r.jobId!, data: { inboxId: r.id } });
        byQueue.set(r.queue, list);
      }
      for (const [queue, jobs] of byQueue)
        await this.jobs.sendMany(
          queues.get(queue)!,
          jobs.map((j) => j.data),
          { tx, ids: jobs.map((j) => j.id) },
        );
      const missing = rows.filter((r) => !stored.has(key(r.source, r.dedupeKey)));
      // Duplicates of earlier webhooks: one lookup for the whole group.
      const existing = new Map<string, number>();
      if (missing.length) {
        const found = await tx
          .select({ id: inboxMessages.id, source: inboxMessages.source, dedupeKey: inboxMessages.dedupeKey })
          .from(inboxMessages)
          .where(
            and(
              inArray(inboxMessages.source, [...new Set(missing.map((r) => r.source))]),
              inArray(inboxMessages.dedupeKey, [...new Set(missing.map((r) => r.dedupeKey))]),
            ),
          );
        for (const f of found) existing.set(key(f.source, f.dedupeKey), f.id);
      }
      // The first of several equal webhooks in one group is the stored one; the rest are duplicates.
      const claimed = new Set<string>();
      return rows.map((r) => {
        const k = key(r.source, r.dedupeKey);
        const own = stored.get(k);
        if (own && own.jobId === r.jobId && !claimed.has(k)) {
          claimed.add(k);
          return { id: own.id, duplicate: false };
        }
        return { id: own?.id ?? existing.get(k)!, duplicate: true };
      });
    });
    results.forEach((r, i) => this.metrics.inbox.inc({ source: items[i]!.source, outcome: r.duplicate ? 'duplicate' : 'stored' }));
    return results;
  }

  /**
   * Binds a webhook queue (declared `defineQueue<InboxJob>(name)`) to a handler that runs `process` on each stored
   * message and records the outcome on its row. Failures are retried by the queue, one job at a time; the row
   * shows the last error and the attempt count. Settings the queue declares, then `settings`, override the inbox
   * defaults.
   */
  queue(queue: Queue<InboxJob>, process: InboxProcessor, settings: QueueSettings = {}): BatchQueueDef<InboxJob> {
    return { ...INBOX_QUEUE_DEFAULTS, ...queue.batchWorker((jobs, ctx) => processBatch(this.database, jobs, process, ctx.log), settings) };
  }

  async list(filter: { source?: string; status?: string; beforeId?: number; limit: number }): Promise<InboxMessage[]> {
    const conds: SQL[] = [];
    if (filter.source) conds.push(eq(inboxMessages.source, filter.source));
    if (filter.status) conds.push(eq(inboxMessages.status, filter.status as InboxMessage['status']));
    if (filter.beforeId) conds.push(lt(inboxMessages.id, filter.beforeId));
    return this.database.db
      .select()
      .from(inboxMessages)
      .where(conds.length ? and(...conds) : undefined)
      .orderBy(desc(inboxMessages.id))
      .limit(filter.limit);
  }

  async get(id: number): Promise<InboxMessage | undefined> {
    const [row] = await this.database.db.select().from(inboxMessages).where(eq(inboxMessages.id, id));
    return row;
  }

  /** Processes a stored message again (after a fix, or to re-run a handler); returns the new job id. */
  async replay(id: number): Promise<string | null | undefined> {
    return this.database.db.transaction(async (tx) => {
      const [message] = await tx.select().from(inboxMessages).where(eq(inboxMessages.id, id)).for('update');
      if (!message) return undefined;
      const jobId = await this.jobs.sendByName(message.queue, { inboxId: id } satisfies InboxJob, { tx });
      await tx.update(inboxMessages).set({ jobId, status: 'received', error: null }).where(eq(inboxMessages.id, id));
      return jobId;
    });
  }
}

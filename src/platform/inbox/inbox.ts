// The inbound webhook inbox. Before a webhook is answered 2xx, its raw request is stored and its processing
// job enqueued in one transaction: once we said "accepted", a crash or a partner outage can only delay the
// work. A repeat of the same (source, dedupe key) is acknowledged and not processed twice.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { inboxMessages } from '../db/schema.js';
import type { JobQueue, QueueDef } from '../jobs/queue.js';
import type { Metrics } from '../observability/metrics.js';

export type InboxMessage = typeof inboxMessages.$inferSelect;

export interface IncomingWebhook {
  readonly source: string;
  readonly dedupeKey: string;
  readonly queue: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly contentType?: string;
  readonly body: string;
  readonly requestId?: string;
}

export interface AcceptResult {
  readonly id: number;
  readonly duplicate: boolean;
}

/** Headers that carry credentials are never stored. */
const SECRET_HEADERS = /^(authorization|cookie|x-api-key|proxy-authorization|x-hub-signature.*|x-signature)$/i;

export function storableHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k] = SECRET_HEADERS.test(k) ? '[redacted]' : Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export interface InboxJob {
  readonly inboxId: number;
}

export class Inbox {
  constructor(
    private readonly database: Database,
    private readonly jobs: JobQueue,
    private readonly metrics: Metrics,
  ) {}

  async accept(w: IncomingWebhook): Promise<AcceptResult> {
    // The job id is chosen up front so the inbox row is written once, already pointing at its job:
    // three statements in the transaction (insert row, insert job, commit), not four.
    const jobId = randomUUID();
    const result = await this.database.db.transaction(async (tx) => {
      const inserted = await tx
        .insert(inboxMessages)
        .values({
          source: w.source,
          dedupeKey: w.dedupeKey,
          method: w.method,
          path: w.path,
          headers: storableHeaders(w.headers),
          contentType: w.contentType ?? null,
          body: w.body,
          queue: w.queue,
          jobId,
          requestId: w.requestId ?? null,
        })
        .onConflictDoNothing({ target: [inboxMessages.source, inboxMessages.dedupeKey] })
        .returning({ id: inboxMessages.id });
      const row = inserted[0];
      if (!row) {
        const [existing] = await tx
          .select({ id: inboxMessages.id })
          .from(inboxMessages)
          .where(and(eq(inboxMessages.source, w.source), eq(inboxMessages.dedupeKey, w.dedupeKey)));
        return { id: existing!.id, duplicate: true };
      }
      await this.jobs.send<InboxJob>(w.queue, { inboxId: row.id }, { tx, id: jobId });
      return { id: row.id, duplicate: false };
    });
    this.metrics.inbox.inc({ source: w.source, outcome: result.duplicate ? 'duplicate' : 'stored' });
    return result;
  }

  /**
   * A queue definition that loads the stored message, runs `process` on it and records the outcome on the
   * inbox row. Failures are retried by the queue; the row shows the last error and the attempt count.
   */
  queue(name: string, process: (message: InboxMessage, log: Logger) => Promise<unknown>, opts: Partial<QueueDef> = {}): QueueDef<InboxJob> {
    return {
      retryLimit: 8,
      retryDelay: 5,
      ...opts,
      name,
      handle: async ({ inboxId }, ctx) => {
        const [message] = await this.database.db.select().from(inboxMessages).where(eq(inboxMessages.id, inboxId));
        if (!message) return { skipped: 'message deleted' };
        try {
          const output = await process(message, ctx.log.child({ inboxId, source: message.source }));
          await this.database.db
            .update(inboxMessages)
            .set({ status: 'processed', processedAt: new Date(), error: null, attempts: sql`${inboxMessages.attempts} + 1` })
            .where(eq(inboxMessages.id, inboxId));
          return output;
        } catch (err) {
          await this.database.db
            .update(inboxMessages)
            .set({ status: 'failed', error: (err as Error).message.slice(0, 2000), attempts: sql`${inboxMessages.attempts} + 1` })
            .where(eq(inboxMessages.id, inboxId));
          throw err;
        }
      },
    };
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
      const jobId = await this.jobs.send<InboxJob>(message.queue, { inboxId: id }, { tx });
      await tx.update(inboxMessages).set({ jobId, status: 'received', error: null }).where(eq(inboxMessages.id, id));
      return jobId;
    });
  }
}

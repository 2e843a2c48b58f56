// The worker half of the inbox: a fetched batch of webhook jobs, their messages read in one statement, each run
// through the queue's processor (concurrently, as a batch's jobs always ran), and the successes marked processed
// in one statement. Failures are written one by one (each has its own error) and retried by the queue per job.
import { eq, inArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { inboxMessages } from '../db/schema.js';
import { failure, type BatchJob, type BatchOutcome } from '../jobs/queue.js';
import { safeErrorMessage } from '../observability/errors.js';
import type { InboxJob, InboxProcessor } from './inbox.js';

export async function processBatch(
  database: Database,
  jobs: ReadonlyArray<BatchJob<InboxJob>>,
  process: InboxProcessor,
  log: Logger,
): Promise<BatchOutcome[]> {
  const ids = [...new Set(jobs.map((j) => j.data.inboxId))];
  const messages = new Map((await database.db.select().from(inboxMessages).where(inArray(inboxMessages.id, ids))).map((m) => [m.id, m]));
  const processed: number[] = [];
  const outcomes = await Promise.all(
    jobs.map(async (job): Promise<BatchOutcome> => {
      const message = messages.get(job.data.inboxId);
      if (!message) return { id: job.id, ok: true, output: { skipped: 'message deleted' } };
      try {
        const output = await process(message, log.child({ jobId: job.id, inboxId: message.id, source: message.source }));
        processed.push(message.id);
        return { id: job.id, ok: true, output };
      } catch (err) {
        await database.db
          .update(inboxMessages)
          .set({ status: 'failed', error: safeErrorMessage(err).slice(0, 2000), attempts: sql`${inboxMessages.attempts} + 1` })
          .where(eq(inboxMessages.id, message.id));
        return failure(job.id, err);
      }
    }),
  );
  if (processed.length)
    await database.db
      .update(inboxMessages)
      .set({ status: 'processed', processedAt: new Date(), error: null, attempts: sql`${inboxMessages.attempts} + 1` })
      .where(inArray(inboxMessages.id, processed));
  return outcomes;
}

// Delivery of accepted results: build each complex lead from the result and its rule, hand it to the amoCRM
// connector (which batches up to 50 per /leads/complex call under the 7 req/s limit), and record the answer.
// A result is marked `dispatchedAt` in the same transaction that enqueues it, so a re-run never sends twice;
// a transient failure re-dispatches with backoff; a permanent one fails only that result.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Hub } from '../../platform/hub.js';
import { rows, sql as rawSql, type DbExecutor } from '../../platform/db/database.js';
import type { BatchOutcome } from '../../platform/jobs/queue.js';
import type { AmoConnector, ComplexLeadInput, ComplexLeadReply } from '../../connectors/amocrm/index.js';
import { quizAccounts, quizResults, quizRules, type ResultError } from './schema.js';
import { QUEUES, type DeliveredJob, type DeliveredReply, type PrepareJob } from './queues.js';
import { loadCache, type AccountCache } from './cache.js';
import { buildLead } from './lead-builder.js';
import type { QuizResult } from './results-contract.js';
import { PREPARE_CHUNK } from './results.js';

export interface DeliveryOptions {
  /** Deliveries of one result before a transient failure becomes `failed` (an operator can still redeliver). */
  readonly maxAttempts: number;
  /** First re-dispatch delay after a transient failure; doubles per attempt, capped at 30 minutes. */
  readonly retryBaseSeconds: number;
}

type ResultRow = typeof quizResults.$inferSelect;
type AmoFailure = Extract<DeliveredJob['result'], { ok: false }>['error'];

export const DEFAULT_DELIVERY: DeliveryOptions = { maxAttempts: 10, retryBaseSeconds: 10 };

export class DeliveryService {
  constructor(
    private readonly hub: Hub,
    private readonly amo: AmoConnector,
    private readonly opts: DeliveryOptions = DEFAULT_DELIVERY,
  ) {}

  /** Job `quiz.prepare`: turns up to 50 queued results into connector items, in one transaction. */
  async prepare({ resultIds }: PrepareJob): Promise<{ dispatched: number; failed: number }> {
    return this.hub.db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(quizResults)
        .where(and(inArray(quizResults.id, resultIds), eq(quizResults.status, 'queued'), isNull(quizResults.dispatchedAt)))
        .for('update', { skipLocked: true });
      let dispatched = 0;
      let failed = 0;
      const caches = new Map<number, AccountCache>();
      // One batch usually comes from one quiz account and a few quizzes: look each up once, not per result.
      const accounts = new Map<string, typeof quizAccounts.$inferSelect | undefined>();
      const rules = new Map<string, typeof quizRules.$inferSelect | undefined>();
      const outgoing = new Map<number, Array<{ item: ComplexLeadInput; key: string; reply: ComplexLeadReply<DeliveredReply> }>>();
      const plain: Array<{ id: number; amoAccountId: number }> = [];
      for (const row of rows) {
        const fail = async (error: ResultError) => {
          failed++;
          await tx.update(quizResults).set({ status: 'failed', error, updatedAt: new Date() }).where(eq(quizResults.id, row.id));
        };
        if (!accounts.has(row.quizAccountId)) {
          const [found] = await tx
            .select()
            .from(quizAccounts)
            .where(and(eq(quizAccounts.quizAccountId, row.quizAccountId), eq(quizAccounts.deleted, false)));
          accounts.set(row.quizAccountId, found);
        }
        const account = accounts.get(row.quizAccountId);
        if (!account) {
          await fail({
            code: 'ACCOUNT_NOT_CONNECTED',
            message: 'Аккаунт amoCRM не подключён; подключите его и повторите доставку',
            retryable: true,
          });
          continue;
        }
        const ruleKey = `${row.quizAccountId}\u0000${row.quizId}`;
        if (!rules.has(ruleKey)) {
          const [found] = await tx
            .select()
            .from(quizRules)
            .where(and(eq(quizRules.quizAccountId, row.quizAccountId), eq(quizRules.quizId, row.quizId)));
          rules.set(ruleKey, found);
        }
        const rule = rules.get(ruleKey);
        if (!rule) {
          await fail({ code: 'RULE_NOT_FOUND', message: `Нет правила для квиза ${row.quizId}`, retryable: true });
          continue;
        }
        if (rule.amoAccountId !== account.amoAccountId) {
          await fail({
            code: 'RULE_STALE',
            message: 'Правило настроено для другого аккаунта amoCRM; сохраните его заново (PATCH)',
            retryable: true,
          });
          continue;
        }
        let cache = caches.get(account.amoAccountId);
        if (!cache) caches.set(account.amoAccountId, (cache = await loadCache(tx, account.amoAccountId)));
        const { item, warnings } = buildLead(row.payload as unknown as QuizResult, rule, cache);
        const attempt = row.attempts + 1;
        const list = outgoing.get(account.amoAccountId) ?? [];
        // The key makes every delivery of this result (re-dispatches, redeliveries) the same amoCRM lead: one lead per result.
        list.push({
          item,
          key: `quiz:${row.quizAccountId}:${row.resultId}`,
          reply: { queue: QUEUES.delivered, data: { resultId: row.id, attempt } },
        });
        outgoing.set(account.amoAccountId, list);
        if (warnings.length) {
          await tx
            .update(quizResults)
            .set({ dispatchedAt: new Date(), attempts: attempt, amoAccountId: account.amoAccountId, warnings, updatedAt: new Date() })
            .where(eq(quizResults.id, row.id));
          this.hub.log.warn({ resultId: row.resultId, quizId: row.quizId, warnings }, 'quiz: answers that cannot be written to amoCRM');
        } else {
          plain.push({ id: row.id, amoAccountId: account.amoAccountId });
        }
        dispatched++;
      }
      // Results without warnings are marked dispatched together, per amoCRM account: one statement each.
      const byAccount = new Map<number, number[]>();
      for (const p of plain) byAccount.set(p.amoAccountId, [...(byAccount.get(p.amoAccountId) ?? []), p.id]);
      for (const [amoAccountId, ids] of byAccount) {
        await tx
          .update(quizResults)
          .set({ dispatchedAt: new Date(), attempts: sql`${quizResults.attempts} + 1`, amoAccountId, warnings: [], updatedAt: new Date() })
          .where(inArray(quizResults.id, ids));
      }
      for (const [amoAccountId, entries] of outgoing) await this.amo.enqueueComplexLeads(amoAccountId, entries, { tx });
      return { dispatched, failed };
    });
  }

  /**
   * Job `quiz.delivered` (a batch): the connector's per-lead answers, recorded in one transaction (one commit per
   * batch instead of one per lead keeps up with 350 leads/s). A failure of the batch retries every job in it;
   * recording is idempotent (an answer to an older attempt changes nothing).
   */
  async delivered(jobs: ReadonlyArray<{ id: string; data: DeliveredJob }>): Promise<BatchOutcome[]> {
    return this.hub.db.transaction(async (tx) => {
      const locked = await tx
        .select()
        .from(quizResults)
        .where(
          inArray(
            quizResults.id,
            jobs.map((j) => j.data.resultId),
          ),
        )
        .for('update');
      const byId = new Map(locked.map((r) => [r.id, r]));
      const outcomes: BatchOutcome[] = [];
      // Successes (nearly all of them) are written with one statement for the batch; the rest one by one.
      const sent: Array<{ id: number; leadId: number; contactId: number | null; companyId: number | null }> = [];
      for (const job of jobs) {
        const row = byId.get(job.data.resultId);
        const { result, attempt } = job.data;
        // An answer to an older attempt (the result was redelivered since), or a repeated one, changes nothing.
        if (!row || row.attempts !== attempt || row.status !== 'queued') {
          outcomes.push({ id: job.id, ok: true, output: { stale: true } });
        } else if (result.ok) {
          sent.push({ id: row.id, leadId: result.leadId, contactId: result.contactId ?? null, companyId: result.companyId ?? null });
          row.status = 'sent';
          outcomes.push({ id: job.id, ok: true, output: { resultId: row.resultId, leadId: result.leadId } });
        } else {
          outcomes.push({ id: job.id, ...(await this.#failed(tx, row, attempt, result.error)) });
        }
      }
      if (sent.length) {
        const ids = (f: (s: (typeof sent)[number]) => number | null) => rawSql.param(sent.map(f));
        await rows(
          tx,
          rawSql`update quiz_results r set status = 'sent', amo_lead_id = v.lead_id, amo_contact_id = v.contact_id, amo_company_id = v.company_id,
                  error = null, sent_at = now(), updated_at = now()
                from unnest(${ids((x) => x.id)}::bigint[], ${ids((x) => x.leadId)}::bigint[], ${ids((x) => x.contactId)}::bigint[], ${ids((x) => x.companyId)}::bigint[])
                  as v(id, lead_id, contact_id, company_id)
               where r.id = v.id`,
        );
      }
      return outcomes;
    });
  }

  /** amoCRM refused or never took this result: re-dispatch with backoff while it may help, else mark it failed. */
  async #failed(tx: DbExecutor, row: ResultRow, attempt: number, failure: AmoFailure): Promise<Omit<BatchOutcome, 'id'>> {
    const resultId = row.id;
    const error: ResultError = {
      code: failure.code,
      message: failure.message,
      retryable: failure.retryable,
      ...(failure.validationErrors ? { details: { validationErrors: failure.validationErrors } } : {}),
    };
    if (error.retryable && attempt < this.opts.maxAttempts) {
      const delay = Math.min(this.opts.retryBaseSeconds * 2 ** (attempt - 1), 1800);
      await tx.update(quizResults).set({ dispatchedAt: null, error, updatedAt: new Date() }).where(eq(quizResults.id, resultId));
      await this.hub.jobs.send(QUEUES.prepare, { resultIds: [resultId] }, { tx, startAfterSeconds: delay });
      this.hub.log.warn({ resultId: row.resultId, attempt, delay, code: error.code }, 'quiz: delivery failed, will retry');
      return { ok: true, output: { resultId: row.resultId, retryInSeconds: delay, error } };
    }
    await tx.update(quizResults).set({ status: 'failed', error, updatedAt: new Date() }).where(eq(quizResults.id, resultId));
    row.status = 'failed';
    // Failing this job (not the batch) puts the result's error in the admin job view.
    return { ok: false, permanent: true, output: { resultId: row.resultId, quizId: row.quizId, error } };
  }

  /** Operator action: queue failed (or all unsent) results of a quiz account again; returns how many. */
  async redeliver(filter: { quizAccountId?: string; resultIds?: string[] }): Promise<number> {
    return this.hub.db.transaction(async (tx) => {
      const conds = [eq(quizResults.status, 'failed')];
      if (filter.quizAccountId) conds.push(eq(quizResults.quizAccountId, filter.quizAccountId));
      if (filter.resultIds?.length) conds.push(inArray(quizResults.resultId, filter.resultIds));
      const rows = await tx
        .update(quizResults)
        .set({ status: 'queued', dispatchedAt: null, error: null, attempts: sql`0`, updatedAt: new Date() })
        .where(and(...conds))
        .returning({ id: quizResults.id });
      const jobs: PrepareJob[] = [];
      for (let i = 0; i < rows.length; i += PREPARE_CHUNK) jobs.push({ resultIds: rows.slice(i, i + PREPARE_CHUNK).map((r) => r.id) });
      await this.hub.jobs.sendMany(QUEUES.prepare, jobs, { tx });
      return rows.length;
    });
  }
}

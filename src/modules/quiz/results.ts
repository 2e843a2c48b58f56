// Results intake: store every result (idempotent by quiz account + resultId) and enqueue its delivery in the same
// transaction, so a 202 means "it will become a lead". Delivery itself is in delivery.ts.
import { and, eq, inArray } from 'drizzle-orm';
import type { Hub } from '../../platform/hub.js';
import { quizResults, quizRules } from './schema.js';
import { quizError } from './errors.js';
import { QUEUES, type PrepareJob } from './queues.js';
import type { AccountService } from './accounts.js';
import type { QuizResult, ResultStatusBody } from './results-contract.js';

/** Results handed to one prepare job: the connector sends /leads/complex in batches of this size anyway. */
export const PREPARE_CHUNK = 50;

/**
 * The fields of a result the contract knows, and only those. A quiz builder may send more (they are not refused),
 * but unknown fields were never validated: stored as they came, a NUL in one would fail the jsonb insert.
 */
export function storedResult(r: QuizResult): QuizResult {
  return {
    quizId: r.quizId,
    resultId: r.resultId,
    answers: r.answers.map((a) => ({ questionId: a.questionId, ...(a.title !== undefined ? { title: a.title } : {}), value: a.value })),
    ...(r.contact
      ? {
          contact: {
            ...(r.contact.name !== undefined ? { name: r.contact.name } : {}),
            ...(r.contact.phone !== undefined ? { phone: r.contact.phone } : {}),
            ...(r.contact.email !== undefined ? { email: r.contact.email } : {}),
            ...(r.contact.company !== undefined ? { company: r.contact.company } : {}),
          },
        }
      : {}),
    ...(r.utm ? { utm: r.utm } : {}),
    ...(r.createdAt !== undefined ? { createdAt: r.createdAt } : {}),
  };
}

export class ResultService {
  constructor(
    private readonly hub: Hub,
    private readonly accounts: AccountService,
  ) {}

  async accept(quizAccountId: string, results: readonly QuizResult[]): Promise<{ accepted: string[]; duplicates: string[] }> {
    await this.accounts.live(quizAccountId);
    const unique = new Map<string, QuizResult>();
    for (const r of results) if (!unique.has(r.resultId)) unique.set(r.resultId, r);
    const quizIds = [...new Set([...unique.values()].map((r) => r.quizId))];
    const ruled = await this.hub.db
      .select({ quizId: quizRules.quizId })
      .from(quizRules)
      .where(and(eq(quizRules.quizAccountId, quizAccountId), inArray(quizRules.quizId, quizIds)));
    const known = new Set(ruled.map((r) => r.quizId));
    const noRule = quizIds.filter((id) => !known.has(id));
    if (noRule.length)
      throw quizError(
        'RESULTS_INVALID',
        `Нет правила для квизов: ${noRule.join(', ')}. Создайте правило (POST /quiz/rules/{quizID}), затем отправьте результаты снова`,
        { quizIds: noRule },
      );

    const inserted = await this.hub.db.transaction(async (tx) => {
      const rows = await tx
        .insert(quizResults)
        .values(
          [...unique.values()].map((r) => ({
            quizAccountId,
            resultId: r.resultId,
            quizId: r.quizId,
            payload: storedResult(r) as unknown as Record<string, unknown>,
          })),
        )
        .onConflictDoNothing({ target: [quizResults.quizAccountId, quizResults.resultId] })
        .returning({ id: quizResults.id, resultId: quizResults.resultId });
      const jobs: PrepareJob[] = [];
      for (let i = 0; i < rows.length; i += PREPARE_CHUNK) jobs.push({ resultIds: rows.slice(i, i + PREPARE_CHUNK).map((r) => r.id) });
      await this.hub.jobs.sendMany(QUEUES.prepare, jobs, { tx });
      return rows;
    });
    const fresh = new Set(inserted.map((r) => r.resultId));
    return { accepted: [...unique.keys()], duplicates: [...unique.keys()].filter((id) => !fresh.has(id)) };
  }

  async status(quizAccountId: string, resultId: string): Promise<ResultStatusBody> {
    const [row] = await this.hub.db
      .select()
      .from(quizResults)
      .where(and(eq(quizResults.quizAccountId, quizAccountId), eq(quizResults.resultId, resultId)));
    if (!row) throw quizError('RESULT_NOT_FOUND');
    return {
      status: row.status,
      ...(row.amoLeadId !== null ? { amoLeadId: row.amoLeadId } : {}),
      ...(row.amoContactId !== null ? { amoContactId: row.amoContactId } : {}),
      ...(row.amoCompanyId !== null ? { amoCompanyId: row.amoCompanyId } : {}),
      ...(row.error ? { error: row.error } : {}),
      ...(row.warnings.length ? { warnings: row.warnings } : {}),
    };
  }
}

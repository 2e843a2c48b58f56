// Job queues of the quiz module and their payloads. Everything that talks to amoCRM runs here, never in a request.
// Handlers are bound in index.ts; the names are stored with every job and must not change.
import type { ComplexLeadResult } from '../../connectors/amocrm/index.js';
import { defineQueue } from '../../platform/jobs/queue.js';

export type Directory = 'users' | 'pipelines' | 'steps' | 'fields' | 'tags';

export interface SyncJob {
  readonly amoAccountId: number;
  readonly directories: Directory[];
}
export interface RuleCheckJob {
  readonly ruleId: number;
}
export interface PrepareJob {
  readonly resultIds: number[];
}
/** What delivery hands the connector with each lead; the connector adds `result` when it answers. */
export interface DeliveredReply {
  readonly resultId: number;
  readonly attempt: number;
}
export interface DeliveredJob extends DeliveredReply {
  readonly result: ComplexLeadResult;
}

export const QUEUES = {
  /** Refresh directories from amoCRM (PATCH /users… and after connect). */
  sync: defineQueue<SyncJob>('quiz.sync', { retryLimit: 5, retryDelay: 5, batchSize: 1 }),
  /** The rule's follow-up: check its mapping against fresh amoCRM data, mark it ready or broken. */
  ruleCheck: defineQueue<RuleCheckJob>('quiz.rule-check', { retryLimit: 5, retryDelay: 5, batchSize: 1 }),
  /** Turn accepted results into complex leads and hand them to the connector's batching queue. */
  prepare: defineQueue<PrepareJob>('quiz.prepare', { retryLimit: 10, retryDelay: 5, batchSize: 4, concurrency: 2 }),
  /** The connector's answer per lead: record sent / failed on the result. */
  delivered: defineQueue<DeliveredJob>('quiz.delivered', { retryLimit: 10, retryDelay: 2, batchSize: 100 }),
};

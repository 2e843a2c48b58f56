// Job queues of the quiz module and their payloads. Everything that talks to amoCRM runs here, never in a request.
import type { ComplexLeadResult } from '../../connectors/amocrm/index.js';

export const QUEUES = {
  /** Refresh directories from amoCRM (PATCH /users… and after connect). */
  sync: 'quiz.sync',
  /** The rule's follow-up: check its mapping against fresh amoCRM data, mark it ready or broken. */
  ruleCheck: 'quiz.rule-check',
  /** Turn accepted results into complex leads and hand them to the connector's batching queue. */
  prepare: 'quiz.prepare',
  /** The connector's answer per lead: record sent / failed on the result. */
  delivered: 'quiz.delivered',
} as const;

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
export interface DeliveredJob {
  readonly resultId: number;
  readonly attempt: number;
  readonly result: ComplexLeadResult;
}

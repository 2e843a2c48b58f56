// Job queues of the amoCRM → 1C direction. Every call to 1C and every webhook subscription runs here, never in a
// request: a 1C outage delays a push (retried with back-off for hours), never drops it. Names are stored with
// every job and must not change.
import { defineQueue } from '../../platform/jobs/queue.js';
import type { InboxJob } from '../../platform/inbox/inbox.js';
import type { MappedEntity } from './bases.js';

export interface PushJob {
  readonly key: string;
  readonly idBase: string;
  /** contacts, companies → new_lead; leads → new_order. */
  readonly entity: MappedEntity;
  readonly amoId: number;
  /** amoCRM's updated_at the change came with (webhook): a base that already has this state is skipped. */
  readonly updatedAt?: number;
  /** An operator's push: sent whatever the stamps say. */
  readonly force?: boolean;
}
export interface CorrTableJob {
  readonly key: string;
  readonly idBase: string;
}
export interface SubscribeJob {
  readonly key: string;
}

/** Back-off of pushes: 30 s doubling up to an hour, 40 attempts — about a day and a half of 1C outage. */
export const PUSH_RETRY = { retryLimit: 40, retryDelay: 30, retryDelayMax: 3600 } as const;

/**
 * Pushes and tables are fed by the webhook inbox (bursts) and by each other: they poll (every 0.5 s) rather than
 * wait for a NOTIFY, which a busy worker misses and then finds only at the 5-second fallback poll.
 */
export const OUTBOUND = {
  push: defineQueue<PushJob>('onec-sync.push', { ...PUSH_RETRY, batchSize: 1, concurrency: 2, pickup: 'poll' }),
  corrTable: defineQueue<CorrTableJob>('onec-sync.corr-table', { ...PUSH_RETRY, batchSize: 1, pickup: 'poll' }),
  subscribe: defineQueue<SubscribeJob>('onec-sync.subscribe', { retryLimit: 10, retryDelay: 30, retryDelayMax: 3600, batchSize: 1 }),
  /** amoCRM's account webhooks, stored in the platform inbox before they are answered. */
  amoWebhook: defineQueue<InboxJob>('onec-sync.amo-webhook'),
};

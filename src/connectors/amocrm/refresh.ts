// The refresh job: amoCRM refresh tokens die after three months unused, so an account the hub only listens to
// (webhooks, rare leads) would silently lose its connection. Every AMO_REFRESH_CHECK_MINUTES each worker process
// enqueues one check (a singleton: several workers make one job); the check renews the tokens of every active
// account older than AMO_REFRESH_AFTER_DAYS and marks the ones amoCRM refuses as needing re-consent.
import type { Hub } from '../../platform/hub.js';
import { defineQueue, type QueueDef } from '../../platform/jobs/queue.js';
import type { AmoConnector, RefreshReport } from './port.js';

/** One check of every account; the payload is empty (the check reads the accounts when it runs). */
export const REFRESH_QUEUE = defineQueue<Record<string, never>>('amocrm.refresh-tokens', { retryLimit: 3, retryDelay: 60, batchSize: 1 });

export function refreshQueue(amo: () => AmoConnector): QueueDef<Record<string, never>> {
  return REFRESH_QUEUE.worker(async (): Promise<RefreshReport> => {
    const report = await amo().refreshStale();
    // Transient failures: the job retries with back-off; the accounts already renewed are skipped next time.
    if (report.failed) throw new Error(`${report.failed} amoCRM token refresh(es) failed; retrying`);
    return report;
  });
}

/** Enqueues a check now and every `minutes` while the process runs (worker role). */
export async function scheduleRefresh(hub: Hub, minutes: number): Promise<void> {
  const enqueue = () =>
    hub.jobs
      .send(REFRESH_QUEUE, {}, { singletonKey: REFRESH_QUEUE.name })
      .catch((err) => hub.log.warn({ err }, 'could not enqueue the amoCRM token refresh check'));
  await enqueue();
  const timer = setInterval(() => void enqueue(), minutes * 60_000);
  timer.unref();
  hub.onClose(() => clearInterval(timer));
}

// The refresh job: amoCRM refresh tokens die after three months unused, so an account the hub only listens to
// (webhooks, rare leads) would silently lose its connection. Every AMO_REFRESH_CHECK_MINUTES each worker process
// enqueues one check (a singleton: several workers make one job); the check renews the tokens of every active
// account older than AMO_REFRESH_AFTER_DAYS and marks the ones amoCRM refuses as needing re-consent.
import type { Hub } from '../../platform/hub.js';
import type { QueueDef } from '../../platform/jobs/queue.js';
import type { AmoConnector, RefreshReport } from './port.js';

export const REFRESH_QUEUE = 'amocrm.refresh-tokens';

export function refreshQueue(amo: () => AmoConnector): QueueDef<Record<string, never>> {
  return {
    name: REFRESH_QUEUE,
    retryLimit: 3,
    retryDelay: 60,
    batchSize: 1,
    handle: async (): Promise<RefreshReport> => {
      const report = await amo().refreshStale();
      // Transient failures: the job retries with back-off; the accounts already renewed are skipped next time.
      if (report.failed) throw Object.assign(new Error(`${report.failed} amoCRM token refresh(es) failed`), { output: report });
      return report;
    },
  };
}

/** Enqueues a check now and every `minutes` while the process runs (worker role). */
export async function scheduleRefresh(hub: Hub, minutes: number): Promise<void> {
  const enqueue = () =>
    hub.jobs
      .send(REFRESH_QUEUE, {}, { singletonKey: REFRESH_QUEUE })
      .catch((err) => hub.log.warn({ err }, 'could not enqueue the amoCRM token refresh check'));
  await enqueue();
  const timer = setInterval(() => void enqueue(), minutes * 60_000);
  timer.unref();
  hub.onClose(() => clearInterval(timer));
}

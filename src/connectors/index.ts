// The partner connectors the hub shares between modules (one instance each per process). app.ts creates
// them once and hands them to every module factory; their queues run like any module's.
import type { Hub } from '../platform/hub.js';
import type { QueueDef } from '../platform/jobs/queue.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled as connectors land (amoCRM first)
export interface Connectors {}

export function createConnectors(_hub: Hub): { connectors: Connectors; queues: ReadonlyArray<QueueDef<never>> } {
  return { connectors: {}, queues: [] };
}

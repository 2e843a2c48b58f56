// The partner connectors the hub shares between modules (one instance each per process). app.ts creates
// them once and hands them to every module factory; their queues run like any module's.
import type { Hub } from '../platform/hub.js';
import type { QueueDef } from '../platform/jobs/queue.js';
import { createAmoConnector, type AmoConnector } from './amocrm/index.js';

export interface Connectors {
  readonly amo: AmoConnector;
}

export function createConnectors(hub: Hub): { connectors: Connectors; queues: ReadonlyArray<QueueDef<never>> } {
  const amo = createAmoConnector(hub);
  return { connectors: { amo }, queues: [...amo.queues] };
}

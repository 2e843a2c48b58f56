// The module's queues: Alta's status webhooks, stored in the platform inbox before the answer and processed here.
import { defineQueue } from '../../platform/jobs/queue.js';
import type { InboxJob } from '../../platform/inbox/inbox.js';

export const PTD_STATUS = defineQueue<InboxJob>('customs.alta-ptd-status');
export const TRANSIT_STATUS = defineQueue<InboxJob>('customs.alta-transit-status');

// The module's queues, declared once: the name (prefixed with the module's) and payload travel together.
import { defineQueue } from '../../../src/platform/jobs/queue.js';
import type { InboxJob } from '../../../src/platform/inbox/inbox.js';

/** Webhooks accepted by POST /example/events, processed in the background. */
export const EVENTS = defineQueue<InboxJob>('example.events', { retryLimit: 5, retryDelay: 2 });

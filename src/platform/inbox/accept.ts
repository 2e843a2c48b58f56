// The route-side half of the inbox: a handler calls acceptWebhook(...) and answers 2xx only after it resolves,
// i.e. after the raw request and its processing job are committed together.
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Hub } from '../hub.js';
import type { Queue } from '../jobs/queue.js';
import type { AcceptResult, InboxJob } from './inbox.js';
import { safePath } from '../observability/safe-path.js';

export interface AcceptOptions {
  readonly source: string;
  /** The queue that processes this webhook (bound with hub.inbox.queue(...)). */
  readonly queue: Queue<InboxJob>;
  /** The partner's own id for the event when it has one; by default the SHA-256 of the raw body. */
  readonly dedupeKey?: string;
  /** Whose webhook it is, when the route authenticated a tenant (the processing job reads it from the row). */
  readonly tenant?: string;
}

export function bodyDigest(raw: string): string {
  return createHash('sha256').update(raw).digest('hex');
}

export function acceptWebhook(hub: Hub, req: FastifyRequest, opts: AcceptOptions): Promise<AcceptResult> {
  const body = req.rawBody ?? (req.body === undefined ? '' : typeof req.body === 'string' ? req.body : JSON.stringify(req.body));
  const rawQuery = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
  return hub.inbox.accept({
    source: opts.source,
    queue: opts.queue,
    dedupeKey: opts.dedupeKey ?? bodyDigest(`${req.method} ${rawQuery}\n${body}`),
    method: req.method,
    // A credential in the query (`?token=` of the callers that cannot set headers) is not stored with the request.
    path: safePath(req.url),
    headers: req.headers,
    contentType: req.headers['content-type'],
    body,
    requestId: req.id,
    ...(opts.tenant !== undefined ? { tenant: opts.tenant } : {}),
  });
}

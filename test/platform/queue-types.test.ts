// test-lane: no-database (run once, on the PGlite lane: nothing here opens the hub's database)
// Typed queues. Most of this file is checked by the compiler, not run: `tsc --noEmit` covers test/, and each
// `@ts-expect-error` line fails it the day that line compiles, i.e. the day a wrong payload, a queue name
// string or a reply queue without `result` gets through. The test at the end checks what defineQueue builds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyRequest } from 'fastify';
import { pino } from 'pino';
import type { AmoConnector, ComplexLeadInput, ComplexLeadResult } from '../../src/connectors/amocrm/index.js';
import type { Hub } from '../../src/platform/hub.js';
import { acceptWebhook } from '../../src/platform/inbox/accept.js';
import type { Inbox, InboxJob } from '../../src/platform/inbox/inbox.js';
import { defineQueue, type JobQueue, type Queue } from '../../src/platform/jobs/queue.js';

interface Order {
  readonly orderId: number;
  readonly kind: 'new' | 'update';
}
const ORDERS = defineQueue<Order>('types.orders', { retryLimit: 2, batchSize: 10 });

/** Never called: it exists for the compiler. */
export function compileChecks(
  jobs: JobQueue,
  amo: AmoConnector,
  hub: Hub,
  inbox: Inbox,
  req: FastifyRequest,
  lead: ComplexLeadInput,
): void {
  void jobs.send(ORDERS, { orderId: 1, kind: 'new' }, { startAfterSeconds: 5 });
  // @ts-expect-error a field of the wrong type
  void jobs.send(ORDERS, { orderId: '1', kind: 'new' });
  // @ts-expect-error a missing field
  void jobs.send(ORDERS, { orderId: 1 });
  // @ts-expect-error a field the payload does not have
  void jobs.send(ORDERS, { orderId: 1, kind: 'new', note: 'x' });
  // @ts-expect-error a value outside the declared set
  void jobs.send(ORDERS, { orderId: 1, kind: 'delete' });
  // @ts-expect-error a queue name is not a queue
  void jobs.send('types.orders', { orderId: 1, kind: 'new' });

  void jobs.sendMany(ORDERS, [{ orderId: 1, kind: 'new' }]);
  // @ts-expect-error one wrong item spoils the batch
  void jobs.sendMany(ORDERS, [{ orderId: 1, kind: 'new' }, { orderId: 2 }]);

  // Handlers read the declared payload.
  ORDERS.worker(async (order) => order.orderId + 1);
  ORDERS.batchWorker(async (batch) => batch.map((j) => ({ id: j.id, ok: j.data.kind === 'new' })));
  // @ts-expect-error a handler written for another payload
  ORDERS.worker(async (order: { sku: string }) => order.sku);

  // A queue reference is invariant in its payload: it is both written to and read from.
  // @ts-expect-error a queue of Order is not a queue of a narrower payload
  const narrower: Queue<{ orderId: number }> = ORDERS;
  // @ts-expect-error nor of a wider one
  const wider: Queue<Order & { note: string }> = ORDERS;
  void narrower;
  void wider;

  // Reply queues take exactly `{ ...data, result }`.
  const replies = defineQueue<{ n: number; result: ComplexLeadResult }>('types.replies');
  void amo.enqueueComplexLead(1, lead, { queue: replies, data: { n: 1 } });
  void amo.enqueueComplexLeads(1, [{ item: lead, reply: { queue: replies, data: { n: 2 } } }]);
  // @ts-expect-error data the reply queue's payload does not have
  void amo.enqueueComplexLead(1, lead, { queue: replies, data: { m: 1 } });
  // @ts-expect-error data missing a field of the reply queue's payload
  void amo.enqueueComplexLead(1, lead, { queue: replies, data: {} });
  // @ts-expect-error a reply queue whose payload has no `result`
  void amo.enqueueComplexLead(1, lead, { queue: defineQueue<{ n: number }>('types.no-result'), data: { n: 1 } });
  // @ts-expect-error a reply queue named by a string
  void amo.enqueueComplexLead(1, lead, { queue: 'types.replies', data: { n: 1 } });

  // Webhooks go to queues of inbox jobs only.
  const hooks = defineQueue<InboxJob>('types.hooks');
  inbox.queue(hooks, async (message) => message.body);
  void acceptWebhook(hub, req, { source: 'types', queue: hooks });
  // @ts-expect-error an inbox handler bound to a queue of another payload
  inbox.queue(ORDERS, async () => undefined);
  // @ts-expect-error a webhook routed to a queue of another payload
  void acceptWebhook(hub, req, { source: 'types', queue: ORDERS });
}

test('defineQueue: the reference carries name and settings; a worker adds its handler and overrides', async () => {
  assert.equal(ORDERS.name, 'types.orders');
  assert.equal(ORDERS.retryLimit, 2);
  assert.ok(Object.isFrozen(ORDERS));
  const handle = async (order: Order) => order.orderId;
  const def = ORDERS.worker(handle, { retryLimit: 7, expireInSeconds: 60 });
  assert.deepEqual(
    { ...def, handle: undefined },
    { name: 'types.orders', retryLimit: 7, batchSize: 10, expireInSeconds: 60, handle: undefined },
  );
  assert.equal(def.handle, handle);
  const batch = ORDERS.batchWorker(async (jobs) => jobs.map((j) => ({ id: j.id, ok: true })));
  assert.deepEqual(Object.keys(batch).sort(), ['batchSize', 'handleBatch', 'name', 'retryLimit']);
  assert.deepEqual(
    await batch.handleBatch([{ id: 'a', data: { orderId: 1, kind: 'new' }, retryCount: 0 }], {
      signal: new AbortController().signal,
      log: pino({ level: 'silent' }),
    }),
    [{ id: 'a', ok: true }],
  );
  assert.equal(ORDERS.retryLimit, 2, 'overrides do not change the declaration');
});

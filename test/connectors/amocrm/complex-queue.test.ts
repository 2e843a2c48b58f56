import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ComplexLeadInput, ComplexLeadResult } from '../../../src/connectors/amocrm/index.js';
import { defineModule, type AnyModule } from '../../../src/platform/module.js';
import { defineQueue } from '../../../src/platform/jobs/queue.js';
import { eventually } from '../../helpers/hub.js';
import { amoTestBed, connect } from './helpers.js';

type Reply = { n: number; result: ComplexLeadResult };
const REPLIES = defineQueue<Reply>('amo-test.replies', { batchSize: 200 });

/** A module whose only job is to collect the connector's replies. */
function replyCollector(into: Reply[]): AnyModule {
  return defineModule({
    name: 'amo-test',
    prefix: '/amo-test',
    create: () => ({
      queues: [
        REPLIES.batchWorker(async (jobs) => {
          into.push(...jobs.map((j) => j.data));
          return jobs.map((j) => ({ id: j.id, ok: true }));
        }),
      ],
    }),
  });
}

const lead = (n: number, extra: Partial<ComplexLeadInput> = {}): ComplexLeadInput => ({
  name: `Queued lead ${n}`,
  price: n,
  _embedded: {
    contacts: [
      {
        first_name: `Contact ${n}`,
        custom_fields_values: [{ field_code: 'PHONE', values: [{ value: `+7999${String(n).padStart(7, '0')}`, enum_code: 'WORK' }] }],
      },
    ],
  },
  ...extra,
});

async function enqueue(amo: Awaited<ReturnType<typeof amoTestBed>>['amo'], accountId: number, items: ComplexLeadInput[]) {
  for (let i = 0; i < items.length; i += 100) {
    await Promise.all(
      items.slice(i, i + 100).map((item, k) => amo.enqueueComplexLead(accountId, item, { queue: REPLIES, data: { n: i + k } })),
    );
  }
}

test('1,000 queued complex leads: batches of 50, never more than 7 requests/s, every item answered once', async (t) => {
  const replies: Reply[] = [];
  const { emu, amo } = await amoTestBed(t, { modules: [replyCollector(replies)] });
  const { account } = await connect(amo);
  await enqueue(
    amo,
    account.amoAccountId,
    Array.from({ length: 1000 }, (_, n) => lead(n)),
  );
  await eventually(async () => replies.length >= 1000, 120_000, 200);
  assert.equal(replies.length, 1000);
  assert.deepEqual(new Set(replies.map((r) => r.n)).size, 1000);
  assert.ok(replies.every((r) => r.result.ok));
  const leadIds = new Set(replies.map((r) => (r.result.ok ? r.result.leadId : 0)));
  assert.equal(leadIds.size, 1000);
  const calls = emu.control.requests.list({ path: '/api/v4/leads/complex' });
  assert.ok(calls.every((c) => (c.items ?? 0) <= 50));
  assert.ok(calls.length <= 25, `${calls.length} complex calls for 1,000 leads`);
  assert.ok(
    emu.control.requests.maxPerSecond({ path: '/api/v4/' }) <= 7,
    `max ${emu.control.requests.maxPerSecond({ path: '/api/v4/' })}/s`,
  );
  assert.equal(emu.control.requests.list({ status: 429 }).length, 0);
});

test('item-level validation errors fail only the offending items; the rest is created', async (t) => {
  const replies: Reply[] = [];
  const { emu, amo } = await amoTestBed(t, { modules: [replyCollector(replies)] });
  const { account } = await connect(amo);
  const bad = { custom_fields_values: [{ field_id: 1, values: [{ value: 'nope' }] }] };
  const items = Array.from({ length: 6 }, (_, n) => (n === 1 || n === 4 ? lead(n, bad) : lead(n)));
  await enqueue(amo, account.amoAccountId, items);
  await eventually(async () => replies.length >= 6, 30_000);
  assert.deepEqual(
    replies
      .filter((r) => !r.result.ok)
      .map((r) => r.n)
      .sort(),
    [1, 4],
  );
  const failures = replies.filter((r) => !r.result.ok);
  assert.equal(failures.length, 2);
  for (const f of failures) {
    assert.ok(!f.result.ok);
    if (f.result.ok) continue;
    assert.equal(f.result.error.code, 'VALIDATION_FAILED');
    assert.equal(f.result.error.retryable, false);
    assert.ok(
      f.result.error.validationErrors?.some((v) => v.path.includes('custom_fields_values.0.field_id')),
      JSON.stringify(f.result.error),
    );
  }
  assert.equal(replies.filter((r) => r.result.ok).length, 4);
  const created = emu.control.requests.list({ path: '/api/v4/leads/complex', status: 200 }).reduce((sum, c) => sum + (c.items ?? 0), 0);
  assert.equal(created, 4);
});

test('a 60 s amoCRM outage: jobs retry, nothing is lost or duplicated', async (t) => {
  const replies: Reply[] = [];
  const { emu, amo } = await amoTestBed(t, { modules: [replyCollector(replies)] });
  const { account } = await connect(amo);
  emu.control.faults.outage(60);
  await enqueue(
    amo,
    account.amoAccountId,
    Array.from({ length: 120 }, (_, n) => lead(n)),
  );
  await eventually(async () => emu.control.requests.list({ path: '/api/v4/leads/complex', status: 503 }).length >= 1, 30_000);
  assert.equal(replies.length, 0, 'nothing is answered during the outage');
  // Keep the real wait short: the outage ends early, as if 60 s had passed.
  emu.control.faults.endOutage();
  await eventually(async () => replies.length >= 120, 60_000, 200);
  assert.equal(replies.length, 120);
  assert.ok(replies.every((r) => r.result.ok));
  assert.equal(new Set(replies.map((r) => r.n)).size, 120);
  const created = emu.control.requests.list({ path: '/api/v4/leads/complex', status: 200 }).reduce((sum, c) => sum + (c.items ?? 0), 0);
  assert.equal(created, 120, 'no lead created twice');
});

test('a 429 storm: the connector waits retry_after and retries; nothing is lost', async (t) => {
  const replies: Reply[] = [];
  // amoCRM suddenly allows only 2 requests per second: our 7/s pacing runs into 429s.
  const { emu, amo } = await amoTestBed(t, {
    modules: [replyCollector(replies)],
    emulator: { rateLimit: { perSecond: 2, violationsToBlock: 1000 } },
  });
  const { account } = await connect(amo);
  await enqueue(
    amo,
    account.amoAccountId,
    Array.from({ length: 400 }, (_, n) => lead(n)),
  );
  const reads = Array.from({ length: 6 }, () => amo.api(account.amoAccountId).pipelines());
  await Promise.all(reads);
  await eventually(async () => replies.length >= 400, 90_000, 200);
  assert.ok(emu.control.requests.list({ status: 429 }).length >= 1, 'the storm happened');
  assert.equal(replies.length, 400);
  assert.ok(replies.every((r) => r.result.ok));
  const created = emu.control.requests.list({ path: '/api/v4/leads/complex', status: 200 }).reduce((sum, c) => sum + (c.items ?? 0), 0);
  assert.equal(created, 400);
});

test('jobs for an account that is not connected get a permanent failure reply', async (t) => {
  const replies: Reply[] = [];
  const { amo } = await amoTestBed(t, { modules: [replyCollector(replies)] });
  await amo.enqueueComplexLead(424242, lead(1), { queue: REPLIES, data: { n: 1 } });
  await eventually(async () => replies.length >= 1, 20_000);
  const r = replies[0]!.result;
  assert.ok(!r.ok && r.error.code === 'NOT_CONNECTED' && r.error.retryable === false);
  await assert.rejects(amo.enqueueComplexLead(1, lead(1), { queue: defineQueue<Reply>('no.such.queue'), data: { n: 1 } }), /not defined/);
});

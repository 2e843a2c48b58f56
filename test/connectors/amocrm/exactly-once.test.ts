// One lead per complex-lead job when amoCRM's answer is lost: the emulator's `answer_lost` fault lets the
// /leads/complex call land and drops its answer (or replaces it with a 504); the job's re-run must look the marked
// leads up and adopt them, never create them again. A refusal (503) must not cost a lookup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ComplexLeadInput, ComplexLeadResult } from '../../../src/connectors/amocrm/index.js';
import { defineModule, type AnyModule } from '../../../src/platform/module.js';
import { defineQueue } from '../../../src/platform/jobs/queue.js';
import { eventually } from '../../helpers/hub.js';
import { amoTestBed, connect, type AmoTestBed } from './helpers.js';

type Reply = { n: number; result: ComplexLeadResult };
const REPLIES = defineQueue<Reply>('amo-once.replies', { batchSize: 200 });

function replyCollector(into: Reply[]): AnyModule {
  return defineModule({
    name: 'amo-once',
    prefix: '/amo-once',
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

const lead = (n: number): ComplexLeadInput => ({
  name: `Lead ${n}`,
  _embedded: { tags: [{ name: 'from-test' }], contacts: [{ first_name: `Contact ${n}` }] },
});

type EmuLead = { id: number; _embedded: { tags: Array<{ name: string }> } };

/** Leads in the emulator per hub marker tag; every lead must carry exactly one marker next to the caller's tags. */
function leadsByMarker(bed: AmoTestBed): Map<string, number[]> {
  const byMarker = new Map<string, number[]>();
  for (const l of bed.emu.control.entities.list('leads') as unknown as EmuLead[]) {
    const markers = l._embedded.tags.map((t) => t.name).filter((name) => name.startsWith('hub:'));
    assert.equal(markers.length, 1, `lead ${l.id} carries one marker: ${JSON.stringify(l._embedded.tags)}`);
    assert.ok(
      l._embedded.tags.some((t) => t.name === 'from-test'),
      'the caller’s own tags are kept',
    );
    byMarker.set(markers[0]!, [...(byMarker.get(markers[0]!) ?? []), l.id]);
  }
  return byMarker;
}

async function setUp(t: Parameters<typeof amoTestBed>[0], replies: Reply[]) {
  // An earlier attempt counts as over after OUTBOUND_TIMEOUT_MS: short, so the re-run looks up within seconds, yet
  // long enough that no call times out on a busy machine.
  const bed = await amoTestBed(t, { modules: [replyCollector(replies)], env: { OUTBOUND_TIMEOUT_MS: '3000' } });
  const { account } = await connect(bed.amo);
  const enqueue = (from: number, count: number, key?: (n: number) => string) =>
    bed.amo.enqueueComplexLeads(
      account.amoAccountId,
      Array.from({ length: count }, (_, i) => ({
        item: lead(from + i),
        reply: { queue: REPLIES, data: { n: from + i } },
        ...(key ? { key: key(from + i) } : {}),
      })),
    );
  return { bed, enqueue };
}

for (const variant of [
  { name: 'the connection drops after the write', fault: {}, seen: 0 },
  { name: 'a 504 comes back after the write', fault: { status: 504 }, seen: 504 },
]) {
  test(`a lost answer (${variant.name}): the re-run finds the leads by marker and adopts them; one lead per item`, async (t) => {
    const replies: Reply[] = [];
    const { bed, enqueue } = await setUp(t, replies);
    bed.emu.control.faults.add({ path: '/api/v4/leads/complex', method: 'POST', kind: 'answer_lost', times: 1, ...variant.fault });
    await enqueue(0, 120);
    await eventually(async () => replies.length >= 120, 60_000, 100);

    assert.equal(replies.length, 120);
    assert.equal(new Set(replies.map((r) => r.n)).size, 120, 'every item answered once');
    assert.ok(
      replies.every((r) => r.result.ok),
      JSON.stringify(replies.find((r) => !r.result.ok)),
    );
    const lost = bed.emu.control.requests.list({ path: '/api/v4/leads/complex', status: variant.seen });
    assert.equal(lost.length, 1, 'one call landed and lost its answer');
    // Every item of the lost call was adopted (a slow call on a busy machine may have been looked up too).
    const lostNames = (lost[0]!.body as Array<{ name: string }>).map((item) => item.name);
    const adopted = new Set(replies.filter((r) => r.result.ok && r.result.reconciled).map((r) => `Lead ${r.n}`));
    assert.ok(
      lostNames.length > 0 && lostNames.every((name) => adopted.has(name)),
      `adopted ${adopted.size}, lost call had ${lostNames.length}`,
    );

    // The emulator holds one lead per item: none created twice, none missing.
    assert.equal(bed.emu.control.entities.count('leads'), 120);
    const byMarker = leadsByMarker(bed);
    assert.equal(byMarker.size, 120);
    assert.ok([...byMarker.values()].every((ids) => ids.length === 1));
    const replied = new Set(replies.map((r) => (r.result.ok ? r.result.leadId : 0)));
    assert.deepEqual(replied, new Set([...byMarker.values()].flat()), 'every reply names the lead the emulator holds');
    const created = bed.emu.control.requests
      .list({ path: '/api/v4/leads/complex' })
      .filter((c) => c.status === 200 || c.status === variant.seen)
      .reduce((sum, c) => sum + (c.items ?? 0), 0);
    assert.equal(created, 120, 'the adopted items were not sent again');

    // The reconcile path ran: the leads of the lost call's window were listed (GET /api/v4/leads with created_at).
    const lookups = bed.emu.control.requests.list({ method: 'GET', path: '/api/v4/leads' }).filter((r) => r.path === '/api/v4/leads');
    assert.ok(lookups.length >= 1, 'a lookup call was made');
    assert.match(decodeURIComponent(lookups[0]!.url), /filter\[created_at\]\[from\]=\d+/);
  });
}

test('a refused call (503) is sent again without a lookup; nothing is duplicated', async (t) => {
  const replies: Reply[] = [];
  const { bed, enqueue } = await setUp(t, replies);
  bed.emu.control.faults.add({ path: '/api/v4/leads/complex', method: 'POST', status: 503, times: 1 });
  await enqueue(0, 60);
  await eventually(async () => replies.length >= 60, 60_000, 100);
  assert.ok(replies.every((r) => r.result.ok && !r.result.reconciled));
  assert.equal(bed.emu.control.entities.count('leads'), 60);
  assert.equal(bed.emu.control.requests.list({ path: '/api/v4/leads/complex', status: 503 }).length, 1);
  assert.equal(bed.emu.control.requests.list({ method: 'GET', path: '/api/v4/leads' }).length, 0, 'no lookup after a refusal');
  // The markers are in amoCRM's tag list, but the connector's tag list (what modules cache and show) leaves them out.
  const names = (await bed.amo.api(bed.emu.defaults.accountId).tags('leads')).map((x) => x.name);
  assert.ok(names.includes('from-test'));
  assert.ok(!names.some((n) => n.startsWith('hub:')), JSON.stringify(names.slice(0, 5)));
  assert.equal(bed.emu.control.requests.list({ path: '/api/v4/leads/tags' }).length, 1, 'one page');
});

test('the same key enqueued again gets the lead the first job created, from the record; amoCRM is not called', async (t) => {
  const replies: Reply[] = [];
  const { bed, enqueue } = await setUp(t, replies);
  await enqueue(0, 5, (n) => `result-${n}`);
  await eventually(async () => replies.length >= 5, 30_000, 100);
  const calls = bed.emu.control.requests.list({ path: '/api/v4/' }).length;
  await enqueue(100, 5, (n) => `result-${n - 100}`);
  await eventually(async () => replies.length >= 10, 30_000, 100);
  const first = new Map(replies.filter((r) => r.n < 100).map((r) => [r.n, r.result]));
  for (const r of replies.filter((x) => x.n >= 100)) {
    assert.ok(r.result.ok && r.result.reconciled, JSON.stringify(r.result));
    const original = first.get(r.n - 100)!;
    assert.ok(original.ok && r.result.ok && original.leadId === r.result.leadId, 'the same lead');
  }
  assert.equal(bed.emu.control.entities.count('leads'), 5);
  assert.equal(bed.emu.control.requests.list({ path: '/api/v4/' }).length, calls, 'answered from the record');
});

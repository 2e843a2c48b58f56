// The coalescing queue behind enqueueComplexLead: jobs fetched together are grouped per amoCRM account into
// /leads/complex calls of up to 50 items. Each item's outcome goes to the caller's reply queue. A batch that
// amoCRM rejects for some items is retried without them (those get ok:false, never retried); an outage, 429 or
// block fails the jobs retryably, so the queue tries again later and nothing is lost. Each item carries a marker
// tag and an intent is committed before the call (reconcile.ts): a job that comes back after an unknown outcome
// (a lost answer, a 5xx, a crash) looks its lead up in amoCRM and adopts it instead of creating a second one.
import type { Logger } from 'pino';
import type { Hub } from '../../platform/hub.js';
import { defineQueue, type BatchJob, type BatchOutcome, type BatchQueueDef } from '../../platform/jobs/queue.js';
import { AmoError } from './errors.js';
import { AMO_FACTS } from './facts.js';
import { ComplexIntents, findMarkedLeads, markerFor, withMarker, type CreatedLead, type EarlierIntent } from './reconcile.js';
import type { AmoApi, AmoValidationError, ComplexLeadInput, ComplexLeadResult } from './types.js';

/** Retries cover a long amoCRM outage: 2 s doubling up to 5 min, about 40 minutes in all. */
const RETRY_LIMIT = 12;
/** Old intents are pruned at most this often per process. */
const PRUNE_EVERY_MS = 3_600_000;

export interface ComplexLeadJob {
  readonly amoAccountId: number;
  readonly item: ComplexLeadInput;
  /** The caller's ComplexLeadReply, its queue by name: the job is stored and may run after an upgrade. */
  readonly reply: { readonly queue: string; readonly data: object };
  /** The item's marker tag (reconcile.ts); jobs stored before markers existed use one made from the job id. */
  readonly marker?: string;
}

export const COMPLEX_QUEUE = defineQueue<ComplexLeadJob>('amocrm.complex-leads', {
  // Three full /leads/complex calls per fetch, so jobs of up to three busy accounts still fill their calls.
  batchSize: AMO_FACTS.complexBatchMax * 3,
  concurrency: 3,
  retryLimit: RETRY_LIMIT,
  retryDelay: 2,
  retryDelayMax: 300,
});

export interface ComplexQueueDeps {
  apiFor(amoAccountId: number): AmoApi;
  /** The connector's clock (ms): intent times, and so the lookup window, are on it. */
  now(): number;
  /** The longest one call may take (OUTBOUND_TIMEOUT_MS): an earlier attempt younger than this may still be in flight. */
  readonly callTimeoutMs: number;
}

type Job = BatchJob<ComplexLeadJob>;
type Marked = { job: Job; marker: string };
type Settled = { job: Job; result: ComplexLeadResult } | { job: Job; retry: AmoError | Error };

export function complexLeadQueue(hub: Hub, deps: ComplexQueueDeps): BatchQueueDef<ComplexLeadJob> {
  const intents = new ComplexIntents(hub.database);
  let prunedAt = 0;

  /** One account's jobs: claim their intents, settle what earlier runs left, send the rest in calls of 50. */
  async function deliver(amoAccountId: number, jobs: Job[], log: Logger): Promise<Settled[]> {
    const api = deps.apiFor(amoAccountId);
    const out: Settled[] = [];
    const marked: Marked[] = [];
    const seen = new Set<string>();
    for (const job of jobs) {
      const marker = job.data.marker ?? markerFor(amoAccountId, `job:${job.id}`);
      // The same marker twice in one fetch (a caller enqueued one key twice): the second waits for the first's outcome.
      if (seen.has(marker)) {
        out.push({ job, retry: new Error('another job of this fetch carries the same marker') });
        continue;
      }
      seen.add(marker);
      marked.push({ job, marker });
    }
    let earlier: Map<string, EarlierIntent>;
    try {
      earlier = await intents.claim(
        amoAccountId,
        marked.map((m) => m.marker),
        deps.now(),
      );
    } catch (err) {
      return [...out, ...marked.map(({ job }) => ({ job, retry: err as Error }))];
    }
    let toSend = marked;
    if (earlier.size) {
      const recovered = await recover(
        api,
        marked.filter((m) => earlier.has(m.marker)),
        earlier,
        log,
      );
      out.push(...recovered.settled);
      toSend = [...marked.filter((m) => !earlier.has(m.marker)), ...recovered.resend];
    }
    const chunks: Marked[][] = [];
    for (let i = 0; i < toSend.length; i += AMO_FACTS.complexBatchMax) chunks.push(toSend.slice(i, i + AMO_FACTS.complexBatchMax));
    // Chunks run concurrently: each waits for its own slot on its account's shared schedule.
    out.push(...(await Promise.all(chunks.map((c) => sendChunk(api, c, log)))).flat());
    return out;
  }

  /**
   * Items an earlier run already claimed: a recorded outcome is the answer; an unknown one is looked up in amoCRM
   * (once the earlier call cannot still be running) — found leads are adopted, the rest is sent again.
   */
  async function recover(
    api: AmoApi,
    items: Marked[],
    earlier: Map<string, EarlierIntent>,
    log: Logger,
  ): Promise<{ settled: Settled[]; resend: Marked[] }> {
    const settled: Settled[] = [];
    const lookup: Marked[] = [];
    const now = deps.now();
    for (const m of items) {
      const intent = earlier.get(m.marker)!;
      if (intent.created) settled.push({ job: m.job, result: ok(intent.created, true) });
      else if (now < intent.attemptAtMs + deps.callTimeoutMs)
        settled.push({ job: m.job, retry: new AmoError('UNAVAILABLE', 'an earlier attempt may still be in flight; looking it up later') });
      else lookup.push(m);
    }
    if (!lookup.length) return { settled, resend: [] };
    const intentsOf = lookup.map((m) => earlier.get(m.marker)!);
    const pipelines = lookup.map((m) => m.job.data.item.pipeline_id);
    try {
      const { found, scanned } = await findMarkedLeads(
        api,
        new Set(lookup.map((m) => m.marker)),
        { fromMs: Math.min(...intentsOf.map((i) => i.sentAtMs)), toMs: Math.max(...intentsOf.map((i) => i.attemptAtMs)) },
        {
          callTimeoutMs: deps.callTimeoutMs,
          ...(pipelines.every((p) => p !== undefined) ? { pipelineIds: [...new Set(pipelines as number[])] } : {}),
        },
      );
      const adopted = lookup.filter((m) => found.has(m.marker));
      const resend = lookup.filter((m) => !found.has(m.marker));
      await intents.record(adopted.map((m) => ({ marker: m.marker, created: found.get(m.marker)! })));
      await intents.resending(
        resend.map((m) => m.marker),
        deps.now(),
      );
      log.info(
        { amoAccountId: api.amoAccountId, lookedUp: lookup.length, adopted: adopted.length, resent: resend.length, scannedLeads: scanned },
        'amoCRM complex leads with an unknown outcome looked up by marker',
      );
      settled.push(...adopted.map((m) => ({ job: m.job, result: ok(found.get(m.marker)!, true) })));
      return { settled, resend };
    } catch (err) {
      return { settled: [...settled, ...lookup.map((m) => ({ job: m.job, retry: err as Error }))], resend: [] };
    }
  }

  /** One /leads/complex call; on item-level validation errors, the valid rest is sent again. */
  async function sendChunk(api: AmoApi, items: Marked[], log: Logger, round = 0): Promise<Settled[]> {
    try {
      const created = await api.complex(items.map((m) => withMarker(m.job.data.item, m.marker)));
      const out: Settled[] = [];
      const outcomes: Array<{ marker: string; created: CreatedLead }> = [];
      const seen = new Set<number>();
      for (const r of created) {
        const lead: CreatedLead = { leadId: r.id, contactId: r.contact_id, companyId: r.company_id, merged: r.merged };
        for (const rid of r.request_id) {
          const m = items[Number(rid)];
          if (!m || seen.has(Number(rid))) continue;
          seen.add(Number(rid));
          outcomes.push({ marker: m.marker, created: lead });
          out.push({ job: m.job, result: ok(lead) });
        }
      }
      for (const m of items.filter((_, i) => !seen.has(i)))
        out.push({ job: m.job, result: failed(new AmoError('UNEXPECTED_RESPONSE', 'amoCRM returned no result for this item')) });
      // A lost record only costs a lookup if the job runs again: the leads exist, the replies go out.
      await intents.record(outcomes).catch((err: unknown) => log.warn({ err }, 'could not record amoCRM complex-lead outcomes'));
      return out;
    } catch (err) {
      if (!(err instanceof AmoError)) return items.map(({ job }) => ({ job, retry: err as Error }));
      // Refused or never sent: nothing exists in amoCRM, a later attempt needs no lookup. Otherwise the intents stay.
      const forget = (list: Marked[]) =>
        intents.forget(list.map((m) => m.marker)).catch((e: unknown) => log.warn({ err: e }, 'could not drop amoCRM complex-lead intents'));
      if (err.retryable) {
        if (err.notApplied) await forget(items);
        return items.map(({ job }) => ({ job, retry: err }));
      }
      if (err.code !== 'VALIDATION_FAILED' || items.length === 1) {
        if (err.notApplied) await forget(items);
        return items.map(({ job }) => ({ job, result: failed(err, err.validationErrors) }));
      }
      const byItem = new Map<number, AmoValidationError[]>();
      for (const e of err.validationErrors ?? []) {
        const index = Number(e.request_id);
        if (e.request_id === undefined || !Number.isInteger(index) || !items[index]) continue;
        byItem.set(index, [...(byItem.get(index) ?? []), e]);
      }
      if (byItem.size === 0 || round >= 3) {
        // amoCRM did not say which items are wrong: send them one by one so only the bad ones fail.
        return (await Promise.all(items.map((m) => sendChunk(api, [m], log, round + 1)))).flat();
      }
      await forget([...byItem.keys()].map((i) => items[i]!));
      const bad: Settled[] = [...byItem].map(([i, errors]) => ({
        job: items[i]!.job,
        result: failed(
          err,
          errors.map(({ request_id: _, ...e }) => e),
        ),
      }));
      const rest = items.filter((_, i) => !byItem.has(i));
      return [...bad, ...(rest.length ? await sendChunk(api, rest, log, round + 1) : [])];
    }
  }

  return COMPLEX_QUEUE.batchWorker(async (jobs, ctx) => {
    const byAccount = new Map<number, Job[]>();
    for (const job of jobs) {
      const list = byAccount.get(job.data.amoAccountId) ?? [];
      list.push(job);
      byAccount.set(job.data.amoAccountId, list);
    }
    const settled = (await Promise.all([...byAccount].map(([id, list]) => deliver(id, list, ctx.log)))).flat();
    const outcomes = await reply(hub, settled);
    const retried = settled.filter((s) => 'retry' in s);
    if (retried.length)
      ctx.log.warn(
        { count: retried.length, error: (retried[0] as { retry: Error }).retry.message },
        'amoCRM complex leads will be retried',
      );
    if (deps.now() - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = deps.now();
      await intents.prune(prunedAt).catch((err: unknown) => ctx.log.warn({ err }, 'could not prune amoCRM complex-lead intents'));
    }
    return outcomes;
  });
}

/** A created (or found) lead as the caller's result; `reconciled`: it comes from a record or a lookup, not a create. */
function ok(lead: CreatedLead, reconciled = false): ComplexLeadResult {
  return {
    ok: true,
    leadId: lead.leadId,
    ...(lead.contactId ? { contactId: lead.contactId } : {}),
    ...(lead.companyId ? { companyId: lead.companyId } : {}),
    ...(lead.merged ? { merged: true } : {}),
    ...(reconciled ? { reconciled: true } : {}),
  };
}

function failed(err: AmoError, validationErrors?: readonly AmoValidationError[]): ComplexLeadResult {
  const message = validationErrors?.length
    ? `amoCRM rejected the item: ${validationErrors.map((e) => `${e.path} ${e.code}`).join('; ')}`
    : err.message;
  return {
    ok: false,
    error: { code: err.code, message, retryable: err.retryable, ...(validationErrors?.length ? { validationErrors } : {}) },
  };
}

/** Sends every settled item's reply, then tells the queue which jobs are done. */
async function reply(hub: Hub, settled: Settled[]): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = [];
  const byQueue = new Map<string, Array<{ job: Job; result: ComplexLeadResult; final: boolean }>>();
  for (const s of settled) {
    let result: ComplexLeadResult;
    const final = 'retry' in s;
    if ('retry' in s) {
      // On the last attempt the caller hears about the failure; the job still goes to the dead-letter queue.
      if (s.job.retryCount < RETRY_LIMIT) {
        outcomes.push({ id: s.job.id, ok: false, output: { message: s.retry.message, retryable: true } });
        continue;
      }
      result = failed(s.retry instanceof AmoError ? s.retry : new AmoError('UNAVAILABLE', s.retry.message));
    } else result = s.result;
    const list = byQueue.get(s.job.data.reply.queue) ?? [];
    list.push({ job: s.job, result, final });
    byQueue.set(s.job.data.reply.queue, list);
  }
  for (const [queue, list] of byQueue) {
    try {
      await hub.jobs.sendManyByName(
        queue,
        list.map(({ job, result }) => ({ ...job.data.reply.data, result })),
      );
      for (const { job, result, final } of list) {
        outcomes.push({ id: job.id, ok: !final, output: result, ...(final ? { permanent: true } : {}) });
      }
    } catch (err) {
      // The amoCRM side is done; retrying would create duplicates. Keep the results in the dead-letter queue.
      hub.log.error({ err, queue, count: list.length }, 'could not enqueue amoCRM complex-lead replies');
      for (const { job, result } of list)
        outcomes.push({ id: job.id, ok: false, permanent: true, output: { result, replyError: (err as Error).message } });
    }
  }
  return outcomes;
}

// The coalescing queue behind enqueueComplexLead: jobs fetched together are grouped per amoCRM account into
// /leads/complex calls of up to 50 items. Each item's outcome goes to the caller's reply queue. A batch that
// amoCRM rejects for some items is retried without them (those get ok:false, never retried); an outage, 429 or
// block fails the jobs retryably, so the queue tries again later and nothing is lost.
import type { Hub } from '../../platform/hub.js';
import { defineQueue, type BatchJob, type BatchOutcome, type BatchQueueDef } from '../../platform/jobs/queue.js';
import { AmoError } from './errors.js';
import { AMO_FACTS } from './facts.js';
import type { AmoApi, AmoValidationError, ComplexLeadInput, ComplexLeadResult } from './types.js';

/** Retries cover a long amoCRM outage: 2 s doubling up to 5 min, about 40 minutes in all. */
const RETRY_LIMIT = 12;

export interface ComplexLeadJob {
  readonly amoAccountId: number;
  readonly item: ComplexLeadInput;
  /** The caller's ComplexLeadReply, its queue by name: the job is stored and may run after an upgrade. */
  readonly reply: { readonly queue: string; readonly data: object };
}

export const COMPLEX_QUEUE = defineQueue<ComplexLeadJob>('amocrm.complex-leads', {
  // Three full /leads/complex calls per fetch, so jobs of up to three busy accounts still fill their calls.
  batchSize: AMO_FACTS.complexBatchMax * 3,
  concurrency: 3,
  retryLimit: RETRY_LIMIT,
  retryDelay: 2,
  retryDelayMax: 300,
});

type Job = BatchJob<ComplexLeadJob>;
type Settled = { job: Job; result: ComplexLeadResult } | { job: Job; retry: AmoError | Error };

export function complexLeadQueue(hub: Hub, apiFor: (amoAccountId: number) => AmoApi): BatchQueueDef<ComplexLeadJob> {
  return COMPLEX_QUEUE.batchWorker(async (jobs, ctx) => {
    const byAccount = new Map<number, Job[]>();
    for (const job of jobs) {
      const list = byAccount.get(job.data.amoAccountId) ?? [];
      list.push(job);
      byAccount.set(job.data.amoAccountId, list);
    }
    const chunks: Array<{ amoAccountId: number; jobs: Job[] }> = [];
    for (const [amoAccountId, list] of byAccount) {
      for (let i = 0; i < list.length; i += AMO_FACTS.complexBatchMax)
        chunks.push({ amoAccountId, jobs: list.slice(i, i + AMO_FACTS.complexBatchMax) });
    }
    // Chunks run concurrently: each waits for its own slot on its account's shared schedule.
    const settled = (await Promise.all(chunks.map((c) => sendChunk(apiFor(c.amoAccountId), c.jobs)))).flat();
    const outcomes = await reply(hub, settled);
    const retried = settled.filter((s) => 'retry' in s);
    if (retried.length)
      ctx.log.warn(
        { count: retried.length, error: (retried[0] as { retry: Error }).retry.message },
        'amoCRM complex leads will be retried',
      );
    return outcomes;
  });
}

/** One /leads/complex call; on item-level validation errors, the valid rest is sent again. */
async function sendChunk(api: AmoApi, jobs: Job[], round = 0): Promise<Settled[]> {
  try {
    const created = await api.complex(jobs.map((j) => j.data.item));
    const out: Settled[] = [];
    const seen = new Set<number>();
    for (const r of created) {
      for (const rid of r.request_id) {
        const job = jobs[Number(rid)];
        if (!job || seen.has(Number(rid))) continue;
        seen.add(Number(rid));
        out.push({
          job,
          result: {
            ok: true,
            leadId: r.id,
            ...(r.contact_id ? { contactId: r.contact_id } : {}),
            ...(r.company_id ? { companyId: r.company_id } : {}),
            ...(r.merged ? { merged: true } : {}),
          },
        });
      }
    }
    const missing = jobs.filter((_, i) => !seen.has(i));
    for (const job of missing)
      out.push({ job, result: failed(new AmoError('UNEXPECTED_RESPONSE', 'amoCRM returned no result for this item')) });
    return out;
  } catch (err) {
    if (!(err instanceof AmoError) || err.retryable) return jobs.map((job) => ({ job, retry: err as Error }));
    if (err.code !== 'VALIDATION_FAILED') return jobs.map((job) => ({ job, result: failed(err) }));
    if (jobs.length === 1) return [{ job: jobs[0]!, result: failed(err, err.validationErrors) }];
    const byItem = new Map<number, AmoValidationError[]>();
    for (const e of err.validationErrors ?? []) {
      const index = Number(e.request_id);
      if (e.request_id === undefined || !Number.isInteger(index) || !jobs[index]) continue;
      byItem.set(index, [...(byItem.get(index) ?? []), e]);
    }
    if (byItem.size === 0 || round >= 3) {
      // amoCRM did not say which items are wrong: send them one by one so only the bad ones fail.
      return (await Promise.all(jobs.map((j) => sendChunk(api, [j], round + 1)))).flat();
    }
    const bad: Settled[] = [...byItem].map(([i, errors]) => ({
      job: jobs[i]!,
      result: failed(
        err,
        errors.map(({ request_id: _, ...e }) => e),
      ),
    }));
    const rest = jobs.filter((_, i) => !byItem.has(i));
    return [...bad, ...(rest.length ? await sendChunk(api, rest, round + 1) : [])];
  }
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

// Read and repair job runs for operators: list by queue and state, look at one with its error and attempts,
// retry a failed or dead-lettered job, bulk-retry by filter. Reads go straight to pg-boss's job table.
import type { Database } from '../db/database.js';
import { deadLetterName, type JobQueue } from './queue.js';

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed' | 'dead';

export interface JobRow {
  id: string;
  queue: string;
  state: JobState;
  retryCount: number;
  retryLimit: number;
  createdOn: string;
  startedOn: string | null;
  completedOn: string | null;
  startAfter: string;
  data: unknown;
  output: unknown;
}

interface RawJob {
  id: string;
  name: string;
  state: string;
  retry_count: number;
  retry_limit: number;
  created_on: Date;
  started_on: Date | null;
  completed_on: Date | null;
  start_after: Date;
  data: unknown;
  output: unknown;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

function toRow(r: RawJob): JobRow {
  const dead = r.name.endsWith('.dead');
  return {
    id: r.id,
    queue: dead ? r.name.slice(0, -'.dead'.length) : r.name,
    state: dead ? 'dead' : (r.state as JobState),
    retryCount: r.retry_count,
    retryLimit: r.retry_limit,
    createdOn: iso(r.created_on)!,
    startedOn: iso(r.started_on),
    completedOn: iso(r.completed_on),
    startAfter: iso(r.start_after)!,
    data: r.data,
    output: r.output,
  };
}

const COLUMNS =
  'id::text as id, name, state::text as state, retry_count, retry_limit, created_on, started_on, completed_on, start_after, data, output';

export class JobHistory {
  constructor(
    private readonly database: Database,
    private readonly jobs: JobQueue,
  ) {}

  async summary(): Promise<Array<{ queue: string; counts: Record<string, number> }>> {
    const rows = await this.database.query<{ name: string; state: string; n: number }>(
      'select name, state::text as state, count(*)::int as n from pgboss.job group by name, state',
    );
    const out = new Map<string, Record<string, number>>();
    for (const q of this.jobs.queueNames) out.set(q, {});
    for (const r of rows) {
      const dead = r.name.endsWith('.dead');
      const queue = dead ? r.name.slice(0, -5) : r.name;
      const counts = out.get(queue) ?? {};
      const state = dead ? 'dead' : r.state;
      if (dead && r.state !== 'created') continue; // a dead letter that was retried is settled
      counts[state] = (counts[state] ?? 0) + r.n;
      out.set(queue, counts);
    }
    return [...out.entries()].map(([queue, counts]) => ({ queue, counts }));
  }

  async list(filter: { queue?: string; state?: JobState; limit: number; before?: string }): Promise<JobRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.state === 'dead') {
      where.push(`state = 'created'`);
      if (filter.queue) where.push(`name = $${params.push(deadLetterName(filter.queue))}`);
      else where.push(`name like '%.dead'`);
    } else {
      if (filter.queue) where.push(`name = $${params.push(filter.queue)}`);
      else where.push(`name not like '%.dead'`);
      if (filter.state) where.push(`state = $${params.push(filter.state)}::pgboss.job_state`);
    }
    if (filter.before) where.push(`created_on < $${params.push(filter.before)}::timestamptz`);
    const rows = await this.database.query<RawJob>(
      `select ${COLUMNS} from pgboss.job where ${where.join(' and ')} order by created_on desc limit $${params.push(filter.limit)}`,
      params,
    );
    return rows.map(toRow);
  }

  async get(id: string): Promise<JobRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const [row] = await this.database.query<RawJob>(`select ${COLUMNS} from pgboss.job where id = $1::uuid`, [id]);
    return row ? toRow(row) : undefined;
  }

  /**
   * Retries one failed or dead-lettered job. A job that used up its retries is both `failed` in its queue and
   * a letter in `<queue>.dead` (pg-boss copies it, recording source_id); either id retries the original and
   * settles the letter, so the work runs once. Returns the id of the job that will run, or undefined.
   */
  async retry(id: string): Promise<string | undefined> {
    const job = await this.get(id);
    if (!job || (job.state !== 'failed' && job.state !== 'dead')) return undefined;
    let originalId = id;
    if (job.state === 'dead') {
      const [src] = await this.database.query<{ source_id: string | null }>(
        'select source_id::text as source_id from pgboss.job where id = $1::uuid',
        [id],
      );
      originalId = src?.source_id ?? id;
    }
    const original = originalId === id && job.state === 'dead' ? undefined : await this.get(originalId);
    let runId: string | undefined;
    if (original?.state === 'failed') {
      await this.jobs.boss.retry(original.queue, original.id);
      runId = original.id;
    } else {
      // The original is gone (retention) or not failed: the letter's payload is all we have.
      runId = (await this.jobs.sendByName(job.queue, (job.data ?? {}) as object)) ?? undefined;
    }
    await this.database.query(
      `update pgboss.job set state = 'completed', completed_on = now(), output = jsonb_build_object('retriedAs', $2::text)
       where name = $1 and state = 'created' and (id = $3::uuid or source_id = $4::uuid)`,
      [deadLetterName(job.queue), runId, id, originalId],
    );
    return runId;
  }

  async retryMany(filter: { queue?: string; state: 'failed' | 'dead'; limit: number }): Promise<string[]> {
    const rows = await this.list({ ...filter });
    const ids: string[] = [];
    for (const r of rows) {
      const id = await this.retry(r.id);
      if (id) ids.push(id);
    }
    return ids;
  }
}

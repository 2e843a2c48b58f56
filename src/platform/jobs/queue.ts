// The hub's job queue: pg-boss on the same database as the business data (its built-in PGlite backend in
// embedded mode), so a job can be enqueued in the same transaction as the write that caused it.
// Modules declare typed queues (define.ts) and bind handlers to them (QueueDef); this file turns them into
// pg-boss queues with retry, backoff, a dead-letter queue per queue, fast pickup (LISTEN/NOTIFY + burst) and
// crash recovery in seconds.
import { EventEmitter } from 'node:events';
import { PgBoss, fromDrizzle, fromPglite, type Job, type JobResult } from 'pg-boss';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database, DbExecutor } from '../db/database.js';
import type { Metrics } from '../observability/metrics.js';
import type { BatchOutcome, Queue, QueueDef } from './define.js';
import { safeErrorMessage } from '../observability/errors.js';

export { defineQueue } from './define.js';
export type {
  BatchHandler,
  BatchJob,
  BatchOutcome,
  BatchQueueDef,
  JobContext,
  JobHandler,
  Queue,
  QueueDef,
  QueueSettings,
  SingleQueueDef,
} from './define.js';

/** Throw from a handler when retrying cannot help; the job goes to the dead-letter queue at once. */
export class PermanentJobError extends Error {
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export interface SendOptions {
  /** Enqueue inside this transaction: the job exists only if the transaction commits. */
  readonly tx?: DbExecutor;
  readonly singletonKey?: string;
  readonly startAfterSeconds?: number;
  readonly priority?: number;
  /** A job id chosen by the caller (a UUID), e.g. to store it before the job exists. */
  readonly id?: string;
}

export interface SendManyOptions {
  readonly tx?: DbExecutor;
  readonly ids?: readonly string[];
}

export interface JobEvent {
  readonly queue: string;
  readonly id: string;
  readonly state: 'completed' | 'failed';
  readonly output?: unknown;
}

export const deadLetterName = (queue: string): string => `${queue}.dead`;

export interface QueueOptions {
  readonly database: Database;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly expireSeconds: number;
  readonly monitorSeconds: number;
  readonly retentionDays: number;
  /**
   * Run pg-boss's supervision (finding crashed jobs, queue statistics, retention clean-up) in this process.
   * Processes that run jobs do; API-only processes don't (the workers of the same database supervise for
   * everyone), which keeps those timers' queries out of the processes that serve requests.
   */
  readonly supervise: boolean;
}

export class JobQueue extends EventEmitter<{ job: [JobEvent] }> {
  readonly boss: PgBoss;
  readonly #defs = new Map<string, QueueDef<never>>();
  #started = false;
  #working = false;

  constructor(private readonly opts: QueueOptions) {
    super();
    const { database } = opts;
    const common = {
      useListenNotify: true,
      // Crashed (expired) jobs are found within seconds, not the default minute.
      monitorIntervalSeconds: opts.monitorSeconds,
      superviseIntervalSeconds: Math.max(opts.monitorSeconds, 5),
      maintenanceIntervalSeconds: 60,
      schedule: false,
      supervise: opts.supervise,
      persistWarnings: false,
      openTelemetry: { enabled: false },
    } as const;
    this.boss = database.pglite
      ? new PgBoss({ ...common, db: fromPglite(database.pglite), backend: 'pglite' } as never)
      : new PgBoss({ ...common, connectionString: database.connectionString, max: 4, application_name: 'integration-hub-jobs' });
    this.boss.on('error', (err) => opts.log.error({ err }, 'job queue error'));
  }

  define(def: QueueDef<never>): void {
    if (this.#defs.has(def.name)) throw new Error(`queue ${def.name} defined twice`);
    this.#defs.set(def.name, def);
  }

  get queueNames(): string[] {
    return [...this.#defs.keys()];
  }

  definition(name: string): QueueDef<never> | undefined {
    return this.#defs.get(name);
  }

  get running(): boolean {
    return this.#started;
  }

  /** Installs pg-boss's schema and creates every defined queue with its dead-letter queue. */
  async start(): Promise<void> {
    await this.boss.start();
    const retentionSeconds = this.opts.retentionDays * 86_400;
    for (const def of this.#defs.values()) {
      const dead = deadLetterName(def.name);
      await this.boss.createQueue(dead, { retentionSeconds, deleteAfterSeconds: retentionSeconds, retryLimit: 0 });
      await this.boss.createQueue(def.name, {
        retryLimit: def.retryLimit ?? 5,
        retryDelay: def.retryDelay ?? 2,
        retryBackoff: true,
        retryDelayMax: def.retryDelayMax ?? 3600,
        expireInSeconds: def.expireInSeconds ?? this.opts.expireSeconds,
        retentionSeconds,
        deleteAfterSeconds: retentionSeconds,
        deadLetter: dead,
        notify: (def.pickup ?? 'notify') === 'notify',
      } as never);
    }
    this.#started = true;
  }

  /** Starts fetching and running jobs in this process (role worker or all). */
  async work(): Promise<void> {
    if (this.#working) return;
    this.#working = true;
    for (const def of this.#defs.values()) {
      const batchSize = def.batchSize ?? 5;
      const options = {
        batchSize,
        localConcurrency: def.concurrency ?? 1,
        perJobResults: true,
        burstWhenBatchFull: batchSize > 1,
        pollingIntervalSeconds: def.pickup === 'poll' ? 0.5 : 2,
        notifyPollingIntervalSeconds: 5,
      } as const;
      await this.boss.work<unknown>(def.name, options as never, (async (jobs: Job<unknown>[]) => this.#run(def, jobs)) as never);
    }
  }

  async #run(def: QueueDef<never>, jobs: Job<unknown>[]): Promise<JobResult[]> {
    const started = performance.now();
    const log = this.opts.log.child({ queue: def.name });
    let outcomes: BatchOutcome[];
    if ('handleBatch' in def) {
      try {
        outcomes = await def.handleBatch(
          jobs.map((j) => ({ id: j.id, data: j.data as never, retryCount: j.retryCount })),
          { signal: jobs[0]!.signal, log },
        );
      } catch (err) {
        outcomes = jobs.map((j) => failure(j.id, err));
      }
    } else {
      outcomes = await Promise.all(
        jobs.map(async (j) => {
          try {
            const output = await def.handle(j.data as never, {
              jobId: j.id,
              retryCount: j.retryCount,
              signal: j.signal,
              log: log.child({ jobId: j.id }),
            });
            return { id: j.id, ok: true, output } satisfies BatchOutcome;
          } catch (err) {
            return failure(j.id, err);
          }
        }),
      );
    }
    const seconds = (performance.now() - started) / 1000 / Math.max(jobs.length, 1);
    const byId = new Map(jobs.map((j) => [j.id, j]));
    return outcomes.map((o) => {
      const job = byId.get(o.id);
      const state = o.ok ? 'completed' : 'failed';
      this.opts.metrics.jobRuns.inc({ queue: def.name, state });
      this.opts.metrics.jobSeconds.observe({ queue: def.name, state }, seconds);
      if (!o.ok) log.warn({ jobId: o.id, retryCount: job?.retryCount, output: o.output, permanent: o.permanent }, 'job failed');
      // Emit after pg-boss has settled the job, so listeners (tests, the console) read its final state.
      setImmediate(() => this.emit('job', { queue: def.name, id: o.id, state, output: o.output }));
      return {
        id: o.id,
        status: o.ok ? 'completed' : o.permanent ? 'deadletter' : 'failed',
        output: toOutput(o.output),
      } satisfies JobResult;
    });
  }

  /** Enqueues one job; the queue's reference types the payload. */
  send<T extends object>(queue: Queue<T>, data: NoInfer<T>, options: SendOptions = {}): Promise<string | null> {
    return this.#send(queue.name, data, options);
  }

  /** Enqueues several jobs in one statement; `ids` (UUIDs, one per item) when the caller stored them already. */
  sendMany<T extends object>(queue: Queue<T>, items: ReadonlyArray<NoInfer<T>>, options: SendManyOptions = {}): Promise<void> {
    return this.#sendMany(queue.name, items, options);
  }

  /**
   * Enqueues on a queue known only by a name read back from storage: an inbox row's queue, a reply queue
   * recorded in a job, a dead letter being retried. The payload is not checked against the queue's type, so
   * code that holds the queue's reference uses `send`.
   */
  sendByName(name: string, data: object, options: SendOptions = {}): Promise<string | null> {
    return this.#send(name, data, options);
  }

  /** `sendMany` for a queue name read back from storage; see `sendByName`. */
  sendManyByName(name: string, items: readonly object[], options: SendManyOptions = {}): Promise<void> {
    return this.#sendMany(name, items, options);
  }

  async #send(name: string, data: object, options: SendOptions): Promise<string | null> {
    if (!this.#defs.has(name) && !name.endsWith('.dead')) throw new Error(`unknown queue ${name}`);
    return this.boss.send(name, data, {
      ...(options.tx ? { db: fromDrizzle(options.tx as never, sql as never) } : {}),
      ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
      ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
      ...(options.id ? { id: options.id } : {}),
    });
  }

  async #sendMany(name: string, items: readonly object[], options: SendManyOptions): Promise<void> {
    if (items.length === 0) return;
    await this.boss.insert(
      name,
      items.map((data, i) => ({ data, ...(options.ids ? { id: options.ids[i] } : {}) })),
      options.tx ? { db: fromDrizzle(options.tx as never, sql as never) } : undefined,
    );
  }

  /** Hands running jobs back (they are retried elsewhere) and stops fetching. */
  async stop(timeoutMs: number): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    this.#working = false;
    await this.boss.stop({ graceful: true, timeout: timeoutMs, close: true });
  }
}

/** A job's failed outcome: permanent for PermanentJobError or a non-retryable error; stored without values. */
export function failure(id: string, err: unknown): BatchOutcome {
  const e = err instanceof Error ? err : new Error(String(err));
  return {
    id,
    ok: false,
    permanent: err instanceof PermanentJobError || (err as { retryable?: boolean }).retryable === false,
    // Stored and shown to operators: a failed statement's values must not be in it (observability/errors.ts).
    output: {
      message: safeErrorMessage(e),
      name: e.name,
      ...(err instanceof PermanentJobError && err.details ? { details: err.details } : {}),
    },
  };
}

function toOutput(o: unknown): object | undefined {
  if (o === undefined || o === null) return undefined;
  return typeof o === 'object' ? (o as object) : { value: o };
}

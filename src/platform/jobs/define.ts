// Typed queue references. The module or connector that owns a queue declares it once,
// `defineQueue<Payload>(name, settings)`. Senders pass that reference to hub.jobs.send/sendMany, so a wrong
// payload fails to compile where the job is written. The owner binds the handler where its services live
// (`queue.worker(fn)` / `queue.batchWorker(fn)`), so the handler is typed by the same declaration.
// The name is what pg-boss stores with every job: once jobs exist in a database it must never change.
import type { Logger } from 'pino';

export interface JobContext {
  readonly jobId: string;
  readonly retryCount: number;
  readonly signal: AbortSignal;
  readonly log: Logger;
}

/** How a queue retries, batches and picks up jobs; every field has a default in JobQueue. */
export interface QueueSettings {
  /** Attempts after the first one before the job is dead-lettered. */
  readonly retryLimit?: number;
  /** First retry delay in seconds; doubles with jitter on every attempt. */
  readonly retryDelay?: number;
  readonly retryDelayMax?: number;
  /** Seconds a job may stay active before it is considered crashed and retried. */
  readonly expireInSeconds?: number;
  /** Jobs fetched together; handlers that batch (one partner call for many jobs) raise it. */
  readonly batchSize?: number;
  /** Parallel fetch loops in this process. */
  readonly concurrency?: number;
  /**
   * How workers learn about new jobs. `notify` (default): LISTEN/NOTIFY, picked up in milliseconds.
   * `poll`: every half second. PostgreSQL serialises the commits of every transaction that sends a NOTIFY, so
   * queues fed by high-rate intake (the webhook inbox) poll instead and keep their writers concurrent.
   */
  readonly pickup?: 'notify' | 'poll';
}

export interface BatchOutcome {
  readonly id: string;
  readonly ok: boolean;
  readonly output?: unknown;
  /** No retry can help (validation error): go straight to the dead-letter queue. */
  readonly permanent?: boolean;
}

export interface BatchJob<T> {
  readonly id: string;
  readonly data: T;
  readonly retryCount: number;
}

export type JobHandler<T> = (data: T, ctx: JobContext) => Promise<unknown>;
export type BatchHandler<T> = (jobs: ReadonlyArray<BatchJob<T>>, ctx: Omit<JobContext, 'jobId' | 'retryCount'>) => Promise<BatchOutcome[]>;

interface QueueBase extends QueueSettings {
  readonly name: string;
}

/** A queue whose handler takes one job at a time (jobs of a fetched batch run concurrently). */
export interface SingleQueueDef<T> extends QueueBase {
  readonly handle: JobHandler<T>;
}

/** A queue whose handler takes the whole fetched batch and settles each job itself. */
export interface BatchQueueDef<T> extends QueueBase {
  readonly handleBatch: BatchHandler<T>;
}

/** A queue bound to its handler: what JobQueue.define takes. `QueueDef<never>` holds any of them. */
export type QueueDef<T = unknown> = SingleQueueDef<T> | BatchQueueDef<T>;

/**
 * A queue and the payload its jobs carry. Invariant in T (`in out`): a reference to a queue of `{ a }` is
 * neither a queue of `{ a, b }` (its handler would miss `b`) nor of `{}` (a sender could leave `a` out).
 */
export interface Queue<in out T extends object> extends QueueBase {
  /** Binds the handler; `settings` overrides the declared ones where only the running hub knows them. */
  worker(handle: JobHandler<T>, settings?: QueueSettings): SingleQueueDef<T>;
  /** Binds a handler that takes the whole fetched batch. */
  batchWorker(handleBatch: BatchHandler<T>, settings?: QueueSettings): BatchQueueDef<T>;
}

export function defineQueue<T extends object>(name: string, settings: QueueSettings = {}): Queue<T> {
  const declared = { ...settings };
  return Object.freeze({
    ...declared,
    name,
    worker: (handle: JobHandler<T>, overrides: QueueSettings = {}) => ({ ...declared, ...overrides, name, handle }),
    batchWorker: (handleBatch: BatchHandler<T>, overrides: QueueSettings = {}) => ({ ...declared, ...overrides, name, handleBatch }),
  });
}

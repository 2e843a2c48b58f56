// Rate limiting shared by every hub process, as GCRA (generic cell rate algorithm): one number per key, the
// "theoretical arrival time" (TAT) of the next request. PostgreSQL keeps it by default (one upsert per batch of
// checks, pg-checks.ts); with REDIS_URL set, Redis keeps it (one Lua call per check, pipelined). Two uses:
//   - `check`: inbound API limits (tracking keys: 60/min). Over the limit → denied, nothing consumed.
//   - `reserve`: outbound pacing (amoCRM: 7 req/s per account). Always succeeds and returns how long the
//     caller must wait for its slot, so many processes queue behind one shared schedule.
// The same store keeps *generations*: named values that `bump` replaces with a new unique one. A `check` may
// watch one and returns its value from the same round trip, so a per-process cache (tracking API keys) learns of
// a change made by any process at its very next request, without a query of its own. Unique values rather than a
// counter: a Redis restart that forgets a generation can never bring back a value a cache already holds.
// The hub wraps either store in FallbackRateLimiter (fallback.ts): while the store is unreachable, limits are kept
// per process instead of failing or stalling requests.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../db/database.js';
import { PgCheckBatcher } from './pg-checks.js';

export interface LimitDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Milliseconds until the full allowance is back. */
  readonly resetMs: number;
  /** Milliseconds to wait before a retry can succeed (0 when allowed). */
  readonly retryAfterMs: number;
  /** The watched generation's value, read in the same round trip ('' when it was never bumped). */
  readonly generation?: string;
}

export interface RateLimiter {
  /** Allows `limit` requests per `periodMs` for `key`; bursts up to the full limit. */
  check(key: string, limit: number, periodMs: number, nowMs?: number, watch?: string): Promise<LimitDecision>;
  /** Gives the generation `name` a new unique value (every watcher sees the change at its next check). */
  bump(name: string): Promise<string>;
  /** Books the next slot of a `intervalMs`-spaced schedule; resolves to the wait before the slot, in ms. */
  reserve(key: string, intervalMs: number, nowMs?: number): Promise<number>;
  close(): Promise<void>;
}

export const newGeneration = (): string => randomUUID();

export function decide(allowed: boolean, tat: number, now: number, limit: number, periodMs: number, generation?: string): LimitDecision {
  const interval = periodMs / limit;
  const backlog = Math.max(0, tat - now); // time until the bucket is empty again
  const remaining = allowed ? Math.max(0, Math.floor((periodMs - backlog) / interval)) : 0;
  return {
    allowed,
    limit,
    remaining,
    resetMs: Math.ceil(backlog),
    retryAfterMs: allowed ? 0 : Math.max(1, Math.ceil(backlog + interval - periodMs)),
    ...(generation === undefined ? {} : { generation }),
  };
}

type Query = <T>(text: string, params: unknown[]) => Promise<T[]>;

/**
 * On PostgreSQL the limiter writes through its own small pool whose sessions run with
 * synchronous_commit=off: every check is a commit on a hot row, and waiting for the WAL flush while holding
 * that row's lock would serialise all requests of a key behind the disk. Losing the last few milliseconds of
 * limiter state in a server crash only forgives a handful of requests.
 */
export class PgRateLimiter implements RateLimiter {
  readonly #query: Query;
  readonly #pool: pg.Pool | undefined;
  readonly #checks: PgCheckBatcher;

  constructor(
    private readonly database: Database,
    opts: { connectTimeoutMs?: number } = {},
  ) {
    if (database.connectionString) {
      this.#pool = new pg.Pool({
        connectionString: database.connectionString,
        max: 4,
        min: 4,
        connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
        options: '-c synchronous_commit=off',
        application_name: 'integration-hub-ratelimit',
      });
      this.#pool.on('error', () => undefined);
      this.#pool.on('connect', (client) => client.on('error', () => undefined)); // see database.ts
      const pool = this.#pool;
      this.#query = async <T>(text: string, params: unknown[]) => (await pool.query(text, params)).rows as T[];
      // Named: each pooled connection prepares the batch statement once.
      this.#checks = new PgCheckBatcher(
        async <T>(name: string, text: string, values: unknown[]) => (await pool.query({ name, text, values })).rows as T[],
      );
    } else {
      this.#query = <T>(text: string, params: unknown[]) => database.query<T>(text, params);
      this.#checks = new PgCheckBatcher(<T>(_name: string, text: string, params: unknown[]) => database.query<T>(text, params));
    }
  }

  async check(key: string, limit: number, periodMs: number, nowMs = Date.now(), watch?: string): Promise<LimitDecision> {
    const outcome = await this.#checks.check({ key, limit, periodMs, nowMs, watch });
    return decide(outcome.allowed, outcome.tat, nowMs, limit, periodMs, outcome.generation);
  }

  async bump(name: string): Promise<string> {
    // Through the main database (synchronous commit): a lost bump would leave caches trusting a revoked key.
    const value = newGeneration();
    await this.database.query(
      'insert into cache_generations (name, value) values ($1, $2) on conflict (name) do update set value = excluded.value',
      [name, value],
    );
    return value;
  }

  async reserve(key: string, intervalMs: number, nowMs = Date.now()): Promise<number> {
    const [row] = await this.#query<{ tat: number }>(
      `insert into rate_buckets (key, tokens, updated_ms) values ($1, 0, $2::bigint + $3::float8)
       on conflict (key) do update set updated_ms = greatest(rate_buckets.updated_ms, $2::bigint) + $3::float8
       returning updated_ms as tat`,
      [key, Math.floor(nowMs), intervalMs],
    );
    return Math.max(0, Number(row!.tat) - intervalMs - nowMs);
  }

  async probe(): Promise<void> {
    await this.#query('select 1', []);
  }

  async close(): Promise<void> {
    await this.#pool?.end();
  }
}

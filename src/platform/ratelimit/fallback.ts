// The hub's limiter: the shared store (Redis or PostgreSQL) while it answers, this process's memory while it does
// not. The policy is to keep serving with limits roughly enforced (docs/operations.md, Outages): a public tracking
// API that stalls or refuses every request because its limiter's store is away punishes every client for an
// infrastructure fault, while limits kept per process still stop a runaway client (each process allows the full
// limit, so N processes allow up to N times it).
//   - The store fails fast (Redis: no offline queue, REDIS_COMMAND_TIMEOUT_MS per call). The first failure turns the
//     limiter degraded: from then on checks go straight to memory, costing no wait at all, and a probe asks the store
//     every PROBE_INTERVAL_MS (at once when the store reports it reconnected) until it answers.
//   - Generations a process could not write while degraded (a key revoked) are kept and written by the probe before
//     the store is used again; checks answered from memory carry no generation, so caches re-read their entries from
//     the database meanwhile. After a degraded period every generation read is tagged with a new epoch: entries a
//     cache labelled before the outage are re-read once, whatever changed while this process could not see it.
//   - State: `health()` (shown in /readyz, which stays ready), the gauge hub_ratelimit_degraded{store} and the
//     counter hub_ratelimit_fallback_checks_total{store}; one warning when it degrades, one line when it recovers.
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics.js';
import { errorSummary } from '../observability/errors.js';
import type { LimitDecision, RateLimiter } from './limiter.js';
import { MemoryRateLimiter } from './memory.js';

/** How often a degraded limiter asks its store whether it is back. */
export const PROBE_INTERVAL_MS = 500;

export type StoreKind = 'redis' | 'postgres';

/** A shared store the fallback limiter can watch. */
export interface SharedStore extends RateLimiter {
  /** One cheap round trip (PING, select 1); rejects when the store does not answer. */
  probe(): Promise<void>;
  /** Resolves once the first connection attempt is over: true when connected. */
  ready?(): Promise<boolean>;
}

export interface LimiterHealth {
  readonly store: StoreKind;
  readonly degraded: boolean;
  /** When the store stopped answering (ISO time), while degraded. */
  readonly since?: string;
  /** Generation changes waiting to be written to the store. */
  readonly pendingGenerations: number;
  /** The store's last failure, summarised (no values). */
  readonly lastError?: string;
}

export interface SharedRateLimiter extends RateLimiter {
  /**
   * Replaces the generation `name` like `bump`, but never fails for the store's sake: when the store cannot take it
   * now, the change is kept and written as soon as the store answers again (`deferred: true`).
   */
  publish(name: string): Promise<{ readonly deferred: boolean }>;
  health(): LimiterHealth;
}

export interface FallbackOptions {
  readonly store: StoreKind;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly probeIntervalMs?: number;
}

export class FallbackRateLimiter implements SharedRateLimiter {
  readonly #local = new MemoryRateLimiter();
  readonly #pending = new Set<string>();
  #degradedSince: number | undefined;
  #lastError: string | undefined;
  #epoch = 0;
  #probe: NodeJS.Timeout | undefined;
  #probing = false;
  #closed = false;

  constructor(
    private readonly shared: SharedStore,
    private readonly opts: FallbackOptions,
  ) {
    opts.metrics.rateLimitDegraded.set({ store: opts.store }, 0);
  }

  /** Waits for the store's first connection; a store unreachable at start-up starts the limiter degraded. */
  async start(): Promise<void> {
    if (this.shared.ready && !(await this.shared.ready())) this.#degrade(new Error(`${this.opts.store} is not reachable`));
  }

  /** The store reports its connection lost (or back): don't wait for a request to find out. */
  connectionLost(err?: unknown): void {
    this.#degrade(err ?? new Error(`${this.opts.store} connection lost`));
  }

  reconnected(): void {
    if (this.#degradedSince !== undefined) this.#schedule(0);
  }

  async check(key: string, limit: number, periodMs: number, nowMs = Date.now(), watch?: string): Promise<LimitDecision> {
    if (this.#degradedSince === undefined) {
      try {
        const d = await this.shared.check(key, limit, periodMs, nowMs, watch);
        return this.#epoch === 0 || d.generation === undefined ? d : { ...d, generation: `${d.generation}@${this.#epoch}` };
      } catch (err) {
        this.#degrade(err);
      }
    }
    this.opts.metrics.rateLimitFallback.inc({ store: this.opts.store });
    return this.#local.check(key, limit, periodMs, nowMs);
  }

  async reserve(key: string, intervalMs: number, nowMs = Date.now()): Promise<number> {
    if (this.#degradedSince === undefined) {
      try {
        return await this.shared.reserve(key, intervalMs, nowMs);
      } catch (err) {
        this.#degrade(err);
      }
    }
    this.opts.metrics.rateLimitFallback.inc({ store: this.opts.store });
    return this.#local.reserve(key, intervalMs, nowMs);
  }

  async bump(name: string): Promise<string> {
    const value = await this.#tryBump(name);
    return value ?? this.#local.bump();
  }

  async publish(name: string): Promise<{ deferred: boolean }> {
    return { deferred: (await this.#tryBump(name)) === undefined };
  }

  /** Even while degraded the store is asked (a revocation is rare, and the store may be back before the probe knows). */
  async #tryBump(name: string): Promise<string | undefined> {
    try {
      const value = await this.shared.bump(name);
      this.#pending.delete(name);
      return value;
    } catch (err) {
      this.#pending.add(name);
      this.#degrade(err);
      return undefined;
    }
  }

  health(): LimiterHealth {
    return {
      store: this.opts.store,
      degraded: this.#degradedSince !== undefined,
      ...(this.#degradedSince !== undefined ? { since: new Date(this.#degradedSince).toISOString() } : {}),
      pendingGenerations: this.#pending.size,
      ...(this.#degradedSince !== undefined && this.#lastError ? { lastError: this.#lastError } : {}),
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#probe);
    await this.shared.close();
  }

  #degrade(err: unknown): void {
    this.#lastError = errorSummary(err);
    if (this.#degradedSince !== undefined || this.#closed) return;
    this.#degradedSince = Date.now();
    this.opts.metrics.rateLimitDegraded.set({ store: this.opts.store }, 1);
    this.opts.log.warn(
      { store: this.opts.store, error: this.#lastError },
      'rate limiter store unavailable: limits are kept per process until it answers again',
    );
    this.#schedule(this.opts.probeIntervalMs ?? PROBE_INTERVAL_MS);
  }

  #schedule(ms: number): void {
    if (this.#closed || this.#probing) return;
    clearTimeout(this.#probe);
    this.#probe = setTimeout(() => void this.#recover(), ms);
    this.#probe.unref();
  }

  async #recover(): Promise<void> {
    this.#probing = true;
    try {
      await this.shared.probe();
      // Deferred generation changes first: no check may be answered from the store before they are in it.
      for (const name of [...this.#pending]) {
        await this.shared.bump(name);
        this.#pending.delete(name);
      }
    } catch (err) {
      this.#lastError = errorSummary(err);
      this.#probing = false;
      this.#schedule(this.opts.probeIntervalMs ?? PROBE_INTERVAL_MS);
      return;
    }
    this.#probing = false;
    if (this.#closed || this.#degradedSince === undefined) return;
    const ms = Date.now() - this.#degradedSince;
    this.#epoch++;
    this.#local.clear();
    this.#degradedSince = undefined;
    this.opts.metrics.rateLimitDegraded.set({ store: this.opts.store }, 0);
    this.opts.log.info({ store: this.opts.store, degradedMs: ms }, 'rate limiter store answers again: shared limits restored');
  }
}

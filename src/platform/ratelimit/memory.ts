// The same GCRA as limiter.ts, kept in this process's memory: what the hub limits with while its shared store
// (Redis or PostgreSQL) is unreachable (fallback.ts). Each process then enforces every limit on its own, so N API
// processes let through up to N times a key's limit — roughly enforced rather than not at all. It reads no
// generations: a check answers without one, so per-process caches (tracking keys) re-read their entries from the
// database at every request until the shared store is back, and a revocation stays effective at once.
import { decide, newGeneration, type LimitDecision, type RateLimiter } from './limiter.js';

/**
 * Bounds memory: past this many keys, buckets that have refilled completely (a TAT in the past: worth nothing) are
 * dropped, then the oldest ones (which forgives those keys a little, acceptable while degraded).
 */
const MAX_KEYS = 10_000;

export class MemoryRateLimiter implements RateLimiter {
  /** Key → TAT ("theoretical arrival time" of the next request), in ms. */
  readonly #tats = new Map<string, number>();

  async check(key: string, limit: number, periodMs: number, nowMs = Date.now()): Promise<LimitDecision> {
    const tat = Math.max(this.#tats.get(key) ?? nowMs, nowMs);
    const next = tat + periodMs / limit;
    if (next - nowMs > periodMs) return decide(false, tat, nowMs, limit, periodMs);
    this.#set(key, next, nowMs);
    return decide(true, next, nowMs, limit, periodMs);
  }

  async bump(): Promise<string> {
    return newGeneration(); // nothing watches generations here (see above)
  }

  async reserve(key: string, intervalMs: number, nowMs = Date.now()): Promise<number> {
    const next = Math.max(this.#tats.get(key) ?? nowMs, nowMs) + intervalMs;
    this.#set(key, next, nowMs);
    return Math.max(0, next - intervalMs - nowMs);
  }

  async close(): Promise<void> {
    this.#tats.clear();
  }

  /** Forgets every bucket (the shared store is back and holds the limits again). */
  clear(): void {
    this.#tats.clear();
  }

  #set(key: string, tat: number, nowMs: number): void {
    if (this.#tats.size >= MAX_KEYS && !this.#tats.has(key)) {
      for (const [k, t] of this.#tats) if (t <= nowMs) this.#tats.delete(k);
      for (const k of this.#tats.keys()) {
        if (this.#tats.size < MAX_KEYS * 0.9) break;
        this.#tats.delete(k);
      }
    }
    this.#tats.set(key, tat);
  }
}

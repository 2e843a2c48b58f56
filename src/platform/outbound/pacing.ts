// Pacing of partner calls per key (amoCRM: per account). Two layers:
//   1. a schedule every hub process shares: `rateLimiter.reserve(key, intervalMs)` books the key's next slot
//      (GCRA in PostgreSQL or Redis) and the caller sleeps until it. The slot is absolute, so time spent waiting
//      for the database is not added on top.
//   2. optionally, a sliding window per process: a request counts from its send until its response came back plus
//      `windowMs`, and no more than `limit` count at once. When the event loop stalls and slots are taken late,
//      requests would otherwise leave bunched; the window keeps the partner from seeing more than `limit` of ours
//      within one window of its own clock.
import type { RateLimiter } from '../ratelimit/limiter.js';
import type { Clock } from './clock.js';

export interface PacingSpec {
  /** Milliseconds between two requests of one key, across every process. */
  readonly intervalMs: number;
  /** The per-process sliding window (see above); omitted: the shared schedule alone. */
  readonly window?: { readonly limit: number; readonly windowMs: number };
}

interface Sent {
  doneAt?: number;
  readonly finished: Promise<void>;
  finish(): void;
}

/**
 * Requests in flight or recently answered, per key, for every transport of one hub process. Keyed by the hub's
 * rate limiter (one per hub): two connector instances in one process share the window, as they share the account.
 */
const windowsByHub = new WeakMap<RateLimiter, Map<string, Sent[]>>();

export class Pacer {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    private readonly spec: PacingSpec,
  ) {}

  /** Waits for `key`'s next slot; call the returned function once the response (or the error) is in. */
  async pace(key: string, signal?: AbortSignal): Promise<() => void> {
    const asked = this.clock.now();
    const wait = await this.limiter.reserve(key, this.spec.intervalMs, asked);
    await this.clock.sleep(asked + wait - this.clock.now(), signal);
    if (!this.spec.window) return () => undefined;
    return this.#enterWindow(key, this.spec.window, signal);
  }

  async #enterWindow(key: string, spec: { limit: number; windowMs: number }, signal?: AbortSignal): Promise<() => void> {
    let windows = windowsByHub.get(this.limiter);
    if (!windows) windowsByHub.set(this.limiter, (windows = new Map()));
    let window = windows.get(key);
    if (!window) windows.set(key, (window = []));
    for (;;) {
      const now = this.clock.now();
      const since = now - spec.windowMs;
      while (window.length && window[0]!.doneAt !== undefined && window[0]!.doneAt <= since) window.shift();
      const live = window.filter((e) => e.doneAt === undefined || e.doneAt > since);
      if (live.length < spec.limit) break;
      const oldest = live[0]!;
      // In flight: its window starts when it is answered. Answered: its window ends windowMs later.
      if (oldest.doneAt === undefined) await abortable(oldest.finished, signal);
      else await this.clock.sleep(oldest.doneAt + spec.windowMs - now + 1, signal);
    }
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const entry: Sent = { finished, finish };
    window.push(entry);
    return () => {
      if (entry.doneAt !== undefined) return;
      entry.doneAt = this.clock.now();
      entry.finish();
    };
  }
}

function abortable(p: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(() => (signal.removeEventListener('abort', onAbort), resolve()));
  });
}

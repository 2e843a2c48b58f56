// Pacing of partner calls per key (amoCRM: per account). Two layers:
//   1. a schedule every hub process shares: `rateLimiter.reserve(key, intervalMs)` books the key's next slot
//      (GCRA in PostgreSQL or Redis) and the caller sleeps until it. The slot is absolute, so time spent waiting
//      for the database is not added on top; a caller that wakes up well after its slot books another one.
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

/**
 * How late after its slot a request may still go; later, it books a new slot (see `pace`). amoCRM's pacing margin
 * (7 ms a slot, 49 ms over its 7-request second) must cover this and the network's jitter.
 */
const LATE_SLOT_MS = 20;
/** New slots a late request books at most before it goes anyway (a host that is late every time must still call). */
const MAX_REBOOKS = 3;

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
    /**
     * Rebook a slot woken up late (below). Only where other processes share the schedule: a lone process is kept
     * under the partner's limit by its own window, and rebooking there only loses slots — on embedded PGlite, whose
     * statements hold the event loop under load, quiz delivery fell from 95 % to 84 % of amoCRM's ceiling.
     */
    private readonly opts: { readonly rebookLate: boolean } = { rebookLate: true },
  ) {}

  /** Waits for `key`'s next slot; call the returned function once the response (or the error) is in. */
  async pace(key: string, signal?: AbortSignal): Promise<() => void> {
    for (let rebooked = 0; ; rebooked++) {
      const asked = this.clock.now();
      const wait = await this.limiter.reserve(key, this.spec.intervalMs, asked);
      const slot = asked + wait;
      await this.clock.sleep(slot - this.clock.now(), signal);
      // The shared schedule spaces slots for senders that are on time. One that wakes up late (a busy event loop, a
      // slow store) lands its request close to the next slot's, which another process sends on time, and limit+1
      // requests reach the partner within one of its seconds; this process's window below cannot see the other
      // process's requests. Measured with two worker processes on a loaded host: a sender 70 ms late, 8 amoCRM
      // calls within 963 ms, the 8th refused with 429 (test/resilience/scale-out.test.ts). So a late wake-up gives
      // its slot up (left empty) and books a new one behind every booked slot; after a few tries it goes anyway.
      if (!this.opts.rebookLate || this.clock.now() - slot <= LATE_SLOT_MS || rebooked >= MAX_REBOOKS) break;
    }
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

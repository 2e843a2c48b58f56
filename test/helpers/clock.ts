// A clock for tests whose subject is not the waiting: every sleep returns on the next turn of the event loop and
// moves this clock forward to the moment it would have ended, so a transport's pacing, back-off and retry_after
// keep their order and arithmetic without costing real time. Time never runs backwards, and it keeps ticking
// with the real clock in between. The waits asked for are recorded for assertions.
//
// Only one clock may drive a shared schedule: a real-clock transport booking slots on the same key would find the
// schedule ahead of its own time and wait for real. A partner emulator still counting in real time sees the skipped
// waits as a burst, so tests using this clock turn the emulator's rate limit off.
import type { Clock } from '../../src/platform/outbound/clock.js';

export class TestClock implements Clock {
  #aheadMs = 0;
  /** Every wait asked for, in ms, in order. */
  readonly sleeps: number[] = [];

  now(): number {
    return Date.now() + this.#aheadMs;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    if (ms <= 0) return;
    this.sleeps.push(ms);
    const until = this.now() + ms;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw signal.reason;
    this.#aheadMs = Math.max(this.#aheadMs, until - Date.now());
  }

  /** Moves the clock forward without anyone waiting (e.g. past a stored pause). */
  advance(ms: number): void {
    this.#aheadMs += ms;
  }
}

// The time a partner transport reads and waits on: pacing slots, retry back-off, retry_after, pauses. Production
// uses the real clock; a test hands in one that skips its waits, so a test whose subject is not the waiting does
// not spend real seconds on a 7 req/s schedule.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` (at once for ms <= 0); rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      if (ms <= 0) return resolve();
      const onAbort = () => (clearTimeout(timer), reject(signal!.reason));
      const timer = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

// The partner-neutral state of one emulator instance (clock, faults, request log) and the typed in-process
// control over it. A partner's control object spreads `core.control` into its own, next to its partner operations;
// the same operations are served over HTTP by control-routes.ts.
import { EmulatorClock } from './clock.js';
import { FaultInjector, type FaultRuleInput, type OutageMode } from './faults.js';
import { RequestLog, type LogFilter, type NoFields } from './request-log.js';

export interface EmulatorCoreOptions<K extends string> {
  /** Where the emulated clock starts, and goes back to on reset (default: now). */
  startTime?: Date | number;
  /** The partner's fault catalogue: the `kind`s a fault rule may name besides a status. */
  faultKinds?: readonly K[];
}

export interface EmulatorCore<X extends object = NoFields, K extends string = never> {
  readonly clock: EmulatorClock;
  readonly faults: FaultInjector<K>;
  readonly requests: RequestLog<X>;
  readonly control: CoreControl<X, K>;
  /** No faults, an empty log, the clock back at its start. */
  reset(): void;
}

export interface CoreControl<X extends object = NoFields, K extends string = never> {
  clock: {
    /** Emulated unix seconds. */
    now(): number;
    advance(seconds: number): void;
    set(time: Date | number): void;
    /** Stops time (still moved by advance/set): makes per-second rate limits deterministic in tests. */
    freeze(): void;
    unfreeze(): void;
  };
  faults: {
    add(rule: FaultRuleInput<K>): number;
    remove(id: number): boolean;
    clear(): void;
    /** All partner calls answer 503 (or drop the connection) for `seconds` of real time. */
    outage(seconds: number, mode?: OutageMode): void;
    endOutage(): void;
  };
  requests: {
    list(filter?: LogFilter<X>): ReturnType<RequestLog<X>['list']>;
    maxPerSecond(filter?: LogFilter<X>): number;
    clear(): void;
  };
}

export function createEmulatorCore<X extends object = NoFields, K extends string = never>(
  options: EmulatorCoreOptions<K> = {},
): EmulatorCore<X, K> {
  const clock = new EmulatorClock(options.startTime);
  const faults = new FaultInjector<K>(options.faultKinds);
  const requests = new RequestLog<X>();
  const control: CoreControl<X, K> = {
    clock: {
      now: () => clock.nowSeconds(),
      advance: (seconds) => {
        if (!Number.isFinite(seconds)) throw new Error('seconds must be a number');
        clock.advance(seconds);
      },
      set: (time) => clock.set(time),
      freeze: () => clock.freeze(),
      unfreeze: () => clock.unfreeze(),
    },
    faults: {
      add: (rule) => faults.add(rule).id,
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
      outage: (seconds, mode = '503') => faults.startOutage(seconds, mode),
      endOutage: () => faults.endOutage(),
    },
    requests: {
      list: (filter) => requests.list(filter),
      maxPerSecond: (filter) => requests.maxPerSecond(filter),
      clear: () => requests.clear(),
    },
  };
  return {
    clock,
    faults,
    requests,
    control,
    reset() {
      faults.clear();
      requests.clear();
      clock.reset();
      if (options.startTime !== undefined) clock.set(options.startTime);
    },
  };
}

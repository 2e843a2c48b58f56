// Every request the emulator answered, so tests and benchmarks can assert request rates and batch sizes.
// The kit's fields are the same for every partner; a partner adds its own (`X`: the account, the token's owner…),
// and any of them can be filtered on by equality.

export interface RequestLogEntry {
  /** Real time, ms since the epoch (rates are measured in real time). */
  readonly at: number;
  /** Emulated clock, unix seconds. */
  readonly emulatedAt: number;
  readonly method: string;
  /** Partner-relative path without the query, e.g. `/api/v4/leads/complex`. */
  readonly path: string;
  readonly url: string;
  /** 0 when the connection was dropped (an injected reset). */
  readonly status: number;
  /** For array bodies (batch writes): the number of items. */
  readonly items: number | null;
  readonly requestId: string;
  /** The parsed request body (kept for "last bodies" assertions; the partner redacts credentials). */
  readonly body: unknown;
}

export interface RequestLogFilter {
  method?: string;
  /** Substring of the path. */
  path?: string;
  status?: number;
  sinceMs?: number;
}

/** The kit's filter plus any of the partner's fields. */
export type LogFilter<X extends object = NoFields> = RequestLogFilter & Partial<X>;

/** No partner fields. */
export type NoFields = Record<never, never>;

/** Keeps the most recent entries only, so a long benchmark cannot exhaust memory. */
const MAX_ENTRIES = 200_000;
const KIT_FILTER_KEYS = new Set(['method', 'path', 'status', 'sinceMs']);

export class RequestLog<X extends object = NoFields> {
  private entries: Array<RequestLogEntry & X> = [];

  record(entry: RequestLogEntry & X): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries = this.entries.slice(-MAX_ENTRIES / 2);
  }

  /** Entries matching every given field; partner fields (`X`) match by equality. */
  list(filter: LogFilter<X> = {} as LogFilter<X>): Array<RequestLogEntry & X> {
    const partner = Object.entries(filter).filter(([k, v]) => v !== undefined && !KIT_FILTER_KEYS.has(k));
    return this.entries.filter(
      (e) =>
        (filter.method === undefined || e.method === filter.method.toUpperCase()) &&
        (filter.path === undefined || e.path.includes(filter.path)) &&
        (filter.status === undefined || e.status === filter.status) &&
        (filter.sinceMs === undefined || e.at >= filter.sinceMs) &&
        partner.every(([k, v]) => (e as Record<string, unknown>)[k] === v),
    );
  }

  /** The largest number of requests that fell into any sliding 1-second window (real time). */
  maxPerSecond(filter: LogFilter<X> = {} as LogFilter<X>): number {
    const times = this.list(filter)
      .map((e) => e.at)
      .sort((a, b) => a - b);
    let max = 0;
    let start = 0;
    for (let end = 0; end < times.length; end++) {
      while (times[end]! - times[start]! >= 1000) start++;
      max = Math.max(max, end - start + 1);
    }
    return max;
  }

  clear(): void {
    this.entries = [];
  }
}

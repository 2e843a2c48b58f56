// Every request the emulator answered, so tests and benchmarks can assert request rates and batch sizes.

export interface RequestLogEntry {
  /** Real time, ms since the epoch (rates are measured in real time). */
  readonly at: number;
  /** Emulated clock, unix seconds. */
  readonly emulatedAt: number;
  readonly method: string;
  /** Account-relative path without the query, e.g. `/api/v4/leads/complex`. */
  readonly path: string;
  readonly url: string;
  readonly subdomain: string | null;
  /** The account and client the bearer token belongs to (null without a known token). */
  readonly tokenAccountId: number | null;
  readonly clientId: string | null;
  readonly status: number;
  /** For array bodies (batch create/update, complex, notes, links): the number of items. */
  readonly items: number | null;
  readonly requestId: string;
  /** The parsed request body (kept for "last bodies" assertions). */
  readonly body: unknown;
}

export interface RequestLogFilter {
  method?: string;
  /** Substring of the path. */
  path?: string;
  subdomain?: string;
  status?: number;
  sinceMs?: number;
}

/** Keeps the most recent entries only, so a long benchmark cannot exhaust memory. */
const MAX_ENTRIES = 200_000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];

  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries = this.entries.slice(-MAX_ENTRIES / 2);
  }

  list(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.entries.filter(
      (e) =>
        (filter.method === undefined || e.method === filter.method.toUpperCase()) &&
        (filter.path === undefined || e.path.includes(filter.path)) &&
        (filter.subdomain === undefined || e.subdomain === filter.subdomain) &&
        (filter.status === undefined || e.status === filter.status) &&
        (filter.sinceMs === undefined || e.at >= filter.sinceMs),
    );
  }

  /** The largest number of requests that fell into any sliding 1-second window (real time). */
  maxPerSecond(filter: RequestLogFilter = {}): number {
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

// The API usage history: one row per request (key, time, method, path, status, client IP, latency), per-key
// daily counts and last_used_at. Requests are buffered in memory and written in batches (one transaction every
// `usageFlushMs` or 500 requests), so logging costs the request path nothing; a failed write is retried with the
// next batch. The price: a crash loses at most the last fraction of a second of log rows (never business data).
import type { Hub } from '../../platform/hub.js';
import { rows, sql } from '../../platform/db/database.js';

export interface UsageEntry {
  readonly keyId: number | null;
  readonly botId: number | null;
  /** Epoch milliseconds. */
  readonly atMs: number;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly ip: string;
  readonly latencyMs: number;
}

const MAX_BATCH = 500;
/** An array bound as ONE parameter (drizzle would expand a bare array into a list). */
const arr = (values: unknown[]) => sql.param(values);
const MAX_BUFFERED = 50_000;
const DAY_MS = 86_400_000;

/**
 * Buffered rows as one array per column. A row waits up to `usageFlushMs` (past two young-generation collections
 * under load), so an object per row would be promoted to the old generation and left there as garbage for a major
 * collection; numbers in arrays are not. The arrays are also what the insert binds, as they are.
 */
class UsageColumns {
  readonly keyIds: Array<number | null> = [];
  readonly botIds: Array<number | null> = [];
  readonly atMs: number[] = [];
  readonly methods: string[] = [];
  readonly paths: string[] = [];
  readonly statuses: number[] = [];
  readonly ips: string[] = [];
  readonly latencies: number[] = [];

  get length(): number {
    return this.atMs.length;
  }

  push(e: UsageEntry): void {
    this.keyIds.push(e.keyId);
    this.botIds.push(e.botId);
    this.atMs.push(e.atMs);
    this.methods.push(e.method);
    this.paths.push(e.path);
    this.statuses.push(e.status);
    this.ips.push(e.ip);
    this.latencies.push(e.latencyMs);
  }

  /** These rows followed by `later`'s, the newest `max` kept (a failed batch goes back in front). */
  static join(first: UsageColumns, later: UsageColumns, max: number): UsageColumns {
    const out = new UsageColumns();
    const from = Math.max(0, first.length + later.length - max);
    for (const [src, skip] of [
      [first, from],
      [later, Math.max(0, from - first.length)],
    ] as const) {
      for (let i = skip; i < src.length; i++) {
        out.push({
          keyId: src.keyIds[i]!,
          botId: src.botIds[i]!,
          atMs: src.atMs[i]!,
          method: src.methods[i]!,
          path: src.paths[i]!,
          status: src.statuses[i]!,
          ip: src.ips[i]!,
          latencyMs: src.latencies[i]!,
        });
      }
    }
    return out;
  }
}

export class UsageRecorder {
  #buffer = new UsageColumns();
  #flushing: Promise<void> | undefined;
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly hub: Hub,
    flushMs: number,
  ) {
    this.#timer = setInterval(() => void this.flush(), flushMs);
    this.#timer.unref();
    hub.onClose(async () => {
      clearInterval(this.#timer);
      await this.flush();
    });
  }

  record(entry: UsageEntry): void {
    this.#buffer.push(entry);
    if (this.#buffer.length >= MAX_BATCH) void this.flush();
  }

  /** Writes everything buffered so far (reads of the usage history call this first). */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    if (this.#buffer.length === 0) return;
    const batch = this.#buffer;
    this.#buffer = new UsageColumns();
    this.#flushing = this.#write(batch)
      .catch((err) => {
        this.hub.log.error({ err, rows: batch.length }, 'tracking usage log write failed; keeping the rows for the next batch');
        this.#buffer = UsageColumns.join(batch, this.#buffer, MAX_BUFFERED);
      })
      .finally(() => (this.#flushing = undefined));
    await this.#flushing;
  }

  async #write(b: UsageColumns): Promise<void> {
    const daily = new Map<string, { keyId: number; day: string; requests: number; errors: number }>();
    const lastUsed = new Map<number, number>();
    for (let i = 0; i < b.length; i++) {
      const keyId = b.keyIds[i]!;
      if (keyId === null) continue;
      const at = b.atMs[i]!;
      const dayNumber = Math.floor(at / DAY_MS);
      const k = `${keyId}:${dayNumber}`;
      const d = daily.get(k) ?? { keyId, day: new Date(dayNumber * DAY_MS).toISOString().slice(0, 10), requests: 0, errors: 0 };
      d.requests += 1;
      if (b.statuses[i]! >= 400) d.errors += 1;
      daily.set(k, d);
      if ((lastUsed.get(keyId) ?? 0) < at) lastUsed.set(keyId, at);
    }
    // Times travel as epoch milliseconds (float8), turned into timestamptz by the statement.
    await this.hub.db.transaction(async (tx) => {
      await rows(
        tx,
        sql`insert into tracking_api_requests (key_id, bot_id, at, method, path, status, ip, latency_ms)
            select k, bt, to_timestamp(ms / 1000), m, p, st, ip, l
              from unnest(${arr(b.keyIds)}::bigint[], ${arr(b.botIds)}::bigint[], ${arr(b.atMs)}::float8[], ${arr(b.methods)}::text[],
                          ${arr(b.paths)}::text[], ${arr(b.statuses)}::int[], ${arr(b.ips)}::text[], ${arr(b.latencies)}::float8[]) as v(k, bt, ms, m, p, st, ip, l)`,
      );
      if (daily.size === 0) return;
      const d = [...daily.values()];
      await rows(
        tx,
        sql`insert into tracking_api_key_daily (key_id, day, requests, errors)
            select * from unnest(${arr(d.map((x) => x.keyId))}::bigint[], ${arr(d.map((x) => x.day))}::date[], ${arr(d.map((x) => x.requests))}::int[], ${arr(d.map((x) => x.errors))}::int[])
            on conflict (key_id, day) do update set requests = tracking_api_key_daily.requests + excluded.requests,
              errors = tracking_api_key_daily.errors + excluded.errors`,
      );
      const ids = [...lastUsed.keys()];
      await rows(
        tx,
        sql`update tracking_api_keys k set last_used_at = greatest(k.last_used_at, to_timestamp(u.ms / 1000))
            from unnest(${arr(ids)}::bigint[], ${arr(ids.map((id) => lastUsed.get(id)!))}::float8[]) as u(id, ms) where k.id = u.id`,
      );
    });
  }
}

export interface UsageReport {
  key_id: number;
  last_used_at: string | null;
  daily: Array<{ day: string; requests: number; errors: number }>;
  recent: Array<{ at: string; method: string; path: string; status: number; ip: string; latency_ms: number }>;
}

export async function usageReport(
  hub: Hub,
  keyId: number,
  opts: { days: number; recent: number },
): Promise<Omit<UsageReport, 'last_used_at'>> {
  const daily = await hub.database.query<{ day: string; requests: number; errors: number }>(
    `select day::text as day, requests, errors from tracking_api_key_daily
      where key_id = $1 and day > (now() at time zone 'utc')::date - $2::int order by day desc`,
    [keyId, opts.days],
  );
  const recent = await hub.database.query<{ at: Date; method: string; path: string; status: number; ip: string; latency_ms: number }>(
    'select at, method, path, status, ip, latency_ms from tracking_api_requests where key_id = $1 order by at desc, id desc limit $2',
    [keyId, opts.recent],
  );
  return {
    key_id: keyId,
    daily,
    recent: recent.map((r) => ({ ...r, at: new Date(r.at).toISOString(), latency_ms: Math.round(r.latency_ms * 100) / 100 })),
  };
}

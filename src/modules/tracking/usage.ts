// The API usage history: one row per request (key, time, method, path, status, client IP, latency), per-key
// daily counts and last_used_at. Requests are buffered in memory and written in batches (one transaction every
// `usageFlushMs` or 500 requests), so logging costs the request path nothing; a failed write is retried with the
// next batch. The price: a crash loses at most the last fraction of a second of log rows (never business data).
import type { Hub } from '../../platform/hub.js';
import { rows, sql } from '../../platform/db/database.js';

export interface UsageEntry {
  readonly keyId: number | null;
  readonly botId: number | null;
  readonly at: Date;
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

export class UsageRecorder {
  #buffer: UsageEntry[] = [];
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
    this.#buffer = [];
    this.#flushing = this.#write(batch)
      .catch((err) => {
        this.hub.log.error({ err, rows: batch.length }, 'tracking usage log write failed; keeping the rows for the next batch');
        this.#buffer = [...batch, ...this.#buffer].slice(-MAX_BUFFERED);
      })
      .finally(() => (this.#flushing = undefined));
    await this.#flushing;
  }

  async #write(batch: UsageEntry[]): Promise<void> {
    const daily = new Map<string, { keyId: number; day: string; requests: number; errors: number }>();
    const lastUsed = new Map<number, string>();
    for (const e of batch) {
      if (e.keyId === null) continue;
      const day = e.at.toISOString().slice(0, 10);
      const k = `${e.keyId}:${day}`;
      const d = daily.get(k) ?? { keyId: e.keyId, day, requests: 0, errors: 0 };
      d.requests += 1;
      if (e.status >= 400) d.errors += 1;
      daily.set(k, d);
      const at = e.at.toISOString();
      if ((lastUsed.get(e.keyId) ?? '') < at) lastUsed.set(e.keyId, at);
    }
    const col = <T>(f: (e: UsageEntry) => T) => batch.map(f);
    await this.hub.db.transaction(async (tx) => {
      await rows(
        tx,
        sql`insert into tracking_api_requests (key_id, bot_id, at, method, path, status, ip, latency_ms)
            select * from unnest(${arr(col((e) => e.keyId))}::bigint[], ${arr(col((e) => e.botId))}::bigint[], ${arr(col((e) => e.at.toISOString()))}::timestamptz[],
              ${arr(col((e) => e.method))}::text[], ${arr(col((e) => e.path))}::text[], ${arr(col((e) => e.status))}::int[], ${arr(col((e) => e.ip))}::text[],
              ${arr(col((e) => e.latencyMs))}::float8[])`,
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
        sql`update tracking_api_keys k set last_used_at = greatest(coalesce(k.last_used_at, v.at), v.at)
            from unnest(${arr(ids)}::bigint[], ${arr(ids.map((id) => lastUsed.get(id)!))}::timestamptz[]) as v(id, at) where k.id = v.id`,
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

export async function usageReport(hub: Hub, keyId: number, opts: { days: number; recent: number }): Promise<Omit<UsageReport, 'last_used_at'>> {
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

// Rate-limit checks on PostgreSQL, in batches: the checks of one event-loop round (RoundBatch) become ONE
// statement, as in the Redis limiter. One statement per request meant one commit per request on the same hot row,
// each waiting for the row lock of the one before.
// Checks of one key are grouped. For k checks of a key, the upsert computes against the locked row how many of
// them still fit (a), and moves the key's TAT by a intervals; the first a checks are allowed and the rest denied,
// which is what k checks one after another would give. The group's latest `now` stands for all of them (a round
// lasts about a millisecond). Keys are locked in sorted order, so batches of two processes never deadlock. The
// statement also returns the watched generations, read in the same round trip.

import { RoundBatch } from './round-batch.js';

export interface CheckRequest {
  readonly key: string;
  readonly limit: number;
  readonly periodMs: number;
  readonly nowMs: number;
  readonly watch?: string | undefined;
}

export interface CheckOutcome {
  readonly allowed: boolean;
  /** The key's TAT after this check (GCRA's "theoretical arrival time"), in ms. */
  readonly tat: number;
  /** The watched generation ('' when never bumped); undefined when nothing was watched. */
  readonly generation?: string | undefined;
}

/** Runs the batch statement; `name` lets a pooled connection prepare it once. */
export type BatchQuery = <T>(name: string, text: string, params: unknown[]) => Promise<T[]>;

// `tokens` carries a out of the upsert: RETURNING sees only the new row, and the new TAT alone cannot tell how
// many checks it let through. (1e-9: a limit that divides the period exactly must not lose its last request to
// floating-point rounding.)
const FITS = (tat: string) => `greatest(0, least(i.n, floor((i.period - greatest(${tat} - i.now, 0)) / i.step + 1e-9)))`;
const STATEMENT = `
with input as (
  select * from unnest($1::text[], $2::bigint[], $3::float8[], $4::float8[], $5::int[]) as i(key, now, step, period, n)
), up as (
  insert into rate_buckets as b (key, tokens, updated_ms)
  select i.key, ${FITS('i.now')}, i.now + i.step * ${FITS('i.now')} from input i order by i.key
  on conflict (key) do update set
    tokens = (select ${FITS('b.updated_ms')} from input i where i.key = excluded.key),
    updated_ms = (select greatest(b.updated_ms, i.now) + i.step * ${FITS('b.updated_ms')} from input i where i.key = excluded.key)
  returning b.key, b.updated_ms as tat, b.tokens as allowed
)
select up.key, up.tat, up.allowed,
       (select json_object_agg(name, value) from cache_generations where name = any($6::text[])) as generations
  from up`;

interface Pending extends CheckRequest {
  resolve(outcome: CheckOutcome): void;
  reject(err: unknown): void;
}

interface Row {
  key: string;
  tat: number | string;
  allowed: number | string;
  generations: Record<string, string> | null;
}

export class PgCheckBatcher {
  readonly #round = new RoundBatch<Pending>((pending) => this.#send(pending));

  constructor(private readonly query: BatchQuery) {}

  check(request: CheckRequest): Promise<CheckOutcome> {
    return new Promise<CheckOutcome>((resolve, reject) => this.#round.add({ ...request, resolve, reject }));
  }

  #send(pending: Pending[]): void {
    // One group per key, in arrival order. The same key with another limit or period (changed mid-round) waits
    // for the next batch: one statement may touch a row only once.
    const groups = new Map<string, Pending[]>();
    const later: Pending[] = [];
    for (const p of pending) {
      const group = groups.get(p.key);
      if (!group) groups.set(p.key, [p]);
      else if (group[0]!.limit === p.limit && group[0]!.periodMs === p.periodMs) group.push(p);
      else later.push(p);
    }
    if (later.length > 0) this.#round.add(...later);
    const batch = [...groups.values()];
    const watched = [...new Set(pending.flatMap((p) => (p.watch === undefined ? [] : [p.watch])))];
    const params = [
      batch.map((g) => g[0]!.key),
      batch.map((g) => Math.floor(Math.max(...g.map((p) => p.nowMs)))),
      batch.map((g) => g[0]!.periodMs / g[0]!.limit),
      batch.map((g) => g[0]!.periodMs),
      batch.map((g) => g.length),
      watched,
    ];
    this.query<Row>('hub-rate-check-batch', STATEMENT, params).then(
      (rows) => {
        const byKey = new Map(rows.map((r) => [r.key, r]));
        for (const group of batch) settle(group, byKey.get(group[0]!.key));
      },
      (err: unknown) => batch.forEach((group) => group.forEach((p) => p.reject(err))),
    );
  }
}

function settle(group: Pending[], row: Row | undefined): void {
  if (!row) {
    const err = new Error(`rate limit check returned no row for ${group[0]!.key}`);
    group.forEach((p) => p.reject(err));
    return;
  }
  const step = group[0]!.periodMs / group[0]!.limit;
  const tat = Number(row.tat);
  const allowed = Number(row.allowed);
  const start = tat - allowed * step; // the TAT before this batch (or now, if the bucket was empty)
  group.forEach((p, i) => {
    const generation = p.watch === undefined ? undefined : (row.generations?.[p.watch] ?? '');
    p.resolve(i < allowed ? { allowed: true, tat: start + (i + 1) * step, generation } : { allowed: false, tat, generation });
  });
}

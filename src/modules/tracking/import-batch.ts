// One batch of import rows written in one transaction, with the same outcome per row as TrackingService's
// create and update (Importer's per-row path, which a failed batch falls back to), in a handful of set-based
// statements whatever the batch size:
//   - the batch's known numbers are read; those the file changes are read again, locked;
//   - new numbers: their clients upserted (counts added), the numbers inserted with their first history rows;
//   - changed numbers: a status move must pass the status machine (else a row error, nothing of the row written);
//     fields and statuses updated in one statement, the moves' history in another, and each move's webhook
//     deliveries enqueued in this same transaction (WebhookService.enqueueStatusChange, as the API does);
//   - the counters bumped once for the whole batch. Counting per row would update the same counter rows
//     thousands of times in one transaction, each update walking every earlier version of the row.
// Locks are taken in the API's order (numbers, then clients, then counters last), so a batch and API writes wait
// for each other rather than deadlock.
import { sql } from 'drizzle-orm';
import { rows, type DbExecutor } from '../../platform/db/database.js';
import type { CreateTrackingInput, UpdateTrackingInput } from './contract.js';
import { trackingError } from './errors.js';
import { canMove, type Status } from './statuses.js';
import { bumpCounters, iso, TRACKING_COLUMNS, trackingView, type TrackingRow } from './store.js';
import { costOf, invalidTransition } from './tracking.js';
import type { WebhookService } from './webhooks.js';

const COLS = sql.raw(TRACKING_COLUMNS);

/** A row of the file that passed validation, waiting to be written. */
export interface PendingRow {
  readonly line: number;
  readonly input: CreateTrackingInput;
}

export interface ImportRowError {
  readonly line: number;
  readonly tracking_number: string;
  readonly error: string;
}

export interface BatchOutcome {
  created: number;
  updated: number;
  unchanged: number;
  errors: ImportRowError[];
}

/** The fields of `input` that differ from the stored row (what an update must change). */
export function differences(row: StoredRow, input: CreateTrackingInput): UpdateTrackingInput {
  const changes: Record<string, unknown> = {};
  if (input.status && input.status !== row.current_status) changes.status = input.status;
  if (input.quantity !== undefined && input.quantity !== row.quantity) changes.quantity = input.quantity;
  if (input.weight_kg !== undefined && input.weight_kg !== row.weight_kg) changes.weight_kg = input.weight_kg;
  if (input.price_per_kg_usd !== undefined && input.price_per_kg_usd !== row.price_per_kg_usd)
    changes.price_per_kg_usd = input.price_per_kg_usd;
  const cost = costOf(input);
  if (cost !== null && cost !== row.total_cost_usd) changes.total_cost_usd = cost;
  if (input.note !== undefined && input.note !== row.note) changes.note = input.note;
  return changes as UpdateTrackingInput;
}

/** The row error for a known number whose client differs, or null. */
export const otherClient = (row: StoredRow, input: CreateTrackingInput) =>
  row.client_code === input.client_code
    ? null
    : trackingError('DUPLICATE_TRACKING', `трек-номер уже принадлежит клиенту ${row.client_code}`);

type Deltas = Record<string, number>;
const add = (deltas: Deltas, kind: string, n: number) => void (deltas[kind] = (deltas[kind] ?? 0) + n);

/**
 * Writes `batch` (tracking numbers unique within it) inside `tx`. Row errors are returned; anything else (a
 * database error) is thrown, and the caller rolls the batch back and retries its rows one by one.
 */
export async function writeBatch(
  tx: DbExecutor,
  webhooks: WebhookService,
  botId: number,
  batch: readonly PendingRow[],
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { created: 0, updated: 0, unchanged: 0, errors: [] };
  const fail = (p: PendingRow, error: string) => outcome.errors.push({ line: p.line, tracking_number: p.input.tracking_number, error });
  const deltas: Deltas = {};
  // Unlocked first: a re-run of a file is mostly unchanged rows, and locking those would write to each of them.
  const known = await byNumber(tx, botId, batch, false);
  const fresh = batch.filter((p) => !known.has(p.input.tracking_number));
  const touched = batch.filter((p) => {
    const row = known.get(p.input.tracking_number);
    return row && (otherClient(row, p.input) || Object.keys(differences(row, p.input)).length > 0);
  });
  outcome.unchanged += batch.length - fresh.length - touched.length;
  const locked = touched.length ? await byNumber(tx, botId, touched, true) : new Map<string, StoredRow>();
  const changes: Change[] = [];
  for (const p of touched) {
    const row = locked.get(p.input.tracking_number)!; // numbers are never deleted
    const clash = otherClient(row, p.input);
    const diff = differences(row, p.input);
    if (clash) fail(p, clash.message);
    else if (Object.keys(diff).length === 0)
      outcome.unchanged += 1; // changed meanwhile to what the file says
    else if (diff.status && !canMove(row.current_status, diff.status)) fail(p, invalidTransition(row.current_status, diff.status).message);
    else changes.push({ row, diff });
  }
  if (fresh.length) {
    await insertNew(tx, botId, fresh, deltas);
    outcome.created += fresh.length;
  }
  if (changes.length) {
    await updateKnown(tx, webhooks, botId, changes, deltas);
    outcome.updated += changes.length;
  }
  await bumpCounters(tx, botId, deltas);
  return outcome;
}

/** What comparing a stored row with a file's row needs: the view's values, not its timestamps. */
export type StoredRow = Omit<TrackingRow, 'bot_id' | 'client_id' | 'created_at' | 'updated_at'>;
// The amounts as float8, as the view reads them (differences compares them with the file's numbers). Timestamps
// are left out: formatting them costs more than the rest of the row, and a re-run reads every row of the file.
const STORED_COLUMNS = sql.raw(
  'id, tracking_number, client_code, current_status, quantity, weight_kg::float8, price_per_kg_usd::float8, total_cost_usd::float8, note',
);

/** The batch's stored rows by tracking number; `lock` takes row locks, in id order. */
async function byNumber(tx: DbExecutor, botId: number, batch: readonly PendingRow[], lock: boolean): Promise<Map<string, StoredRow>> {
  const numbers = sql.param(batch.map((p) => p.input.tracking_number));
  const found = await rows<StoredRow>(
    tx,
    sql`select ${STORED_COLUMNS} from tracking_numbers where bot_id = ${botId} and tracking_number = any(${numbers}::text[])
        ${lock ? sql`order by id for update` : sql``}`,
  );
  return new Map(found.map((r) => [r.tracking_number, r]));
}

/**
 * Creates the batch's new numbers in one statement: clients upserted (counts added), numbers inserted in file
 * order (ids follow the file, as one-by-one inserts would), each with its first history row; adds them to `deltas`.
 * It answers one row of counts, not one per number: reading rows back is a large part of a statement's cost on
 * PGlite. A plain INSERT, cheaper than ON CONFLICT: a number another writer committed after the batch's read
 * fails the batch on the unique key, and the caller's row-by-row retry then treats it as the known number it is.
 */
async function insertNew(tx: DbExecutor, botId: number, fresh: readonly PendingRow[], deltas: Deltas): Promise<void> {
  const column = <T>(pick: (input: CreateTrackingInput) => T) => sql.param(fresh.map((p) => pick(p.input)));
  const [r] = await rows<{ per_status: Record<string, number>; new_clients: number }>(
    tx,
    sql`with v as (
          select * from unnest(
            ${column((i) => i.tracking_number)}::text[], ${column((i) => i.client_code)}::text[], ${column((i) => i.status ?? 'pending')}::text[],
            ${column((i) => i.quantity ?? null)}::int[], ${column((i) => i.weight_kg ?? null)}::numeric[],
            ${column((i) => i.price_per_kg_usd ?? null)}::numeric[], ${column((i) => costOf(i))}::numeric[],
            ${column((i) => i.note ?? null)}::text[]
          ) with ordinality as u(tracking_number, client_code, status, quantity, weight_kg, price_per_kg_usd, total_cost_usd, note, i)
        ), clients as (
          insert into tracking_clients (bot_id, client_code, tracking_count)
          select ${botId}::bigint, client_code, count(*) from v group by client_code order by client_code
          on conflict (bot_id, client_code) do update set tracking_count = tracking_clients.tracking_count + excluded.tracking_count
          returning id, client_code, (xmax = 0) as created
        ), created as (
          insert into tracking_numbers (bot_id, client_id, tracking_number, client_code, current_status, quantity, weight_kg, price_per_kg_usd, total_cost_usd, note)
          select ${botId}::bigint, c.id, v.tracking_number, v.client_code, v.status, v.quantity, v.weight_kg, v.price_per_kg_usd, v.total_cost_usd, v.note
          from v join clients c on c.client_code = v.client_code order by v.i
          returning id, bot_id, current_status, created_at
        ), history as (
          insert into tracking_status_history (bot_id, tracking_id, from_status, status, source, changed_at)
          select bot_id, id, null, current_status, 'import', created_at from created order by id
        )
        select (select coalesce(json_object_agg(current_status, n), '{}') from (select current_status, count(*) as n from created group by current_status) s) as per_status,
               (select count(*)::int from clients where created) as new_clients`,
  );
  for (const [status, n] of Object.entries(r!.per_status)) add(deltas, status, Number(n));
  add(deltas, 'clients', r!.new_clients);
}

interface Change {
  readonly row: StoredRow;
  readonly diff: UpdateTrackingInput;
}

/** Applies field changes and status moves to locked rows; adds the moves to `deltas` and enqueues their webhooks. */
async function updateKnown(
  tx: DbExecutor,
  webhooks: WebhookService,
  botId: number,
  changes: readonly Change[],
  deltas: Deltas,
): Promise<void> {
  const column = <T>(pick: (c: Change) => T) => sql.param(changes.map(pick));
  const has = (field: keyof UpdateTrackingInput) => column((c) => c.diff[field] !== undefined);
  const value = <K extends keyof UpdateTrackingInput>(field: K) => column((c) => c.diff[field] ?? null);
  // One statement for every row, as applyUpdate's field update and status change would leave it.
  const updated = await rows<TrackingRow>(
    tx,
    sql`update tracking_numbers t set
          current_status = coalesce(v.v_status, t.current_status),
          quantity = case when v.set_quantity then v.v_quantity else t.quantity end,
          weight_kg = case when v.set_weight then v.v_weight else t.weight_kg end,
          price_per_kg_usd = case when v.set_price then v.v_price else t.price_per_kg_usd end,
          total_cost_usd = case when v.set_cost then v.v_cost else t.total_cost_usd end,
          note = case when v.set_note then v.v_note else t.note end,
          updated_at = now()
        from unnest(${column((c) => c.row.id)}::bigint[], ${value('status')}::text[],
                    ${has('quantity')}::bool[], ${value('quantity')}::int[], ${has('weight_kg')}::bool[], ${value('weight_kg')}::numeric[],
                    ${has('price_per_kg_usd')}::bool[], ${value('price_per_kg_usd')}::numeric[],
                    ${has('total_cost_usd')}::bool[], ${value('total_cost_usd')}::numeric[], ${has('note')}::bool[], ${value('note')}::text[])
          as v(v_id, v_status, set_quantity, v_quantity, set_weight, v_weight, set_price, v_price, set_cost, v_cost, set_note, v_note)
        where t.id = v.v_id
        returning ${COLS}`,
  );
  const moves = changes.filter((c) => c.diff.status !== undefined);
  if (moves.length === 0) return;
  const after = new Map(updated.map((r) => [r.id, r]));
  const history = await rows<{ tracking_id: number; changed_at: Date | string }>(
    tx,
    sql`insert into tracking_status_history (bot_id, tracking_id, from_status, status, source)
        select ${botId}::bigint, u.id, u.from_status, u.status, 'import'
        from unnest(${sql.param(moves.map((m) => m.row.id))}::bigint[], ${sql.param(moves.map((m) => m.row.current_status))}::text[],
                    ${sql.param(moves.map((m) => m.diff.status))}::text[]) with ordinality as u(id, from_status, status, i)
        order by u.i
        returning tracking_id, changed_at`,
  );
  const changedAt = new Map(history.map((h) => [h.tracking_id, iso(h.changed_at)]));
  for (const m of moves) {
    add(deltas, m.row.current_status, -1);
    add(deltas, m.diff.status as Status, 1);
  }
  // Most bots have no endpoint: one look for the batch instead of one per move (the enqueue looks again).
  const [hook] = await rows(tx, sql`select 1 from tracking_webhooks where bot_id = ${botId} and is_active limit 1`);
  if (!hook) return;
  for (const m of moves) {
    await webhooks.enqueueStatusChange(tx, {
      botId,
      tracking: trackingView(after.get(m.row.id)!),
      previousStatus: m.row.current_status,
      changedAt: changedAt.get(m.row.id)!,
      source: 'import',
    });
  }
}

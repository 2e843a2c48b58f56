// Row-level building blocks shared by the API service and the bulk import: row mapping, exact counters kept in
// the writing transaction, and the status change (history + counters + webhook deliveries, one transaction).
import { sql } from 'drizzle-orm';
import { rows, type DbExecutor } from '../../platform/db/database.js';
import type { TrackingNumberView } from './contract.js';
import type { Status } from './statuses.js';
import type { WebhookService } from './webhooks.js';

export interface TrackingRow {
  id: number;
  bot_id: number;
  client_id: number;
  tracking_number: string;
  client_code: string;
  current_status: Status;
  quantity: number | null;
  weight_kg: number | null;
  price_per_kg_usd: number | null;
  total_cost_usd: number | null;
  note: string | null;
  /** ISO 8601 in UTC with milliseconds, formatted by the query (see isoColumn). */
  created_at: string;
  updated_at: string;
}

/**
 * A timestamp column as the API's ISO 8601 text (UTC, milliseconds, truncated like a JavaScript Date). Formatting
 * in SQL spares every listed row two Date parses and two Date → string conversions in the request path.
 */
const isoColumn = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${column}`;

/**
 * The public view's columns, amounts as float8 (numeric(12, 3) and (14, 2) convert to the same double Number() makes
 * of their text): every value comes out of the driver already as the API writes it, and viewFromArray only places
 * the values, by position in this order.
 */
const VIEW_COLUMNS = `id, tracking_number, client_code, current_status, quantity, weight_kg::float8 as weight_kg, price_per_kg_usd::float8 as price_per_kg_usd, total_cost_usd::float8 as total_cost_usd, note, ${isoColumn('created_at')}, ${isoColumn('updated_at')}`;

/** A row of VIEW_COLUMNS read as an array (Database.queryArrays): one object literal, so always one shape. */
export const viewFromArray = (r: unknown[]): TrackingNumberView => ({
  id: r[0] as number,
  tracking_number: r[1] as string,
  client_code: r[2] as string,
  current_status: r[3] as Status,
  quantity: r[4] as number | null,
  weight_kg: r[5] as number | null,
  price_per_kg_usd: r[6] as number | null,
  total_cost_usd: r[7] as number | null,
  note: r[8] as string | null,
  created_at: r[9] as string,
  updated_at: r[10] as string,
});

/** A whole row: the view's columns and the owner's ids. */
export const TRACKING_COLUMNS = `bot_id, client_id, ${VIEW_COLUMNS}`;

/** A list's WHERE clause as plain SQL text with its parameters ($1 is always the bot). */
export interface ListFilter {
  readonly where: string;
  readonly params: unknown[];
  /** Which filters are present: one text per shape, so it names the shape's prepared statements. */
  readonly shape: string;
}

export function listFilter(botId: number, status?: Status, clientId?: number, trackingNumber?: string): ListFilter {
  const params: unknown[] = [botId];
  let where = 'bot_id = $1';
  let shape = 'bot';
  if (status !== undefined) {
    where += ` and current_status = $${params.push(status)}`;
    shape += '-status';
  }
  if (clientId !== undefined) {
    where += ` and client_id = $${params.push(clientId)}`;
    shape += '-client';
  }
  if (trackingNumber !== undefined) {
    // Served by the unique index (bot_id, tracking_number).
    where += ` and tracking_number = $${params.push(trackingNumber)}`;
    shape += '-number';
  }
  return { where, params, shape };
}

/** A statement with a fixed text per name (Database.query prepares it once per connection). */
export interface NamedStatement {
  readonly name: string;
  readonly text: string;
  readonly params: unknown[];
}

// The list endpoints' two statements, as text built once per call rather than through the query builder, and
// prepared: parsing and planning cost PostgreSQL more than running them (pgbench here: 5,400 → 8,500 page
// queries/s on one connection). The public list is the API's hottest path (docs/benchmarks.md), and the
// benchmark's bare route runs these same statements.
/** One page of tracking numbers, newest first, as API views. */
export function trackingPageQuery(filter: ListFilter, limit: number, offset: number): NamedStatement {
  const n = filter.params.length;
  return {
    name: `tracking-page-${filter.shape}`,
    text: `select ${VIEW_COLUMNS} from tracking_numbers where ${filter.where} order by id desc limit $${n + 1} offset $${n + 2}`,
    params: [...filter.params, limit, offset],
  };
}

/** The exact number of a bot's tracking numbers in `kinds` (statuses), from the counters kept by every write. */
export function countersTotalQuery(botId: number, kinds: readonly string[]): NamedStatement {
  return {
    name: 'tracking-counters-total',
    text: 'select sum(n)::bigint as n from tracking_counters where bot_id = $1 and kind = any($2::text[])',
    params: [botId, kinds],
  };
}

export const iso = (d: Date | string): string => new Date(d).toISOString();

export function trackingView(r: TrackingRow): TrackingNumberView {
  return {
    id: r.id,
    tracking_number: r.tracking_number,
    client_code: r.client_code,
    current_status: r.current_status,
    quantity: r.quantity,
    weight_kg: r.weight_kg,
    price_per_kg_usd: r.price_per_kg_usd,
    total_cost_usd: r.total_cost_usd,
    note: r.note,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

/**
 * Adds deltas to a bot's counters. One statement with the kinds sorted, so concurrent transactions always lock
 * counter rows in the same order and never deadlock each other.
 */
export async function bumpCounters(tx: DbExecutor, botId: number, deltas: Record<string, number>): Promise<void> {
  const entries = Object.entries(deltas)
    .filter(([, d]) => d !== 0)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  if (entries.length === 0) return;
  await rows(
    tx,
    sql`insert into tracking_counters (bot_id, kind, n)
        select ${botId}::bigint, k, d from unnest(${sql.param(entries.map(([k]) => k))}::text[], ${sql.param(entries.map(([, d]) => d))}::bigint[]) with ordinality as v(k, d, i) order by i
        on conflict (bot_id, kind) do update set n = tracking_counters.n + excluded.n`,
  );
}

/** Finds the bot's client by code or creates it; counts the new tracking number on the client. */
export async function upsertClientForNewNumber(
  tx: DbExecutor,
  botId: number,
  clientCode: string,
): Promise<{ id: number; created: boolean }> {
  const [row] = await rows<{ id: number; created: boolean }>(
    tx,
    sql`insert into tracking_clients (bot_id, client_code, tracking_count) values (${botId}, ${clientCode}, 1)
        on conflict (bot_id, client_code) do update set tracking_count = tracking_clients.tracking_count + 1
        returning id, (xmax = 0) as created`,
  );
  return row!;
}

export interface StatusChange {
  readonly row: TrackingRow;
  readonly to: Status;
  readonly source: 'api' | 'import' | 'admin';
  /** An operator correction's author and reason (history columns changed_by, reason). */
  readonly by?: string;
  readonly reason?: string;
}

/** Records a status move: the row, its history, the counters and one webhook delivery per active endpoint. */
export async function applyStatusChange(tx: DbExecutor, webhooks: WebhookService, change: StatusChange): Promise<TrackingRow> {
  const { row, to, source, by = null, reason = null } = change;
  const [updated] = await rows<TrackingRow>(
    tx,
    sql`update tracking_numbers set current_status = ${to}, updated_at = now() where id = ${row.id} returning ${sql.raw(TRACKING_COLUMNS)}`,
  );
  const [entry] = await rows<{ changed_at: Date }>(
    tx,
    sql`insert into tracking_status_history (bot_id, tracking_id, from_status, status, source, changed_by, reason)
        values (${row.bot_id}, ${row.id}, ${row.current_status}, ${to}, ${source}, ${by}, ${reason}) returning changed_at`,
  );
  await bumpCounters(tx, row.bot_id, { [row.current_status]: -1, [to]: 1 });
  await webhooks.enqueueStatusChange(tx, {
    botId: row.bot_id,
    tracking: trackingView(updated!),
    previousStatus: row.current_status,
    changedAt: iso(entry!.changed_at),
    source,
  });
  return updated!;
}

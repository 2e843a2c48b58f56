// Tracking numbers of one bot: create (client found by code or created), list with exact totals from the
// counters, read with history, update with the forward-only status machine. Knows nothing of HTTP.
import { sql } from 'drizzle-orm';
import type { Hub } from '../../platform/hub.js';
import { rows, type DbExecutor } from '../../platform/db/database.js';
import {
  MAX_TOTAL_COST_USD,
  UpdateTracking,
  type CreateTrackingInput,
  type TrackingNumberView,
  type UpdateTrackingInput,
} from './contract.js';
import { trackingError } from './errors.js';
import { allowedNext, canMove, STATUSES, STATUS_LABELS, type Status } from './statuses.js';
import {
  applyStatusChange,
  bumpCounters,
  countersTotalQuery,
  iso,
  listFilter,
  trackingPageQuery,
  trackingView,
  TRACKING_COLUMNS,
  upsertClientForNewNumber,
  viewFromArray,
  type ListFilter,
  type TrackingRow,
} from './store.js';
import type { WebhookService } from './webhooks.js';

export interface Paging {
  readonly page: number;
  readonly pageSize: number;
}

export interface HistoryView {
  status: Status;
  from_status: Status | null;
  source: string;
  changed_by: string | null;
  reason: string | null;
  changed_at: string;
}

export type TrackingDetailView = TrackingNumberView & { history: HistoryView[] };
export type Source = 'api' | 'import' | 'admin';

const COLS = sql.raw(TRACKING_COLUMNS);
// Decimal shift on the text: 10.5 × 14.29 is 150.04499… in binary floating point, and money rounds 150.045 up.
const round2 = (n: number) => {
  const shifted = Number(`${n.toPrecision(12)}e2`); // NaN when toPrecision chose exponent notation (tiny values)
  return Math.round(Number.isNaN(shifted) ? n * 100 : shifted) / 100;
};

/** total_cost_usd given, or weight × price per kg when both are known. */
export function costOf(input: Pick<CreateTrackingInput, 'total_cost_usd' | 'weight_kg' | 'price_per_kg_usd'>): number | null {
  if (input.total_cost_usd !== undefined && input.total_cost_usd !== null) return input.total_cost_usd;
  if (input.weight_kg != null && input.price_per_kg_usd != null) return round2(input.weight_kg * input.price_per_kg_usd);
  return null;
}

/** The computed total must fit total_cost_usd (each factor alone may be within its maximum, the product not). */
export function assertCostFits(input: Pick<CreateTrackingInput, 'total_cost_usd' | 'weight_kg' | 'price_per_kg_usd'>): void {
  const cost = costOf(input);
  if (cost !== null && cost > MAX_TOTAL_COST_USD)
    throw trackingError(
      'TOTAL_TOO_LARGE',
      `Стоимость ${input.weight_kg} × ${input.price_per_kg_usd} = ${cost} больше максимума ${MAX_TOTAL_COST_USD}; укажите total_cost_usd`,
    );
}

export function invalidTransition(from: Status, to: Status) {
  const allowed = allowedNext(from);
  const next = allowed.length ? `допустимо: ${allowed.join(', ')}` : 'статус окончательный';
  return trackingError(
    'INVALID_TRANSITION',
    `Нельзя перевести трек-номер из статуса ${from} (${STATUS_LABELS[from]}) в ${to} (${STATUS_LABELS[to]}); ${next}`,
    { current_status: from, allowed_statuses: allowed },
  );
}

export class TrackingService {
  constructor(
    private readonly hub: Hub,
    private readonly webhooks: WebhookService,
  ) {}

  async create(botId: number, input: CreateTrackingInput, source: Source = 'api'): Promise<TrackingNumberView> {
    assertCostFits(input);
    const row = await this.hub.db.transaction(async (tx) => {
      const created = await this.insert(tx, botId, input, source);
      if (!created) throw trackingError('DUPLICATE_TRACKING', `Трек-номер ${input.tracking_number} у этого бота уже есть`);
      return created;
    });
    return trackingView(row);
  }

  /** Inserts inside the caller's transaction; null when the number already exists for this bot. */
  async insert(tx: DbExecutor, botId: number, input: CreateTrackingInput, source: Source): Promise<TrackingRow | null> {
    const status = input.status ?? 'pending';
    const client = await upsertClientForNewNumber(tx, botId, input.client_code);
    const [row] = await rows<TrackingRow>(
      tx,
      sql`insert into tracking_numbers (bot_id, client_id, tracking_number, client_code, current_status, quantity, weight_kg, price_per_kg_usd, total_cost_usd, note)
          values (${botId}, ${client.id}, ${input.tracking_number}, ${input.client_code}, ${status}, ${input.quantity ?? null}, ${input.weight_kg ?? null},
                  ${input.price_per_kg_usd ?? null}, ${costOf(input)}, ${input.note ?? null})
          on conflict (bot_id, tracking_number) do nothing returning ${COLS}`,
    );
    if (!row) {
      // Undo the client's count (and the client itself if this call created it): the caller may go on in this
      // transaction (import) rather than roll it back.
      if (client.created) await rows(tx, sql`delete from tracking_clients where id = ${client.id}`);
      else await rows(tx, sql`update tracking_clients set tracking_count = tracking_count - 1 where id = ${client.id}`);
      return null;
    }
    await rows(
      tx,
      sql`insert into tracking_status_history (bot_id, tracking_id, from_status, status, source, changed_at) values (${botId}, ${row.id}, null, ${status}, ${source}, ${row.created_at})`,
    );
    await bumpCounters(tx, botId, { [status]: 1, clients: client.created ? 1 : 0 });
    return row;
  }

  async list(
    botId: number,
    q: Paging & { status?: Status; clientCode?: string; trackingNumber?: string },
  ): Promise<{ tracking_numbers: TrackingNumberView[]; total: number }> {
    let clientId: number | undefined;
    if (q.clientCode !== undefined) {
      const [client] = await this.hub.database.query<{ id: number }>(
        'select id from tracking_clients where bot_id = $1 and client_code = $2',
        [botId, q.clientCode],
      );
      if (!client) return { tracking_numbers: [], total: 0 };
      clientId = client.id;
    }
    const filter = listFilter(botId, q.status, clientId, q.trackingNumber);
    const offset = (q.page - 1) * q.pageSize;
    const page = trackingPageQuery(filter, q.pageSize, offset);
    const [items, total] = await Promise.all([
      this.hub.database.queryArrays(page.text, page.params, page.name),
      this.#total(botId, filter, q.status, clientId !== undefined || q.trackingNumber !== undefined),
    ]);
    return { tracking_numbers: items.map(viewFromArray), total };
  }

  /** Exact totals: the counters when unfiltered or filtered by status; a count over the narrowed rows otherwise. */
  async #total(botId: number, filter: ListFilter, status: Status | undefined, narrowed: boolean): Promise<number> {
    if (narrowed) {
      const [r] = await this.hub.database.query<{ n: number }>(
        `select count(*)::int as n from tracking_numbers where ${filter.where}`,
        filter.params,
        `tracking-count-${filter.shape}`,
      );
      return r!.n;
    }
    const total = countersTotalQuery(botId, status ? [status] : [...STATUSES]);
    const [r] = await this.hub.database.query<{ n: number | null }>(total.text, total.params, total.name);
    return Number(r?.n ?? 0);
  }

  async byClient(
    botId: number,
    clientCode: string,
    paging: Paging,
  ): Promise<{ client_code: string; tracking_numbers: TrackingNumberView[]; total: number }> {
    const [client] = await this.hub.database.query<{ id: number }>(
      'select id from tracking_clients where bot_id = $1 and client_code = $2',
      [botId, clientCode],
    );
    if (!client) throw trackingError('CLIENT_NOT_FOUND', `Клиент с кодом ${clientCode} не найден`);
    const page = await this.list(botId, { ...paging, clientCode });
    return { client_code: clientCode, ...page };
  }

  async get(botId: number, trackingId: number): Promise<TrackingDetailView> {
    const [row] = await rows<TrackingRow>(
      this.hub.db,
      sql`select ${COLS} from tracking_numbers where bot_id = ${botId} and id = ${trackingId}`,
    );
    if (!row) throw trackingError('TRACKING_NOT_FOUND');
    return this.#detail(this.hub.db, row);
  }

  async #detail(db: DbExecutor, row: TrackingRow): Promise<TrackingDetailView> {
    const history = await rows<Omit<HistoryView, 'changed_at'> & { changed_at: Date }>(
      db,
      sql`select status, from_status, source, changed_by, reason, changed_at from tracking_status_history where tracking_id = ${row.id} order by id`,
    );
    return { ...trackingView(row), history: history.map((h) => ({ ...h, changed_at: iso(h.changed_at) })) };
  }

  async update(botId: number, trackingId: number, input: UpdateTrackingInput, source: Source = 'api'): Promise<TrackingDetailView> {
    if (Object.keys(input).length === 0)
      throw trackingError(
        'EMPTY_UPDATE',
        `Пустое тело: укажите хотя бы одно из полей ${Object.keys(UpdateTracking.properties).join(', ')}`,
      );
    return this.hub.db.transaction(async (tx) => {
      const [row] = await rows<TrackingRow>(
        tx,
        sql`select ${COLS} from tracking_numbers where bot_id = ${botId} and id = ${trackingId} for update`,
      );
      if (!row) throw trackingError('TRACKING_NOT_FOUND');
      const updated = await this.applyUpdate(tx, row, input, source);
      return this.#detail(tx, updated);
    });
  }

  /**
   * An operator's correction: any status to any other, past the forward-only rule the public API keeps (a mistaken
   * `issued` or `cancelled` could otherwise be fixed only in the database). Recorded in the history as source
   * `admin` with who and why; webhooks and counters follow as for any move.
   */
  async correct(botId: number, trackingId: number, c: { status: Status; by: string; reason: string }): Promise<TrackingDetailView> {
    return this.hub.db.transaction(async (tx) => {
      const [row] = await rows<TrackingRow>(
        tx,
        sql`select ${COLS} from tracking_numbers where bot_id = ${botId} and id = ${trackingId} for update`,
      );
      if (!row) throw trackingError('TRACKING_NOT_FOUND');
      if (row.current_status === c.status) throw trackingError('CORRECTION_NO_CHANGE', `Трек-номер уже в статусе ${c.status}`);
      const updated = await applyStatusChange(tx, this.webhooks, { row, to: c.status, source: 'admin', by: c.by, reason: c.reason });
      return this.#detail(tx, updated);
    });
  }

  /** Field changes plus an optional status move on a locked row. Same status again is a no-op (PUT is idempotent). */
  async applyUpdate(tx: DbExecutor, row: TrackingRow, input: UpdateTrackingInput, source: Source): Promise<TrackingRow> {
    if (input.status && input.status !== row.current_status && !canMove(row.current_status, input.status))
      throw invalidTransition(row.current_status, input.status);
    const sets = [];
    if (input.quantity !== undefined) sets.push(sql`quantity = ${input.quantity}`);
    if (input.weight_kg !== undefined) sets.push(sql`weight_kg = ${input.weight_kg}`);
    if (input.price_per_kg_usd !== undefined) sets.push(sql`price_per_kg_usd = ${input.price_per_kg_usd}`);
    if (input.total_cost_usd !== undefined) sets.push(sql`total_cost_usd = ${input.total_cost_usd}`);
    if (input.note !== undefined) sets.push(sql`note = ${input.note}`);
    let current = row;
    if (sets.length) {
      const [r] = await rows<TrackingRow>(
        tx,
        sql`update tracking_numbers set ${sql.join(sets, sql`, `)}, updated_at = now() where id = ${row.id} returning ${COLS}`,
      );
      current = r!;
    }
    if (input.status && input.status !== row.current_status)
      current = await applyStatusChange(tx, this.webhooks, { row: current, to: input.status, source });
    return current;
  }
}

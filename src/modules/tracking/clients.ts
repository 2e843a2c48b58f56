// Clients of one bot (found by client_code, created with their first tracking number) and the bot's statistics.
import type { Hub } from '../../platform/hub.js';
import { trackingError } from './errors.js';
import { STATUSES, type Status } from './statuses.js';
import { iso } from './store.js';
import type { Paging } from './tracking.js';

interface ClientRow {
  id: number;
  client_code: string;
  tracking_count: number;
  created_at: Date;
}

export interface ClientView {
  id: number;
  client_code: string;
  tracking_numbers_count: number;
  created_at: string;
}

const view = (r: ClientRow): ClientView => ({
  id: r.id,
  client_code: r.client_code,
  tracking_numbers_count: r.tracking_count,
  created_at: iso(r.created_at),
});

export type Overview = { total_clients: number; total_tracking_numbers: number } & Record<Status, number>;

export class ClientService {
  constructor(private readonly hub: Hub) {}

  async list(botId: number, paging: Paging): Promise<{ clients: ClientView[]; total: number }> {
    const [items, counters] = await Promise.all([
      this.hub.database.query<ClientRow>(
        'select id, client_code, tracking_count, created_at from tracking_clients where bot_id = $1 order by id desc limit $2 offset $3',
        [botId, paging.pageSize, (paging.page - 1) * paging.pageSize],
      ),
      this.overview(botId),
    ]);
    return { clients: items.map(view), total: counters.total_clients };
  }

  async get(botId: number, clientId: number): Promise<ClientView> {
    const [row] = await this.hub.database.query<ClientRow>(
      'select id, client_code, tracking_count, created_at from tracking_clients where bot_id = $1 and id = $2',
      [botId, clientId],
    );
    if (!row) throw trackingError('CLIENT_NOT_FOUND');
    return view(row);
  }

  /** The seed's overview, read from the counters the write path keeps (no scan, whatever the bot's size). */
  async overview(botId: number): Promise<Overview> {
    const rows = await this.hub.database.query<{ kind: string; n: number }>('select kind, n from tracking_counters where bot_id = $1', [
      botId,
    ]);
    const n = new Map(rows.map((r) => [r.kind, Number(r.n)]));
    const byStatus = Object.fromEntries(STATUSES.map((s) => [s, n.get(s) ?? 0])) as Record<Status, number>;
    return {
      total_clients: n.get('clients') ?? 0,
      total_tracking_numbers: STATUSES.reduce((sum, s) => sum + byStatus[s], 0),
      ...byStatus,
    };
  }
}

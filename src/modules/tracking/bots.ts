// Bots are the tenants of the tracking API: one per cargo company (its Telegram bot). Managed by operators only.
import type { Hub } from '../../platform/hub.js';
import { trackingError } from './errors.js';
import { KEYS_GENERATION } from './keys.js';
import type { BotView } from './contract.js';

interface BotRow {
  id: number;
  name: string;
  username: string;
  is_active: boolean;
  subscription_status: string;
}

export interface NewBot {
  readonly id?: number;
  readonly name: string;
  readonly username?: string;
  readonly isActive?: boolean;
  readonly subscriptionStatus?: string;
}

export interface BotChanges {
  readonly name?: string;
  readonly username?: string;
  readonly isActive?: boolean;
  readonly subscriptionStatus?: string;
}

const COLUMNS = 'id, name, username, is_active, subscription_status';
const view = (r: BotRow): BotView => ({
  id: r.id,
  name: r.name,
  username: r.username,
  is_active: r.is_active,
  subscription_status: r.subscription_status,
});

export class BotService {
  constructor(private readonly hub: Hub) {}

  /** Creates a bot; an explicit id (the platform's own bot id) is kept, otherwise one is assigned. */
  async create(input: NewBot): Promise<BotView> {
    const values = [input.name, input.username ?? '', input.isActive ?? true, input.subscriptionStatus ?? 'active'];
    try {
      const [row] = input.id
        ? await this.hub.database.query<BotRow>(
            `insert into tracking_bots (id, name, username, is_active, subscription_status) values ($5, $1, $2, $3, $4) returning ${COLUMNS}`,
            [...values, input.id],
          )
        : await this.hub.database.query<BotRow>(
            `insert into tracking_bots (name, username, is_active, subscription_status) values ($1, $2, $3, $4) returning ${COLUMNS}`,
            values,
          );
      if (input.id) {
        // Keep the sequence ahead of explicit ids so later automatic ids never collide with them.
        await this.hub.database.query(
          `select setval(pg_get_serial_sequence('tracking_bots', 'id'), greatest((select max(id) from tracking_bots), 1))`,
        );
      }
      return view(row!);
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw trackingError('BOT_EXISTS');
      throw err;
    }
  }

  async get(id: number): Promise<BotView> {
    const [row] = await this.hub.database.query<BotRow>(`select ${COLUMNS} from tracking_bots where id = $1`, [id]);
    if (!row) throw trackingError('BOT_NOT_FOUND');
    return view(row);
  }

  async list(): Promise<BotView[]> {
    const rows = await this.hub.database.query<BotRow>(`select ${COLUMNS} from tracking_bots order by id`);
    return rows.map(view);
  }

  async update(id: number, changes: BotChanges): Promise<BotView> {
    const [row] = await this.hub.database.query<BotRow>(
      `update tracking_bots set name = coalesce($2, name), username = coalesce($3, username),
         is_active = coalesce($4, is_active), subscription_status = coalesce($5, subscription_status)
       where id = $1 returning ${COLUMNS}`,
      [id, changes.name ?? null, changes.username ?? null, changes.isActive ?? null, changes.subscriptionStatus ?? null],
    );
    if (!row) throw trackingError('BOT_NOT_FOUND');
    // A disabled bot refuses its keys: every instance's key cache must hear of it.
    await this.hub.rateLimiter.bump(KEYS_GENERATION);
    return view(row);
  }
}

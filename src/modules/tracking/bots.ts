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
  allowed_origins: string[];
}

/** The operator's view of a bot: the public one plus its allowed browser origins. */
export type AdminBotView = BotView & { allowed_origins: string[] };

/** How long a bot's allowed origins are reused by other processes than the one that changed them. */
export const ORIGINS_TTL_MS = 5_000;

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
  readonly allowedOrigins?: readonly string[];
}

const COLUMNS = 'id, name, username, is_active, subscription_status, allowed_origins';
const view = (r: BotRow): AdminBotView => ({
  id: r.id,
  name: r.name,
  username: r.username,
  is_active: r.is_active,
  subscription_status: r.subscription_status,
  allowed_origins: r.allowed_origins,
});

/** An origin as browsers send it: lower-case scheme and host, no trailing slash. */
export const normaliseOrigin = (o: string): string => o.replace(/\/+$/, '').toLowerCase();

export class BotService {
  readonly #origins = new Map<number, { origins: readonly string[]; at: number }>();

  constructor(private readonly hub: Hub) {}

  /**
   * The browser origins allowed for a bot's keys (CORS), read for every browser request that carries an Origin:
   * kept per process for ORIGINS_TTL_MS (a change through this process applies at once). Unknown bot: none.
   */
  async allowedOrigins(botId: number): Promise<readonly string[]> {
    const now = Date.now();
    const hit = this.#origins.get(botId);
    if (hit && now - hit.at < ORIGINS_TTL_MS) return hit.origins;
    const [row] = await this.hub.database.query<{ allowed_origins: string[] }>('select allowed_origins from tracking_bots where id = $1', [
      botId,
    ]);
    const origins = row?.allowed_origins ?? [];
    if (this.#origins.size > 10_000) this.#origins.clear();
    this.#origins.set(botId, { origins, at: now });
    return origins;
  }

  /** Creates a bot; an explicit id (the platform's own bot id) is kept, otherwise one is assigned. */
  async create(input: NewBot): Promise<AdminBotView> {
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

  async get(id: number): Promise<AdminBotView> {
    const [row] = await this.hub.database.query<BotRow>(`select ${COLUMNS} from tracking_bots where id = $1`, [id]);
    if (!row) throw trackingError('BOT_NOT_FOUND');
    return view(row);
  }

  async list(): Promise<AdminBotView[]> {
    const rows = await this.hub.database.query<BotRow>(`select ${COLUMNS} from tracking_bots order by id`);
    return rows.map(view);
  }

  async update(id: number, changes: BotChanges): Promise<AdminBotView> {
    const [row] = await this.hub.database.query<BotRow>(
      `update tracking_bots set name = coalesce($2, name), username = coalesce($3, username),
         is_active = coalesce($4, is_active), subscription_status = coalesce($5, subscription_status),
         allowed_origins = coalesce($6::text[], allowed_origins)
       where id = $1 returning ${COLUMNS}`,
      [
        id,
        changes.name ?? null,
        changes.username ?? null,
        changes.isActive ?? null,
        changes.subscriptionStatus ?? null,
        changes.allowedOrigins ? [...new Set(changes.allowedOrigins.map(normaliseOrigin))] : null,
      ],
    );
    if (!row) throw trackingError('BOT_NOT_FOUND');
    this.#origins.delete(id);
    // A disabled bot refuses its keys: every instance's key cache must hear of it.
    await this.hub.rateLimiter.bump(KEYS_GENERATION);
    return view(row);
  }
}

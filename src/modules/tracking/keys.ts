// API keys (the seed's "безопасная система ключей"): `tb_` + 32 characters of [A-Za-z0-9] from the CSPRNG.
// Only the SHA-256 of a key is stored (keys carry ~190 bits of entropy, so a fast hash is enough and keeps
// verification at microseconds per request) plus an 8-character display prefix. Requests find keys through
// KeyCache; every change that can refuse a key bumps KEYS_GENERATION, so every instance re-reads it at once.
import { randomBytes } from 'node:crypto';
import type { Hub } from '../../platform/hub.js';
import { sha256Hex } from '../../platform/security/secrets.js';
import { trackingError } from './errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Keys this hub issues: `tb_` + 32 alphanumerics. */
export const ISSUED_KEY_PATTERN = /^tb_[A-Za-z0-9]{32}$/;
/**
 * Keys this hub accepts: its own, and keys imported from a previous system of the same family (`tb_` + 16–128 of
 * A–Z a–z 0–9 _ -). Anything else is refused before any lookup.
 */
export const KEY_PATTERN = /^tb_[A-Za-z0-9_-]{16,128}$/;
/** The shared generation of key identities (see KeyCache): replaced after every revocation, limit or bot change. */
export const KEYS_GENERATION = 'tracking:keys';

/** Why a revocation answer carries a warning (docs/operations.md, Outages). */
export const REVOKE_DEFERRED =
  'Revoked and stored. The shared rate-limit store is unreachable from this process, so the change is announced when it ' +
  'answers again (automatically). Until then, processes that cannot reach it either check keys in the database and ' +
  'refuse this one already; a process that still reaches it may accept the key from its cache for up to 60 s.';

/** `tb_` + 32 uniformly random alphanumerics (rejection sampling: no modulo bias). */
export function generateApiKey(): string {
  let out = 'tb_';
  while (out.length < 35) {
    for (const byte of randomBytes(48)) {
      if (byte >= 248) continue; // 248 = 4 × 62: keeps every character equally likely
      out += ALPHABET[byte % 62];
      if (out.length === 35) break;
    }
  }
  return out;
}

export const hashApiKey = (key: string): string => sha256Hex(key);
export const displayPrefix = (key: string): string => key.slice(0, 8);

export type KeyScope = 'read' | 'write';
export type KeyOrigin = 'generated' | 'imported';

export interface ApiKeyView {
  id: number;
  bot_id: number;
  name: string;
  prefix: string;
  rate_limit_per_minute: number;
  scope: KeyScope;
  origin: KeyOrigin;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface CreatedKey extends ApiKeyView {
  /** The full key: returned once, never stored. */
  key: string;
}

/** What a request needs to know about its key; null when missing, unknown or revoked. */
export interface KeyIdentity {
  readonly keyId: number;
  readonly botId: number;
  readonly botActive: boolean;
  readonly rateLimitPerMinute: number;
  /** `read` keys may only GET (the gate answers 403 to anything else). */
  readonly scope: KeyScope;
}

interface KeyRow {
  id: number;
  bot_id: number;
  name: string;
  prefix: string;
  rate_limit_per_minute: number;
  scope: KeyScope;
  origin: KeyOrigin;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const COLUMNS = 'id, bot_id, name, prefix, rate_limit_per_minute, scope, origin, created_at, revoked_at, last_used_at';
const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);
const view = (r: KeyRow): ApiKeyView => ({
  id: r.id,
  bot_id: r.bot_id,
  name: r.name,
  prefix: r.prefix,
  rate_limit_per_minute: r.rate_limit_per_minute,
  scope: r.scope,
  origin: r.origin,
  created_at: iso(r.created_at)!,
  revoked_at: iso(r.revoked_at),
  last_used_at: iso(r.last_used_at),
});

export interface KeyOptions {
  readonly name?: string;
  readonly rateLimitPerMinute?: number;
  readonly scope?: KeyScope;
}

/** Per hub (one process): who hears of each key stored through any KeyService of it (the key cache). */
const createdListeners = new WeakMap<Hub, Set<(hash: string) => void>>();

/** Calls `listener` with the hash of every key stored in this process from now on. */
export function onKeyCreated(hub: Hub, listener: (hash: string) => void): void {
  const set = createdListeners.get(hub) ?? new Set();
  set.add(listener);
  createdListeners.set(hub, set);
}

export class KeyService {
  constructor(
    private readonly hub: Hub,
    /** TRACKING_RATE_LIMIT_PER_MINUTE: a new key's limit when none is given. */
    private readonly defaultRateLimitPerMinute: number,
  ) {}

  async create(botId: number, opts: KeyOptions = {}): Promise<CreatedKey> {
    return this.store(botId, generateApiKey(), opts);
  }

  /** Stores a key whose plaintext the caller already holds (tests provisioning a second instance). */
  async store(botId: number, key: string, opts: KeyOptions = {}): Promise<CreatedKey> {
    const row = await this.insertHashed(botId, hashApiKey(key), displayPrefix(key), opts);
    return { ...row, key };
  }

  /**
   * Stores a key known only by its SHA-256 (hex) and display prefix: keys imported from a previous system keep
   * working unchanged. A hash already stored is a 409 (KEY_EXISTS).
   */
  async insertHashed(
    botId: number,
    hash: string,
    prefix: string,
    opts: KeyOptions = {},
    origin: KeyOrigin = 'generated',
  ): Promise<ApiKeyView> {
    const [bot] = await this.hub.database.query('select 1 from tracking_bots where id = $1', [botId]);
    if (!bot) throw trackingError('BOT_NOT_FOUND');
    const [row] = await this.hub.database.query<KeyRow>(
      `insert into tracking_api_keys (bot_id, name, key_hash, prefix, rate_limit_per_minute, scope, origin) values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (key_hash) do nothing returning ${COLUMNS}`,
      [botId, opts.name ?? '', hash, prefix, opts.rateLimitPerMinute ?? this.defaultRateLimitPerMinute, opts.scope ?? 'write', origin],
    );
    if (!row) throw trackingError('KEY_EXISTS');
    // A negative cache entry for this key (only possible when its plaintext was known before) must go at once.
    for (const listener of createdListeners.get(this.hub) ?? []) listener(hash);
    return view(row);
  }

  async list(botId: number): Promise<ApiKeyView[]> {
    const rows = await this.hub.database.query<KeyRow>(`select ${COLUMNS} from tracking_api_keys where bot_id = $1 order by id`, [botId]);
    return rows.map(view);
  }

  async get(id: number): Promise<ApiKeyView> {
    const [row] = await this.hub.database.query<KeyRow>(`select ${COLUMNS} from tracking_api_keys where id = $1`, [id]);
    if (!row) throw trackingError('KEY_NOT_FOUND');
    return view(row);
  }

  /**
   * Revokes a key: committed in the database first, then announced through the keys generation. The announcement
   * cannot fail the revocation: when the shared store (Redis) is unreachable, it is written as soon as the store is
   * back, and the answer says so (`warning`) instead of claiming an error for a revocation that took effect.
   */
  async revoke(id: number): Promise<ApiKeyView & { warning?: string }> {
    const [row] = await this.hub.database.query<KeyRow>(
      `update tracking_api_keys set revoked_at = now() where id = $1 and revoked_at is null returning ${COLUMNS}`,
      [id],
    );
    if (!row) await this.get(id); // 404 when it does not exist
    // Announced on the "already revoked" answer too: a retry reaches every instance whatever happened before.
    const { deferred } = await this.hub.rateLimiter.publish(KEYS_GENERATION);
    if (!row) throw trackingError('KEY_REVOKED');
    return deferred ? { ...view(row), warning: REVOKE_DEFERRED } : view(row);
  }

  async setRateLimit(id: number, perMinute: number): Promise<ApiKeyView> {
    const [row] = await this.hub.database.query<KeyRow>(
      `update tracking_api_keys set rate_limit_per_minute = $2 where id = $1 returning ${COLUMNS}`,
      [id, perMinute],
    );
    if (!row) throw trackingError('KEY_NOT_FOUND');
    await this.hub.rateLimiter.bump(KEYS_GENERATION);
    return view(row);
  }

  /** One indexed read by key hash, joined with the bot's active flag (KeyCache calls it on a miss or a change). */
  async identifyHash(hash: string): Promise<KeyIdentity | null> {
    const [row] = await this.hub.database.query<{
      id: number;
      bot_id: number;
      is_active: boolean;
      rate_limit_per_minute: number;
      scope: KeyScope;
    }>(
      `select k.id, k.bot_id, k.rate_limit_per_minute, k.scope, b.is_active
         from tracking_api_keys k join tracking_bots b on b.id = k.bot_id
        where k.key_hash = $1 and k.revoked_at is null`,
      [hash],
    );
    return row
      ? { keyId: row.id, botId: row.bot_id, botActive: row.is_active, rateLimitPerMinute: row.rate_limit_per_minute, scope: row.scope }
      : null;
  }
}

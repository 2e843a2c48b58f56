// Integration secrets: one per amoCRM account, 1C's HTTP Basic password (the user is the account id). The seed's
// `key` alone is guessable, so every call also proves the secret. Sealed with hub.secrets (AES-GCM bound to the
// row) rather than hashed, because the operator must be able to show it again when setting up another 1C base.
import type { Hub } from '../../platform/hub.js';
import { randomToken, safeEqual } from '../../platform/security/secrets.js';
import { onecError } from './errors.js';

export interface ShownSecret {
  readonly key: string;
  readonly secret: string;
  readonly created_at: string;
  readonly rotated_at: string | null;
}

interface Row {
  secret_sealed: string;
  created_at: Date | string;
  rotated_at: Date | string | null;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
const context = (key: string) => `onec_sync_secrets:${key}`;

/** The state of an account's amoCRM connection (amo-account.ts); `unknown`: never connected to this hub. */
export type AccountStatus = 'active' | 'needs_reauth' | 'disconnected' | 'unknown';
export interface AccountCheck {
  status(key: string): Promise<AccountStatus>;
}

export class SecretService {
  /** Without `accounts` (a command run without connectors) no connection is required. */
  constructor(
    private readonly hub: Hub,
    private readonly accounts?: AccountCheck,
  ) {}

  /**
   * A new secret for an account that has none (SECRET_EXISTS otherwise: rotating is a deliberate act). The account
   * must be connected first: a secret for an account the hub cannot reach would let 1C sync into nothing.
   */
  async create(key: string): Promise<ShownSecret> {
    await this.assertConnected(key);
    const secret = randomToken(24);
    const rows = await this.hub.database.query<Row>(
      `insert into onec_sync_secrets (account_key, secret_sealed) values ($1, $2)
       on conflict (account_key) do nothing returning secret_sealed, created_at, rotated_at`,
      [key, this.hub.secrets.encrypt(secret, context(key))],
    );
    if (!rows[0]) throw onecError('SECRET_EXISTS');
    return this.#shown(key, rows[0]);
  }

  /** Replaces the secret: the old one stops working at the next call. */
  async rotate(key: string): Promise<ShownSecret> {
    const secret = randomToken(24);
    const [row] = await this.hub.database.query<Row>(
      `update onec_sync_secrets set secret_sealed = $2, rotated_at = now() where account_key = $1
       returning secret_sealed, created_at, rotated_at`,
      [key, this.hub.secrets.encrypt(secret, context(key))],
    );
    if (!row) throw onecError('SECRET_NOT_FOUND');
    return this.#shown(key, row);
  }

  async show(key: string): Promise<ShownSecret> {
    const row = await this.#row(key);
    if (!row) throw onecError('SECRET_NOT_FOUND');
    return this.#shown(key, row);
  }

  /** True when `secret` is the account's current one (an account without a secret accepts nothing). */
  async verify(key: string, secret: string): Promise<boolean> {
    const row = await this.#row(key);
    return row !== undefined && safeEqual(this.hub.secrets.decrypt(row.secret_sealed, context(key)), secret);
  }

  /** ACCOUNT_NOT_CONNECTED (never connected) or ACCOUNT_DISCONNECTED unless the account's connection is active. */
  async assertConnected(key: string): Promise<void> {
    const status = (await this.accounts?.status(key)) ?? 'active';
    if (status === 'unknown') throw onecError('ACCOUNT_NOT_CONNECTED');
    if (status !== 'active')
      throw onecError(
        'ACCOUNT_DISCONNECTED',
        status === 'needs_reauth'
          ? 'Доступ к аккаунту amoCRM отозван или истёк: подключите аккаунт заново'
          : 'Аккаунт amoCRM отключён от интеграции: подключите его заново',
      );
  }

  async #row(key: string): Promise<Row | undefined> {
    const [row] = await this.hub.database.query<Row>(
      'select secret_sealed, created_at, rotated_at from onec_sync_secrets where account_key = $1',
      [key],
    );
    return row;
  }

  #shown(key: string, row: Row): ShownSecret {
    return {
      key,
      secret: this.hub.secrets.decrypt(row.secret_sealed, context(key)),
      created_at: iso(row.created_at)!,
      rotated_at: iso(row.rotated_at),
    };
  }
}

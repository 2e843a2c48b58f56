// Source tokens: one per calling system (alta, ved-sklad, lab, 1c, amocrm) of each amoCRM account the module
// serves (the token names the account, so a caller reaches its own deals only), `hc_` + 32 characters of base64url
// (192 bits from the CSPRNG). Only the SHA-256 is stored, as tracking stores its API keys — the token is shown once,
// at create or rotate, and a lost one is rotated. A token names its source: the gate looks it up by hash and lets
// it in only where that source may call.
import type { Hub } from '../../platform/hub.js';
import { randomToken, sha256Hex } from '../../platform/security/secrets.js';
import type { Source } from './contract.js';
import { customsError } from './errors.js';

export const TOKEN_PATTERN = /^hc_[A-Za-z0-9_-]{32}$/;
export const generateToken = (): string => `hc_${randomToken(24)}`;
export const hashToken = (token: string): string => sha256Hex(token);
const displayPrefix = (token: string): string => token.slice(0, 8);

export interface TokenView {
  account_id: number;
  source: Source;
  prefix: string;
  created_at: string;
  rotated_at: string | null;
}

export interface ShownToken extends TokenView {
  /** The token itself: returned once, never stored. */
  token: string;
}

interface Row {
  amo_account_id: number | string;
  source: Source;
  prefix: string;
  created_at: Date | string;
  rotated_at: Date | string | null;
}

const COLUMNS = 'amo_account_id, source, prefix, created_at, rotated_at';
const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
const view = (r: Row): TokenView => ({
  account_id: Number(r.amo_account_id),
  source: r.source,
  prefix: r.prefix,
  created_at: iso(r.created_at)!,
  rotated_at: iso(r.rotated_at),
});

/** Who a token lets in: a source of one amoCRM account. */
export interface Caller {
  readonly accountId: number;
  readonly source: Source;
}

export class TokenService {
  constructor(private readonly hub: Hub) {}

  /** A token for a source of the account that has none (TOKEN_EXISTS otherwise: replacing one is a deliberate rotate). */
  async create(accountId: number, source: Source): Promise<ShownToken> {
    const token = generateToken();
    const [row] = await this.hub.database.query<Row>(
      `insert into customs_tokens (amo_account_id, source, token_hash, prefix) values ($1, $2, $3, $4)
       on conflict (amo_account_id, source) do nothing returning ${COLUMNS}`,
      [accountId, source, hashToken(token), displayPrefix(token)],
    );
    if (!row) throw customsError('TOKEN_EXISTS');
    return { ...view(row), token };
  }

  /** Replaces the source's token: the old one is refused from the next request on. */
  async rotate(accountId: number, source: Source): Promise<ShownToken> {
    const token = generateToken();
    const [row] = await this.hub.database.query<Row>(
      `update customs_tokens set token_hash = $3, prefix = $4, rotated_at = now()
       where amo_account_id = $1 and source = $2 returning ${COLUMNS}`,
      [accountId, source, hashToken(token), displayPrefix(token)],
    );
    if (!row) throw customsError('TOKEN_NOT_FOUND');
    return { ...view(row), token };
  }

  async revoke(accountId: number, source: Source): Promise<TokenView> {
    const [row] = await this.hub.database.query<Row>(
      `delete from customs_tokens where amo_account_id = $1 and source = $2 returning ${COLUMNS}`,
      [accountId, source],
    );
    if (!row) throw customsError('TOKEN_NOT_FOUND');
    return view(row);
  }

  async list(filter: { accountId?: number; source?: Source } = {}): Promise<TokenView[]> {
    const rows = await this.hub.database.query<Row>(
      `select ${COLUMNS} from customs_tokens where ($1::bigint is null or amo_account_id = $1) and ($2::text is null or source = $2)
       order by amo_account_id, source`,
      [filter.accountId ?? null, filter.source ?? null],
    );
    return rows.map(view);
  }

  /** The account and source a token belongs to; null when it is malformed or unknown (one indexed read by hash). */
  async identify(token: string): Promise<Caller | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const [row] = await this.hub.database.query<{ amo_account_id: number | string; source: Source }>(
      'select amo_account_id, source from customs_tokens where token_hash = $1',
      [hashToken(token)],
      'customs_token_identify',
    );
    return row ? { accountId: Number(row.amo_account_id), source: row.source } : null;
  }
}

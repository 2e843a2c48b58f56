// OAuth 2.0 with amoCRM: consent states, code exchange, and token refresh that happens once per account across
// every process. amoCRM refresh tokens rotate and a reused one revokes the connection, so a refresh runs only
// while holding the account's row lock (SELECT … FOR UPDATE) and re-reads the row first: if another process
// refreshed meanwhile, its tokens are used instead of refreshing again.
import { eq, lt, sql } from 'drizzle-orm';
import type { Hub } from '../../platform/hub.js';
import type { DbExecutor } from '../../platform/db/database.js';
import type { PartnerTransport } from '../../platform/outbound/transport.js';
import { randomToken, sha256Hex } from '../../platform/security/secrets.js';
import { AmoError } from './errors.js';
import { AMO_FACTS } from './facts.js';
import { amoAccounts, amoOauthStates } from './schema.js';
import type { AmoSettings } from './settings.js';

export type AccountRow = typeof amoAccounts.$inferSelect;

export interface TokenSet {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresAt: Date;
}

/** What an API call needs: where to send it and the bearer token. */
export interface CallCredentials {
  readonly subdomain: string;
  readonly baseUrl: string;
  readonly accessToken: string;
  readonly pausedUntil: Date | null;
}

const tokenContext = (amoAccountId: number, kind: 'access' | 'refresh') => `amo_accounts:${amoAccountId}:${kind}`;

export class AmoTokens {
  constructor(
    private readonly hub: Hub,
    private readonly settings: AmoSettings,
    /** Token calls go out under the amoCRM OAuth policy (policy.ts). */
    private readonly http: PartnerTransport<number, undefined, Error>,
    private readonly now: () => number,
    /** Books a pacing slot for the account before a token call (the token endpoint is on the account's host). */
    private readonly pace: (amoAccountId: number) => Promise<() => void>,
  ) {}

  get clientId(): string {
    const id = this.settings.clientId;
    if (!id || !this.settings.clientSecret) throw new AmoError('NOT_CONFIGURED');
    return id;
  }

  get clientSecret(): string {
    const secret = this.settings.clientSecret;
    if (!secret) throw new AmoError('NOT_CONFIGURED');
    return secret;
  }

  baseUrl(subdomain: string): string {
    return this.settings.baseUrlTemplate.replace('{subdomain}', subdomain).replace(/\/+$/, '');
  }

  // ---------- consent states ----------

  async createState(owner: string): Promise<string> {
    const state = randomToken(24);
    const now = new Date(this.now());
    await this.hub.db.delete(amoOauthStates).where(lt(amoOauthStates.expiresAt, now));
    await this.hub.db
      .insert(amoOauthStates)
      .values({ stateHash: sha256Hex(state), owner, expiresAt: new Date(this.now() + AMO_FACTS.stateTtlMs) });
    return state;
  }

  /** Single use: the row is deleted whatever happens next. Returns the owner the state was issued to. */
  async consumeState(state: string | undefined): Promise<string> {
    if (!state) throw new AmoError('INVALID_STATE', 'The amoCRM redirect carries no state');
    const [row] = await this.hub.db
      .delete(amoOauthStates)
      .where(eq(amoOauthStates.stateHash, sha256Hex(state)))
      .returning();
    if (!row) throw new AmoError('INVALID_STATE');
    if (row.expiresAt.getTime() < this.now())
      throw new AmoError('INVALID_STATE', 'The authorisation state has expired; start connecting again');
    return row.owner;
  }

  // ---------- token endpoint ----------

  async exchangeCode(subdomain: string, code: string): Promise<TokenSet> {
    const res = await this.#tokenCall(subdomain, { grant_type: 'authorization_code', code });
    if (res.ok) return res.tokens;
    throw new AmoError('EXCHANGE_FAILED', `amoCRM refused the authorisation code (${res.status}${res.hint ? `: ${res.hint}` : ''})`, {
      retryable: res.status === undefined || res.status >= 500,
    });
  }

  async #tokenCall(
    subdomain: string,
    grant: { grant_type: 'authorization_code'; code: string } | { grant_type: 'refresh_token'; refresh_token: string },
  ): Promise<
    { ok: true; tokens: TokenSet } | { ok: false; status: number | undefined; hint: string; revoked: boolean; badClient: boolean }
  > {
    let res;
    try {
      res = await this.http.request({
        method: 'POST',
        url: `${this.baseUrl(subdomain)}/oauth2/access_token`,
        json: { client_id: this.clientId, client_secret: this.clientSecret, redirect_uri: this.settings.redirectUri, ...grant },
        kind: 'none',
        anyStatus: true,
      });
    } catch (err) {
      return { ok: false, status: undefined, hint: (err as Error).message, revoked: false, badClient: false };
    }
    if (res.status >= 200 && res.status < 300) {
      const body = safeJson(res.text) as { access_token?: string; refresh_token?: string; expires_in?: number } | undefined;
      if (!body?.access_token || !body.refresh_token)
        return { ok: false, status: res.status, hint: 'token response without tokens', revoked: false, badClient: false };
      return {
        ok: true,
        tokens: {
          accessToken: body.access_token,
          refreshToken: body.refresh_token,
          expiresAt: new Date(this.now() + (body.expires_in ?? 86_400) * 1000),
        },
      };
    }
    const problem = (safeJson(res.text) ?? {}) as { hint?: string; title?: string; detail?: string; error?: string };
    const hint = [problem.hint, problem.title, problem.detail, problem.error].filter(Boolean).join(' / ').slice(0, 300);
    const badClient = /клиент|client/i.test(problem.title ?? '') && !AMO_FACTS.revokedHint.test(problem.hint ?? '');
    const revoked =
      !badClient && (res.status === 400 || res.status === 401) && (AMO_FACTS.revokedHint.test(hint) || /invalid_grant|expired/i.test(hint));
    return { ok: false, status: res.status, hint, revoked, badClient };
  }

  // ---------- stored tokens ----------

  seal(amoAccountId: number, tokens: TokenSet) {
    return {
      accessTokenEnc: this.hub.secrets.encrypt(tokens.accessToken, tokenContext(amoAccountId, 'access')),
      refreshTokenEnc: this.hub.secrets.encrypt(tokens.refreshToken, tokenContext(amoAccountId, 'refresh')),
      accessExpiresAt: tokens.expiresAt,
    };
  }

  async loadRow(amoAccountId: number, db: DbExecutor = this.hub.db): Promise<AccountRow | undefined> {
    const [row] = await db.select().from(amoAccounts).where(eq(amoAccounts.amoAccountId, amoAccountId));
    return row;
  }

  /** Credentials for one call; refreshes first when the access token is about to expire. */
  async credentials(amoAccountId: number): Promise<CallCredentials> {
    const row = usable(await this.loadRow(amoAccountId), amoAccountId);
    if (row.accessExpiresAt && row.accessExpiresAt.getTime() - AMO_FACTS.refreshMarginMs > this.now()) return this.#creds(row);
    return this.#refreshLocked(
      amoAccountId,
      (locked) => !locked.accessExpiresAt || locked.accessExpiresAt.getTime() - AMO_FACTS.refreshMarginMs <= this.now(),
    );
  }

  /** amoCRM answered 401 to `rejectedToken`: refresh unless another process already replaced that token. */
  async afterUnauthorized(amoAccountId: number, rejectedToken: string): Promise<CallCredentials> {
    return this.#refreshLocked(amoAccountId, (locked) => this.#open(locked, 'access') === rejectedToken);
  }

  /**
   * Refreshes when `stillNeeded` holds for the locked row (the refresh job and operators); answers whether it did.
   * Throws like any refresh (NEEDS_REAUTH once amoCRM refuses the refresh token).
   */
  async refreshIf(amoAccountId: number, stillNeeded: (row: AccountRow) => boolean): Promise<boolean> {
    let did = false;
    await this.#refreshLocked(amoAccountId, (row) => (did = stillNeeded(row)));
    return did;
  }

  async #refreshLocked(amoAccountId: number, stillNeeded: (row: AccountRow) => boolean): Promise<CallCredentials> {
    const done = await this.pace(amoAccountId);
    type Outcome =
      { creds: CallCredentials } | { revoked: string } | { failed: { status: number | undefined; hint: string; badClient: boolean } };
    const outcome = await this.hub.db
      .transaction(async (tx): Promise<Outcome> => {
        const [locked] = await tx.select().from(amoAccounts).where(eq(amoAccounts.amoAccountId, amoAccountId)).for('update');
        const row = usable(locked, amoAccountId);
        if (!stillNeeded(row)) {
          done();
          return { creds: this.#creds(row) };
        }
        const res = await this.#tokenCall(row.subdomain, {
          grant_type: 'refresh_token',
          refresh_token: this.#open(row, 'refresh'),
        }).finally(done);
        if (res.ok) {
          const [updated] = await tx
            .update(amoAccounts)
            .set({
              ...this.seal(amoAccountId, res.tokens),
              tokenVersion: sql`${amoAccounts.tokenVersion} + 1`,
              tokensRefreshedAt: new Date(this.now()),
              lastError: null,
              updatedAt: new Date(),
            })
            .where(eq(amoAccounts.amoAccountId, amoAccountId))
            .returning();
          return { creds: this.#creds(updated!) };
        }
        if (res.revoked) {
          // The connection is gone for good: only the amoCRM user can grant access again.
          await tx
            .update(amoAccounts)
            .set({
              status: 'needs_reauth',
              accessTokenEnc: null,
              refreshTokenEnc: null,
              lastError: `refresh refused: ${res.hint}`,
              updatedAt: new Date(),
            })
            .where(eq(amoAccounts.amoAccountId, amoAccountId));
          return { revoked: res.hint };
        }
        return { failed: res };
      })
      .finally(done);
    if ('creds' in outcome) return outcome.creds;
    if ('revoked' in outcome) {
      this.hub.log.error({ amoAccountId, hint: outcome.revoked }, 'amoCRM refresh token revoked; the account must be connected again');
      this.hub.metrics.alerts.inc({ kind: 'reauth_needed', partner: 'amocrm' });
      throw new AmoError('NEEDS_REAUTH', `amoCRM revoked access for account ${amoAccountId}; connect it again`);
    }
    const f = outcome.failed;
    this.hub.log.warn({ amoAccountId, status: f.status, hint: f.hint }, 'amoCRM token refresh failed');
    if (f.badClient)
      throw new AmoError('NOT_CONFIGURED', 'amoCRM rejected the integration credentials (AMO_CLIENT_ID / AMO_CLIENT_SECRET)', {
        retryable: false,
      });
    // Network errors and 5xx: the old refresh token stays valid (amoCRM's rotation grace), so a later retry works.
    throw new AmoError('UNAVAILABLE', `amoCRM token refresh failed (${f.status ?? 'no response'})`, { retryable: true });
  }

  #open(row: AccountRow, kind: 'access' | 'refresh'): string {
    const sealed = kind === 'access' ? row.accessTokenEnc : row.refreshTokenEnc;
    if (!sealed) throw new AmoError('NOT_CONNECTED');
    return this.hub.secrets.decrypt(sealed, tokenContext(row.amoAccountId, kind));
  }

  #creds(row: AccountRow): CallCredentials {
    return {
      subdomain: row.subdomain,
      baseUrl: this.baseUrl(row.subdomain),
      accessToken: this.#open(row, 'access'),
      pausedUntil: row.pausedUntil,
    };
  }

  /** Wipes the tokens (amoCRM or we disconnected). */
  async wipe(amoAccountId: number, status: 'disconnected' | 'needs_reauth', reason: string): Promise<boolean> {
    const updated = await this.hub.db
      .update(amoAccounts)
      .set({ status, accessTokenEnc: null, refreshTokenEnc: null, accessExpiresAt: null, lastError: reason, updatedAt: new Date() })
      .where(eq(amoAccounts.amoAccountId, amoAccountId))
      .returning({ id: amoAccounts.amoAccountId });
    return updated.length > 0;
  }

  /** Every process stops calling this account until `until` (429 retry_after, 403 block). */
  async pause(amoAccountId: number, until: Date): Promise<void> {
    const at = until.toISOString();
    await this.hub.db
      .update(amoAccounts)
      .set({ pausedUntil: sql`greatest(coalesce(${amoAccounts.pausedUntil}, ${at}::timestamptz), ${at}::timestamptz)` })
      .where(eq(amoAccounts.amoAccountId, amoAccountId));
  }
}

function usable(row: AccountRow | undefined, amoAccountId: number): AccountRow {
  if (!row || row.status === 'disconnected') throw new AmoError('NOT_CONNECTED', `amoCRM account ${amoAccountId} is not connected`);
  if (row.status === 'needs_reauth')
    throw new AmoError('NEEDS_REAUTH', `amoCRM revoked access for account ${amoAccountId}; connect it again`);
  return row;
}

export function safeJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

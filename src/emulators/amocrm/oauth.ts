// amoCRM OAuth 2.0: authorisation codes, JWT access tokens, rotating refresh tokens with the documented grace
// period, long-lived tokens and revocation. Every expiry reads the emulated clock.
import { createSign, generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import type { EmulatorClock } from '../kit/index.js';
import { oauthProblem, unauthorized, AmoProblem } from './problem.js';
import type { AccountState, EmulatorStore, Integration } from './store.js';

export interface OAuthOptions {
  /** Authorisation code lifetime (amoCRM: 20 minutes). */
  codeTtlSeconds: number;
  /** Codes work once (standard OAuth; amoCRM docs do not say it). */
  singleUseCodes: boolean;
  accessTtlSeconds: number;
  /** amoCRM: 3 months without a refresh and access is lost. */
  refreshTtlSeconds: number;
  /**
   * `lenient` (documented): after a refresh the previous refresh token keeps working until the new pair is first
   * used (its access token on the API, or its refresh token). `strict`: the previous one dies at once.
   */
  rotation: 'lenient' | 'strict';
}

export const DEFAULT_OAUTH: OAuthOptions = {
  codeTtlSeconds: 20 * 60,
  singleUseCodes: true,
  accessTtlSeconds: 86_400,
  refreshTtlSeconds: 90 * 86_400,
  rotation: 'lenient',
};

interface AuthCode {
  accountId: number;
  clientId: string;
  userId: number;
  expiresAt: number;
  used: boolean;
}

/** One issued access+refresh pair (a long-lived token has no refresh). */
interface Grant {
  accountId: number;
  clientId: string;
  userId: number;
  accessToken: string;
  accessExpiresAt: number;
  /** When it was issued (seconds): its answer's `expires_in` and `server_time` are counted from this instant. */
  issuedAt: number;
  refreshToken: string | null;
  refreshExpiresAt: number;
  revoked: boolean;
  /** The refresh token this pair replaced; it stays valid (lenient) until this pair is first used. */
  predecessor: Grant | null;
  /** Set once this pair's refresh token produced a newer pair. */
  successor: Grant | null;
}

export interface TokenPair {
  token_type: 'Bearer';
  expires_in: number;
  access_token: string;
  refresh_token: string;
  server_time: number;
}

export interface AccessContext {
  accountId: number;
  clientId: string;
  userId: number;
  token: string;
}

let signingKey: KeyObject | undefined;
/** One RSA key per process: tokens are really RS256-signed, as amoCRM's are (generating a key takes ~50 ms). */
function rsaKey(): KeyObject {
  signingKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return signingKey;
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export class OAuthService {
  private readonly codes = new Map<string, AuthCode>();
  private readonly byAccess = new Map<string, Grant>();
  private readonly byRefresh = new Map<string, Grant>();

  constructor(
    private readonly store: EmulatorStore,
    private readonly clock: EmulatorClock,
    public options: OAuthOptions,
  ) {}

  issueCode(account: AccountState, integration: Integration): string {
    const code = `def50200${randomBytes(96).toString('hex')}`;
    this.codes.set(code, {
      accountId: account.id,
      clientId: integration.clientId,
      userId: account.admin().id,
      expiresAt: this.clock.nowSeconds() + this.options.codeTtlSeconds,
      used: false,
    });
    return code;
  }

  /** POST /oauth2/access_token on the account's host. */
  exchange(account: AccountState, body: Record<string, unknown>): TokenPair {
    const grantType = str(body.grant_type);
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      throw oauthProblem(
        400,
        'Некорректный запрос',
        'The authorization grant type is not supported by the authorization server.',
        'Check that all required parameters have been provided',
      );
    }
    const integration = this.authenticateClient(body);
    return grantType === 'authorization_code' ? this.exchangeCode(account, integration, body) : this.refresh(account, integration, body);
  }

  private authenticateClient(body: Record<string, unknown>): Integration {
    const integration = this.store.integrations.get(str(body.client_id) ?? '');
    if (!integration || integration.clientSecret !== str(body.client_secret)) {
      throw oauthProblem(401, 'Некорректный клиент', 'Авторизация клиента не прошла');
    }
    return integration;
  }

  private exchangeCode(account: AccountState, integration: Integration, body: Record<string, unknown>): TokenPair {
    const codeValue = str(body.code);
    if (!codeValue) throw badRequest('Check the `code` parameter');
    const code = this.codes.get(codeValue);
    if (!code || code.clientId !== integration.clientId) throw badRequest('Cannot decrypt the authorization code');
    if (code.accountId !== account.id) throw badRequest('Authorization code was issued for another account');
    if (code.expiresAt <= this.clock.nowSeconds()) throw badRequest('Authorization code has expired');
    if (code.used) throw badRequest('Authorization code has been revoked');
    if (str(body.redirect_uri) !== integration.redirectUri) throw badRequest('Invalid redirect URI');
    if (this.options.singleUseCodes) code.used = true;
    return this.toPair(this.issue(code.accountId, code.clientId, code.userId, null));
  }

  private refresh(account: AccountState, integration: Integration, body: Record<string, unknown>): TokenPair {
    const token = str(body.refresh_token);
    if (!token) throw badRequest('Check the `refresh_token` parameter');
    const grant = this.byRefresh.get(token);
    if (!grant || grant.revoked || grant.accountId !== account.id) throw revoked();
    if (grant.clientId !== integration.clientId)
      throw oauthProblem(401, 'Некорректный запрос', 'The refresh token is invalid.', 'Token is not linked to client');
    if (grant.refreshExpiresAt <= this.clock.nowSeconds())
      throw oauthProblem(401, 'Некорректный запрос', 'The refresh token is invalid.', 'Token has expired');
    this.markUsed(grant);
    // A retry with the previous token during the grace period: the unused newer pair is thrown away.
    if (grant.successor) this.revoke(grant.successor);
    const next = this.issue(grant.accountId, grant.clientId, grant.userId, grant);
    grant.successor = next;
    if (this.options.rotation === 'strict') this.revokeRefresh(grant);
    return this.toPair(next);
  }

  /** Resolves a Bearer token for an API call on `account`; 401 problem when missing, expired, revoked or foreign. */
  authenticate(account: AccountState, authorization: string | undefined): AccessContext {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const grant = token ? this.byAccess.get(token) : undefined;
    if (!token || !grant || grant.revoked || grant.accountId !== account.id || grant.accessExpiresAt <= this.clock.nowSeconds()) {
      throw unauthorized();
    }
    this.markUsed(grant);
    return { accountId: grant.accountId, clientId: grant.clientId, userId: grant.userId, token };
  }

  /** Which account and client a bearer token belongs to, without checking it (for the request log). */
  peek(token: string): { accountId: number; clientId: string } | undefined {
    const grant = this.byAccess.get(token);
    return grant ? { accountId: grant.accountId, clientId: grant.clientId } : undefined;
  }

  /** Issues a pair directly (skips consent), e.g. for tests that are not about OAuth. */
  issueDirect(account: AccountState, integration: Integration): TokenPair {
    return this.toPair(this.issue(account.id, integration.clientId, account.admin().id, null));
  }

  /** Long-lived token of a private integration: no refresh token, expiry chosen by the admin (1 day … 5 years). */
  issueLongLived(account: AccountState, integration: Integration, expiresInSeconds: number): string {
    const grant = this.issue(account.id, integration.clientId, account.admin().id, null, expiresInSeconds);
    this.byRefresh.delete(grant.refreshToken!);
    grant.refreshToken = null;
    return grant.accessToken;
  }

  /** Disconnect / secret rotation: every token of the client (optionally in one account) stops working. */
  revokeAll(clientId: string, accountId?: number): number {
    let count = 0;
    for (const grant of this.byAccess.values()) {
      if (grant.clientId !== clientId || (accountId !== undefined && grant.accountId !== accountId) || grant.revoked) continue;
      this.revoke(grant);
      count++;
    }
    for (const code of this.codes.values())
      if (code.clientId === clientId && (accountId === undefined || code.accountId === accountId)) code.used = true;
    return count;
  }

  clear(): void {
    this.codes.clear();
    this.byAccess.clear();
    this.byRefresh.clear();
  }

  /** First use of a pair ends the grace of the refresh token it replaced. */
  private markUsed(grant: Grant): void {
    if (grant.predecessor) {
      this.revokeRefresh(grant.predecessor);
      grant.predecessor = null;
    }
  }

  private revoke(grant: Grant): void {
    grant.revoked = true;
  }

  /** Ends a pair's refresh token only; its access token lives on until it expires (as after a normal rotation). */
  private revokeRefresh(grant: Grant): void {
    if (grant.refreshToken) this.byRefresh.delete(grant.refreshToken);
    grant.refreshToken = null;
  }

  private issue(
    accountId: number,
    clientId: string,
    userId: number,
    predecessor: Grant | null,
    accessTtl = this.options.accessTtlSeconds,
  ): Grant {
    const now = this.clock.nowSeconds();
    const grant: Grant = {
      accountId,
      clientId,
      userId,
      accessToken: this.jwt(accountId, clientId, userId, now, now + accessTtl),
      accessExpiresAt: now + accessTtl,
      issuedAt: now,
      refreshToken: `def50200${randomBytes(160).toString('hex')}`,
      refreshExpiresAt: now + this.options.refreshTtlSeconds,
      revoked: false,
      predecessor,
      successor: null,
    };
    this.byAccess.set(grant.accessToken, grant);
    this.byRefresh.set(grant.refreshToken!, grant);
    return grant;
  }

  private jwt(accountId: number, clientId: string, userId: number, iat: number, exp: number): string {
    const header = b64url({ typ: 'JWT', alg: 'RS256', jti: randomUUID() });
    const payload = b64url({
      aud: clientId,
      jti: randomUUID(),
      iat,
      nbf: iat,
      exp,
      sub: String(userId),
      grant_type: '',
      account_id: accountId,
      base_domain: 'amocrm.ru',
      version: 2,
      scopes: ['push_notifications', 'files', 'crm', 'files_delete', 'notifications'],
      hash_uuid: randomUUID(),
      api_domain: 'api-b.amocrm.ru',
      user_flags: 0,
    });
    const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(rsaKey()).toString('base64url');
    return `${header}.${payload}.${signature}`;
  }

  private toPair(grant: Grant): TokenPair {
    return {
      token_type: 'Bearer',
      // From the issue instant, as amoCRM answers a fresh grant (a full 86400): a second boundary crossed between
      // issuing and answering made it 86399 now and then.
      expires_in: grant.accessExpiresAt - grant.issuedAt,
      access_token: grant.accessToken,
      refresh_token: grant.refreshToken!,
      server_time: grant.issuedAt,
    };
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
const badRequest = (hint: string): AmoProblem =>
  oauthProblem(400, 'Некорректный запрос', 'В запросе отсутствует ряд параметров или параметры невалидны', hint);
const revoked = (): AmoProblem => oauthProblem(401, 'Некорректный запрос', 'The refresh token is invalid.', 'Token has been revoked');

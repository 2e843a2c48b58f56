// AmoConnector: connecting accounts for their owners (consent link, redirect, disconnect hook), the per-account
// API, and the complex-lead queue. The connector's own routes (routes.ts) and any module's legacy callback path
// call in here; owners (modules) are told when an account they asked for connects or any account disconnects.
import { createHmac, randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Hub } from '../../platform/hub.js';
import type { DbExecutor } from '../../platform/db/database.js';
import type { QueueDef } from '../../platform/jobs/queue.js';
import type { Clock } from '../../platform/outbound/clock.js';
import type { PartnerTransport } from '../../platform/outbound/transport.js';
import { safeEqual } from '../../platform/security/secrets.js';
import type {
  AmoAccount,
  AmoAccountState,
  AmoConnector,
  ComplexLeadReply,
  ConnectionOwner,
  ConnectOutcome,
  RefreshReport,
} from './port.js';
import type { AmoSettings } from './settings.js';
import { isAmoError } from './errors.js';
import { createAmoApi } from './api.js';
import { complexLeadQueue, COMPLEX_QUEUE } from './complex-queue.js';
import { AmoError } from './errors.js';
import { AMO_FACTS } from './facts.js';
import { markerFor } from './reconcile.js';
import { amoAccounts } from './schema.js';
import { amoApiPolicy, amoOauthPolicy } from './policy.js';
import { AmoTokens, type AccountRow } from './tokens.js';
import { AmoTransport } from './transport.js';
import type { AmoAccountInfo, AmoApi, ComplexLeadInput } from './types.js';

export class AmoConnectorImpl implements AmoConnector {
  readonly queues: ReadonlyArray<QueueDef<never>>;
  readonly tokens: AmoTokens;
  readonly transport: AmoTransport;
  readonly #http: PartnerTransport<number, undefined, Error>;
  readonly #owners = new Map<string, ConnectionOwner>();

  constructor(
    private readonly hub: Hub,
    readonly settings: AmoSettings,
    private readonly now: () => number,
    /** Pacing and retry waits (tests skip them); `now` is the token-expiry clock. */
    clock?: Clock,
  ) {
    // Pacing, retries, 429/403 and errors are amoCRM's partner policies (policy.ts), run by the hub's transport.
    const opts = clock ? { clock } : {};
    this.#http = hub.transport(amoOauthPolicy(), opts);
    this.transport = new AmoTransport(
      hub.transport(
        amoApiPolicy(() => this.tokens, settings.rateLimitPerSecond),
        opts,
      ),
    );
    this.tokens = new AmoTokens(hub, settings, this.#http, now, (id) => this.transport.pace(id));
    this.queues = [complexLeadQueue(hub, { apiFor: (id) => this.api(id), now, callTimeoutMs: hub.config.outbound.timeoutMs })];
  }

  registerOwner(name: string, owner: ConnectionOwner): void {
    if (!OWNER_NAME.test(name)) throw new Error(`amoCRM connection owner "${name}" must be a lower-case name`);
    if (this.#owners.has(name)) throw new Error(`amoCRM connection owner "${name}" registered twice`);
    this.#owners.set(name, owner);
  }

  owners(): string[] {
    return [...this.#owners.keys()];
  }

  async authorizeUrl(owner: string, opts: { mode?: 'popup' | 'post_message' } = {}): Promise<string> {
    if (!OWNER.test(owner)) throw new RangeError(`owner must be "<name>" or "<name>:<id>", got "${owner.slice(0, 80)}"`);
    const clientId = this.tokens.clientId;
    const state = await this.tokens.createState(owner);
    const url = new URL(this.settings.authorizeUrl);
    url.searchParams.set('client_id', clientId);
    url.searchParams.set('state', state);
    url.searchParams.set('mode', opts.mode ?? 'post_message');
    return url.toString();
  }

  async completeAuthorization(
    query: Record<string, string | undefined>,
  ): Promise<{ owner: string; account: AmoAccount; outcome: ConnectOutcome }> {
    const clientId = this.tokens.clientId;
    // The state is spent whatever the outcome: a declined or failed attempt starts over with a new link.
    const owner = await this.tokens.consumeState(query.state);
    if (query.error)
      throw new AmoError(query.error === 'access_denied' ? 'ACCESS_DENIED' : 'EXCHANGE_FAILED', undefined, {
        details: { owner, error: query.error },
      });
    if (query.client_id !== undefined && query.client_id !== clientId)
      throw new AmoError('INVALID_CALLBACK', 'The redirect names another amoCRM integration', { details: { owner } });
    if (!query.code) throw new AmoError('INVALID_CALLBACK', 'The amoCRM redirect carries no code', { details: { owner } });
    const subdomain = subdomainOf(query.referer);
    if (!subdomain) throw new AmoError('INVALID_CALLBACK', 'The amoCRM redirect carries no usable referer', { details: { owner } });

    const tokens = await this.tokens.exchangeCode(subdomain, query.code);
    const info = await this.#readAccount(subdomain, tokens.accessToken);
    const sealed = this.tokens.seal(info.id, tokens);
    const values = {
      subdomain: info.subdomain || subdomain,
      name: info.name,
      country: info.country ?? null,
      amoUserId: info.current_user_id ?? null,
      owner,
      status: 'active' as const,
      ...sealed,
      tokensRefreshedAt: new Date(this.now()),
      pausedUntil: null,
      lastError: null,
      connectedAt: new Date(this.now()),
      updatedAt: new Date(),
    };
    const [row] = await this.hub.db
      .insert(amoAccounts)
      .values({ amoAccountId: info.id, ...values })
      .onConflictDoUpdate({ target: amoAccounts.amoAccountId, set: values })
      .returning();
    this.hub.log.info({ amoAccountId: info.id, subdomain: values.subdomain, owner }, 'amoCRM account connected');
    const account = toAccount(row!);
    const [name, ...rest] = owner.split(':');
    const handler = this.#owners.get(name!);
    // An owner that registered nothing (an operator connecting for a module that only calls the API) is fine.
    const outcome = (await handler?.connected?.(account, rest.length ? rest.join(':') : undefined)) ?? {};
    return { owner, account, outcome };
  }

  /** GET /api/v4/account with a token not yet stored (the account id is what we learn here). */
  async #readAccount(subdomain: string, accessToken: string): Promise<AmoAccountInfo> {
    // The access token is a JWT naming the account: this call takes its place on that account's schedule too.
    const claimed = jwtAccountId(accessToken);
    // The code exchange just before went out unpaced (the account was unknown until its answer): book its slot now,
    // as if sent when answered, so this read and the first sync keep to 7 per second with it (the resilience test
    // saw 8 in one second at connect).
    if (claimed !== undefined) (await this.transport.pace(claimed))();
    const done = claimed !== undefined ? await this.transport.pace(claimed) : () => undefined;
    const res = await this.#http
      .request({
        method: 'GET',
        url: `${this.tokens.baseUrl(subdomain)}/api/v4/account`,
        headers: { authorization: `Bearer ${accessToken}` },
        kind: 'read',
      })
      .finally(done);
    const info = res.json<AmoAccountInfo>();
    if (!info || typeof info.id !== 'number') throw new AmoError('UNEXPECTED_RESPONSE', 'amoCRM /api/v4/account has no id');
    return info;
  }

  async handleDisconnectHook(query: Record<string, string | undefined>): Promise<{ amoAccountId: number }> {
    const clientId = this.tokens.clientId;
    const accountId = query.account_id ?? '';
    const expected = createHmac('sha256', this.tokens.clientSecret).update(`${clientId}|${accountId}`).digest('hex');
    const okClient = safeEqual(query.client_uuid ?? '', clientId);
    const okSignature = safeEqual((query.signature ?? '').toLowerCase(), expected);
    if (!okClient || !okSignature || !/^\d+$/.test(accountId)) throw new AmoError('INVALID_SIGNATURE');
    const amoAccountId = Number(accountId);
    await this.tokens.wipe(amoAccountId, 'disconnected', 'disconnected in amoCRM (disconnect hook)');
    this.hub.log.info({ amoAccountId }, 'amoCRM account disconnected by amoCRM');
    await this.#tellOwners(amoAccountId);
    return { amoAccountId };
  }

  async disconnect(amoAccountId: number): Promise<boolean> {
    const known = await this.tokens.wipe(amoAccountId, 'disconnected', 'disconnected by the hub');
    if (!known) return false;
    this.hub.log.info({ amoAccountId }, 'amoCRM account disconnected');
    await this.#tellOwners(amoAccountId);
    return true;
  }

  /** Every owner hears of a disconnect: several modules may use one account. One failing owner does not stop the rest. */
  async #tellOwners(amoAccountId: number): Promise<void> {
    for (const [name, owner] of this.#owners) {
      try {
        await owner.disconnected?.(amoAccountId);
      } catch (err) {
        this.hub.log.error({ err, amoAccountId, owner: name }, 'amoCRM disconnect: an owner failed to let go of the account');
      }
    }
  }

  async getAccount(amoAccountId: number): Promise<AmoAccount | undefined> {
    const row = await this.tokens.loadRow(amoAccountId);
    return row ? toAccount(row) : undefined;
  }

  async listAccounts(): Promise<AmoAccountState[]> {
    const rows = await this.hub.db.select().from(amoAccounts).orderBy(asc(amoAccounts.amoAccountId));
    return rows.map(toState);
  }

  async accountState(amoAccountId: number): Promise<AmoAccountState | undefined> {
    const row = await this.tokens.loadRow(amoAccountId);
    return row ? toState(row) : undefined;
  }

  async refreshNow(amoAccountId: number): Promise<AmoAccountState> {
    await this.tokens.refreshIf(amoAccountId, () => true);
    return toState((await this.tokens.loadRow(amoAccountId))!);
  }

  async refreshStale(): Promise<RefreshReport> {
    const cutoff = new Date(this.now() - this.settings.refreshAfterDays * 86_400_000);
    const stale = (row: AccountRow) => (row.tokensRefreshedAt ?? row.connectedAt).getTime() <= cutoff.getTime();
    const candidates = await this.hub.db
      .select({ id: amoAccounts.amoAccountId })
      .from(amoAccounts)
      .where(
        and(
          eq(amoAccounts.status, 'active'),
          sql`coalesce(${amoAccounts.tokensRefreshedAt}, ${amoAccounts.connectedAt}) <= ${cutoff.toISOString()}::timestamptz`,
        ),
      );
    let refreshed = 0;
    let needsReauth = 0;
    let failed = 0;
    for (const { id } of candidates) {
      try {
        if (await this.tokens.refreshIf(id, stale)) refreshed++;
      } catch (err) {
        // NEEDS_REAUTH is already recorded on the row (and alerted); anything else is tried again next round.
        if (isAmoError(err) && err.code === 'NEEDS_REAUTH') needsReauth++;
        else {
          failed++;
          this.hub.log.warn({ err, amoAccountId: id }, 'amoCRM scheduled token refresh failed; will try again');
        }
      }
    }
    const report = { checked: candidates.length, refreshed, needsReauth, failed };
    if (candidates.length) this.hub.log.info(report, 'amoCRM scheduled token refresh');
    return report;
  }

  api(amoAccountId: number): AmoApi {
    return createAmoApi(this.transport, amoAccountId);
  }

  async enqueueComplexLead<D extends object>(
    amoAccountId: number,
    item: ComplexLeadInput,
    reply: ComplexLeadReply<D>,
    opts: { tx?: DbExecutor; key?: string } = {},
  ): Promise<void> {
    await this.enqueueComplexLeads(amoAccountId, [{ item, reply, ...(opts.key !== undefined ? { key: opts.key } : {}) }], opts);
  }

  async enqueueComplexLeads<D extends object>(
    amoAccountId: number,
    entries: ReadonlyArray<{ item: ComplexLeadInput; reply: ComplexLeadReply<D>; key?: string }>,
    opts: { tx?: DbExecutor } = {},
  ): Promise<void> {
    for (const { item, reply } of entries) {
      if ((item._embedded?.contacts?.length ?? 0) > 1 || (item._embedded?.companies?.length ?? 0) > 1) {
        throw new RangeError('a complex lead carries at most one contact and one company');
      }
      if (!this.hub.jobs.definition(reply.queue.name)) throw new Error(`reply queue ${reply.queue.name} is not defined`);
    }
    // The job stores the reply queue by name: it outlives this process, and its handler sends by that name.
    // The marker is fixed here, so every run of the job (and, with a key, every later job for the same key) carries it.
    const jobs = entries.map(({ item, reply, key }) => ({
      amoAccountId,
      item,
      reply: { queue: reply.queue.name, data: reply.data },
      marker: markerFor(amoAccountId, key !== undefined ? `key:${key}` : `job:${randomUUID()}`),
    }));
    await this.hub.jobs.sendMany(COMPLEX_QUEUE, jobs, opts.tx ? { tx: opts.tx } : {});
  }

  /** Test and operator hook: the account row as stored (token version, pause). */
  async accountRow(amoAccountId: number): Promise<AccountRow | undefined> {
    return this.hub.db
      .select()
      .from(amoAccounts)
      .where(eq(amoAccounts.amoAccountId, amoAccountId))
      .then((r) => r[0]);
  }
}

/** `sub.amocrm.ru` (or a URL) → `sub`, only for amoCRM's own domains: the code and secret never go elsewhere. */
export function subdomainOf(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  let host = referer.trim().toLowerCase();
  try {
    if (host.includes('://')) host = new URL(host).hostname;
  } catch {
    return undefined;
  }
  host = host.replace(/:\d+$/, '');
  for (const domain of AMO_FACTS.accountDomains) {
    if (host.endsWith(`.${domain}`)) {
      const sub = host.slice(0, -domain.length - 1);
      return /^[a-z0-9][a-z0-9-]{0,62}$/.test(sub) ? sub : undefined;
    }
  }
  return undefined;
}

function jwtAccountId(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { account_id?: unknown };
    return typeof payload.account_id === 'number' ? payload.account_id : undefined;
  } catch {
    return undefined;
  }
}

const OWNER_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const OWNER = /^[a-z][a-z0-9-]{0,39}(:[^\s:][^\s]{0,199})?$/;
/** amoCRM drops a refresh token unused for three months. */
const REFRESH_TOKEN_LIFE_MS = 90 * 86_400_000;

function toAccount(row: AccountRow): AmoAccount {
  return {
    amoAccountId: row.amoAccountId,
    subdomain: row.subdomain,
    name: row.name,
    country: row.country,
    amoUserId: row.amoUserId,
    status: row.status,
    owner: row.owner,
    connectedAt: row.connectedAt,
  };
}

function toState(row: AccountRow): AmoAccountState {
  const issued = row.status === 'active' ? (row.tokensRefreshedAt ?? row.connectedAt) : null;
  return {
    ...toAccount(row),
    accessExpiresAt: row.accessExpiresAt,
    tokensRefreshedAt: row.tokensRefreshedAt,
    refreshExpiresAt: issued ? new Date(issued.getTime() + REFRESH_TOKEN_LIFE_MS) : null,
    tokenVersion: row.tokenVersion,
    pausedUntil: row.pausedUntil,
    lastError: row.lastError,
  };
}

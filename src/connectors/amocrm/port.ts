// What the amoCRM connector offers modules: connecting accounts on behalf of an owner, the per-account API, and
// the complex-lead queue. Types only (the implementation is connector.ts), so index.ts and connector.ts both
// depend on this file and not on each other.
import type { Queue, QueueDef } from '../../platform/jobs/queue.js';
import type { DbExecutor } from '../../platform/db/database.js';
import type { AmoApi, ComplexLeadInput, ComplexLeadResult } from './types.js';

export interface AmoAccount {
  amoAccountId: number;
  subdomain: string;
  name: string;
  country: string | null;
  /** The amoCRM user who granted access. */
  amoUserId: number | null;
  status: 'active' | 'needs_reauth' | 'disconnected';
  /** Who asked for the connection last: "<module>" or "<module>:<its own id>" (e.g. "quiz:42"). */
  owner: string | null;
  connectedAt: Date;
}

/** An account with the state of its tokens, for operators (never the tokens themselves). */
export interface AmoAccountState extends AmoAccount {
  readonly accessExpiresAt: Date | null;
  /** When the current refresh token was issued; amoCRM lets it die after 3 months unused. */
  readonly tokensRefreshedAt: Date | null;
  /** When the refresh token dies unless used (tokensRefreshedAt + 3 months). */
  readonly refreshExpiresAt: Date | null;
  readonly tokenVersion: number;
  readonly pausedUntil: Date | null;
  readonly lastError: string | null;
}

/** What the browser sees after consent: a redirect, a page of the owner's, or (neither) the connector's own page. */
export interface ConnectOutcome {
  readonly redirectTo?: string;
  readonly html?: string;
}

/**
 * A part of the hub that asks for amoCRM connections (a module, or the operator on its behalf). Registered under
 * its name; the OAuth `state` carries "<name>" or "<name>:<id>", and the connector calls back here.
 */
export interface ConnectionOwner {
  /** An account this owner asked for is now connected (tokens stored). `ownerId` is the part after the colon. */
  connected?(account: AmoAccount, ownerId: string | undefined): Promise<ConnectOutcome | void>;
  /** An amoCRM account was disconnected (by amoCRM's hook or by the hub); forget what hangs on it. */
  disconnected?(amoAccountId: number): Promise<void>;
}

export interface RefreshReport {
  readonly checked: number;
  readonly refreshed: number;
  readonly needsReauth: number;
  readonly failed: number;
}

export interface AmoConnector {
  readonly queues: ReadonlyArray<QueueDef<never>>;
  /** Registers what happens when an account asked for by `name` connects or any account disconnects. */
  registerOwner(name: string, owner: ConnectionOwner): void;
  /** Names of the registered owners (the modules an operator may connect an account for). */
  owners(): string[];
  /** Consent link for an integration user; stores a single-use `state` bound to `owner` (e.g. "quiz:<accountId>"). */
  authorizeUrl(owner: string, opts?: { mode?: 'popup' | 'post_message' }): Promise<string>;
  /**
   * Handles the OAuth redirect query (code, referer, state, client_id, from_widget | error=access_denied).
   * Exchanges the code at the account's own domain, stores tokens encrypted, reads /api/v4/account, upserts the
   * local account record, then tells the owner. Throws AmoError (ACCESS_DENIED, INVALID_STATE, INVALID_CALLBACK,
   * EXCHANGE_FAILED…).
   */
  completeAuthorization(
    query: Record<string, string | undefined>,
  ): Promise<{ owner: string; account: AmoAccount; outcome: ConnectOutcome }>;
  /**
   * Verifies amoCRM's disconnect hook (client_uuid, account_id, signature; constant-time), wipes that account's
   * tokens, marks it disconnected and tells every owner. Throws AmoError INVALID_SIGNATURE.
   */
  handleDisconnectHook(query: Record<string, string | undefined>): Promise<{ amoAccountId: number }>;
  /** Our side disconnects: wipe tokens, mark disconnected, tell every owner. */
  disconnect(amoAccountId: number): Promise<boolean>;
  getAccount(amoAccountId: number): Promise<AmoAccount | undefined>;
  /** Every account the hub knows, with token state (operators). */
  listAccounts(): Promise<AmoAccountState[]>;
  accountState(amoAccountId: number): Promise<AmoAccountState | undefined>;
  /** Renews one account's tokens now (operators); throws AmoError NEEDS_REAUTH when amoCRM refuses. */
  refreshNow(amoAccountId: number): Promise<AmoAccountState>;
  /** Renews the tokens of every active account whose tokens are older than AMO_REFRESH_AFTER_DAYS (the refresh job). */
  refreshStale(): Promise<RefreshReport>;
  /** Typed, rate-limited, auto-refreshing API for one connected account. */
  api(amoAccountId: number): AmoApi;
  /**
   * Enqueue one complex lead (lead + contact + company); the connector coalesces queued items per account into
   * /leads/complex calls of up to 50, then enqueues `reply.queue` with `{ ...reply.data, result }` for each item.
   * `tx` enqueues inside the caller's transaction. `key` names what the lead stands for (e.g. a result id): an item
   * enqueued again with the same key gets the lead the first one created (exactly one lead per key, see
   * docs/amocrm.md); without a key, each call is its own lead.
   */
  enqueueComplexLead<D extends object>(
    amoAccountId: number,
    item: ComplexLeadInput,
    reply: ComplexLeadReply<D>,
    opts?: { tx?: DbExecutor; key?: string },
  ): Promise<void>;
  /** The same for many items at once (one insert): what a caller dispatching a batch should use. */
  enqueueComplexLeads<D extends object>(
    amoAccountId: number,
    entries: ReadonlyArray<{ item: ComplexLeadInput; reply: ComplexLeadReply<D>; key?: string }>,
    opts?: { tx?: DbExecutor },
  ): Promise<void>;
}

/**
 * Where the answer to an enqueued complex lead goes: `queue` receives `{ ...data, result }`. Its payload type must
 * be exactly that, so a queue whose jobs lack `result` (or expect fields `data` does not carry) does not compile.
 */
export interface ComplexLeadReply<D extends object> {
  readonly queue: Queue<NoInfer<D> & { readonly result: ComplexLeadResult }>;
  readonly data: D;
}

// The amoCRM connector: OAuth (connect, refresh with a cross-process lock, disconnect), a typed rate-limited
// API per connected account, and a coalescing queue that turns many single complex leads into /leads/complex
// calls of up to 50. Modules use only what this file exports; see docs/amocrm.md.
import type { Hub } from '../../platform/hub.js';
import type { Clock } from '../../platform/outbound/clock.js';
import type { QueueDef } from '../../platform/jobs/queue.js';
import type { DbExecutor } from '../../platform/db/database.js';
import type { AmoApi, ComplexLeadInput } from './types.js';
import { AmoConnectorImpl } from './connector.js';

export type * from './types.js';
export { AmoError, AMO_ERRORS, isAmoError, type AmoErrorCode } from './errors.js';
export { buildCustomFieldsValues } from './custom-fields.js';
export { parseAmoWebhook } from './webhooks.js';

export interface AmoConnector {
  readonly queues: ReadonlyArray<QueueDef<never>>;
  /** Consent link for an integration user; stores a single-use `state` bound to `owner` (e.g. "quiz:<accountId>"). */
  authorizeUrl(owner: string, opts?: { mode?: 'popup' | 'post_message' }): Promise<string>;
  /**
   * Handles the OAuth redirect query (code, referer, state, client_id, from_widget | error=access_denied).
   * Exchanges the code at the account's own domain, stores tokens encrypted, reads /api/v4/account, upserts the
   * local account record. Throws AmoError (ACCESS_DENIED, INVALID_STATE, INVALID_CALLBACK, EXCHANGE_FAILED…).
   */
  completeAuthorization(query: Record<string, string | undefined>): Promise<{ owner: string; account: AmoAccount }>;
  /** Verifies amoCRM's disconnect hook (client_uuid, account_id, signature; constant-time), wipes that account's tokens, marks it disconnected. Throws AmoError INVALID_SIGNATURE. */
  handleDisconnectHook(query: Record<string, string | undefined>): Promise<{ amoAccountId: number }>;
  /** Our side disconnects: wipe tokens, mark disconnected. */
  disconnect(amoAccountId: number): Promise<void>;
  getAccount(amoAccountId: number): Promise<AmoAccount | undefined>;
  /** Typed, rate-limited, auto-refreshing API for one connected account. */
  api(amoAccountId: number): AmoApi;
  /**
   * Enqueue one complex lead (lead + contact + company); the connector coalesces queued items per account into
   * /leads/complex calls of up to 50, then enqueues `reply.queue` with `{ ...reply.data, result }` for each item,
   * where result is a ComplexLeadResult. `tx` enqueues inside the caller's transaction.
   */
  enqueueComplexLead(
    amoAccountId: number,
    item: ComplexLeadInput,
    reply: { queue: string; data: object },
    opts?: { tx?: DbExecutor },
  ): Promise<void>;
  /** The same for many items at once (one insert): what a caller dispatching a batch should use. */
  enqueueComplexLeads(
    amoAccountId: number,
    entries: ReadonlyArray<{ item: ComplexLeadInput; reply: { queue: string; data: object } }>,
    opts?: { tx?: DbExecutor },
  ): Promise<void>;
}

export interface AmoAccount {
  amoAccountId: number;
  subdomain: string;
  name: string;
  country: string | null;
  /** The amoCRM user who granted access. */
  amoUserId: number | null;
  status: 'active' | 'needs_reauth' | 'disconnected';
  connectedAt: Date;
}

/** `now`: the token-expiry clock; `clock`: pacing and retry waits (tests that do not measure them skip them). */
export function createAmoConnector(hub: Hub, opts: { now?: () => number; clock?: Clock } = {}): AmoConnector {
  return new AmoConnectorImpl(hub, opts.now ?? Date.now, opts.clock);
}

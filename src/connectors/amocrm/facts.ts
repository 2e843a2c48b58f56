// amoCRM facts the connector depends on, in one place (sources: the shared reference beside the repository, reference/amocrm.md). policy.ts turns
// the call-handling ones into the partner policy the hub's transport runs.
export const AMO_FACTS = {
  /** Redirect `referer` hosts we accept; the token call goes to AMO_BASE_URL_TEMPLATE with the subdomain. */
  accountDomains: ['amocrm.ru', 'amocrm.com', 'kommo.com'],
  /** Consent `state` lifetime (the authorisation code itself lives 20 minutes). */
  stateTtlMs: 30 * 60_000,
  /** Refresh this long before the access token (24 h) expires. */
  refreshMarginMs: 10 * 60_000,
  /** Documented per-request maxima. */
  complexBatchMax: 50,
  writeBatchMax: 50,
  /** The most a batch add/update may carry (more gets 422 "Limit 250 per page"); callers that gather writes use it. */
  writeBatchHardMax: 250,
  pageLimitMax: 250,
  /** Extra spacing per request on top of 1000/limit ms, so network jitter never lands 8 requests in one amoCRM second. */
  pacingMarginMs: 7,
  /**
   * A process never sends the (limit+1)-th request within 1000 + this many ms of the *response* to the first. No
   * more is needed: amoCRM counts a request somewhere between its arrival and its answer, and the next one arrives
   * after we send it, so 1000 ms from our receipt of an answer is already ≥ 1000 ms on amoCRM's side; the few ms
   * cover clock rounding. (A wider guard was measured to cost 2–3 % of throughput for nothing.)
   */
  localWindowGuardMs: 5,
  /** Wait inside the call for a 429/pause up to this long; longer waits fail retryable and the queue retries later. */
  maxInlineWaitMs: 15_000,
  /** All 429 waits of one call together stay under this; past it the call fails retryable (jobs retry later). */
  maxInlineRateLimitWaitMs: 45_000,
  /** A 429 without retry_after: wait this long. */
  default429WaitMs: 1_000,
  /** A 429 asking for less (retry_after 0) still waits this long. */
  min429WaitMs: 100,
  /** An IP/account block (403) is long; every process stops calling this account for this long. */
  blockBackoffMs: 10 * 60_000,
  /** Reads retried in-process on 5xx/timeouts (writes go back to the job queue instead: a 504 may have landed). */
  readAttempts: 3,
  retryBaseDelayMs: 300,
  /** OAuth problem hint amoCRM sends for a superseded or revoked refresh token. */
  revokedHint: /revoked/i,
  /**
   * The tag that marks each complex lead the hub creates, `hub:` + 32 hex digits (lower case: amoCRM matches tag
   * names case-insensitively). amoCRM v4 cannot filter leads by tag, so a lookup lists the leads created in a time
   * window (`filter[created_at]`, which it can) and reads their `_embedded.tags`.
   */
  markerTagPrefix: 'hub:',
  /**
   * Failure statuses after which amoCRM surely did not carry a write out: 503 (its gateway had no backend to hand
   * the request to) and 408 (the request never arrived whole). After a 500, 502, 504, a timeout or a connection lost
   * after sending, a write may have landed: its leads are looked up before they are sent again.
   */
  notAppliedStatuses: [503, 408] as readonly number[],
  /** How far amoCRM's clock (lead `created_at`) may be from ours: the lookup window is widened by this much each side. */
  reconcileClockSkewMs: 60_000,
  /** Intents (and their recorded outcomes) are kept this long: a job, a module's re-dispatch or an operator's redelivery
   * that comes back within it finds what the first attempt created. */
  intentRetentionDays: 30,
  /** Codes on contacts' PHONE/EMAIL multitext fields. */
  multitextDefaultEnumCode: 'WORK',
} as const;

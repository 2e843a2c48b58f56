// What a partner transport needs to know about one partner, as data and small hooks: how its calls are paced,
// which failures are worth another attempt, where it says how long to wait, how it says "you are blocked", how
// credentials go on a request and are renewed after a 401, and what error type a final failure becomes. The one
// retry loop that reads a policy is PartnerTransport (transport.ts); a connector writes a policy, not a loop.
import { OutboundError, statusError, type OutboundRequest, type OutboundResponse } from './http-client.js';
import type { PacingSpec } from './pacing.js';

/**
 * - `read`: idempotent; retried on the transient failures the policy's `retry` names.
 * - `write`: not idempotent; retried only when the request surely never reached the partner (no connection).
 * - `none`: never retried in the call (the caller or the job queue decides).
 * 429 waits (`rateLimit`) apply to reads and writes: a request answered 429 was not carried out.
 */
export type CallKind = 'read' | 'write' | 'none';

/** One call: the request (its URL may be completed by `auth.apply`), its kind, and the key it is paced and paused by. */
export interface PartnerRequest<K> extends OutboundRequest {
  readonly kind?: CallKind;
  /** Pacing, credential and pause key (amoCRM: the account id); needed when the policy paces, authorises or pauses. */
  readonly key?: K;
}

/**
 * Why a call failed, as the transport sees it:
 * - `unreachable`: no answer (connection, timeout, SSRF refusal); `cause` says whether it was never sent;
 * - `unavailable`: 5xx or 408 (or 429 when the policy has no `rateLimit`);
 * - `rate-limited`: 429 and the wait the partner asks for is longer than the policy waits inside a call;
 * - `paused`: an earlier 429 or block paused the key for longer than the policy waits inside a call;
 * - `blocked`: the policy's block detector matched (amoCRM: 403);
 * - `unauthorized`: 401 again after credentials were renewed (or 401 with nothing to renew);
 * - `rejected`: any other 4xx: the same request will fail again.
 */
export type FailureKind = 'unreachable' | 'unavailable' | 'rate-limited' | 'paused' | 'blocked' | 'unauthorized' | 'rejected';

export interface Failure<K> {
  readonly kind: FailureKind;
  readonly partner: string;
  /** The request as the caller gave it (before `auth.apply`). */
  readonly request: PartnerRequest<K>;
  /** The request as sent (absent for `paused`, which sends nothing). */
  readonly sent?: OutboundRequest;
  readonly response?: OutboundResponse;
  /** For `unreachable`: the HTTP layer's error. */
  readonly cause?: OutboundError;
  /** Whether the same call later can succeed. */
  readonly retryable: boolean;
  /** For `rate-limited`, `paused` and `blocked`: how long the partner (or the pause) asks us to wait. */
  readonly retryAfterMs?: number;
}

export interface RetryPolicy {
  /** Attempts of one call for a transient failure (`unreachable`, `unavailable`), including the first. */
  readonly attempts: number;
  /** Back-off before attempt n+1: baseDelayMs·2^(n-1), jittered to between half and one and a half of it. */
  readonly baseDelayMs: number;
  /** Which transient failures are retried (default both); a write only ever on `unreachable` that never left. */
  readonly on?: ReadonlyArray<'unreachable' | 'unavailable'>;
}

export interface RetryAfterSpec {
  /** A number of seconds in the JSON body, e.g. amoCRM's `retry_after`; read before the header. */
  readonly bodyField?: string;
  /** A header of seconds, e.g. `retry-after` (lower case). */
  readonly header?: string;
  /** When neither says. */
  readonly defaultMs: number;
  /** Never wait less than this. */
  readonly minMs: number;
}

export interface RateLimitPolicy {
  readonly retryAfter: RetryAfterSpec;
  /** One wait (a 429's retry_after, or a stored pause) is done inside the call only up to this long. */
  readonly maxWaitMs: number;
  /** All 429 waits of one call together stay under this; past it the call fails `rate-limited` (retryable). */
  readonly maxTotalWaitMs: number;
}

export interface BlockPolicy {
  /** The partner's way of saying it blocked us (amoCRM: 403, often a bare nginx page). */
  detect(res: OutboundResponse): boolean;
  /** How long every process stops calling the key. */
  readonly pauseMs: number;
}

/** Where a pause of a key lives, so every process honours it (amoCRM: `amo_accounts.paused_until`). */
export interface PauseStore<K, C> {
  /** Until when (ms since the epoch) the key is paused, as known with these credentials; undefined: not paused. */
  until(key: K, creds: C): number | undefined;
  set(key: K, untilMs: number): Promise<void>;
}

export interface AuthPolicy<K, C> {
  /** The credentials for one call (may refresh first; may throw the partner's error). */
  credentials(key: K): Promise<C>;
  /** Puts the credentials on the request (a bearer header; amoCRM also completes the URL with the account's host). */
  apply(req: OutboundRequest, creds: C): OutboundRequest;
  /** The partner answered 401 to `used`: renewed credentials for one more attempt. */
  afterUnauthorized?(key: K, used: C): Promise<C>;
}

export interface PacingPolicy<K> extends PacingSpec {
  /** The shared schedule's key, e.g. `amocrm:<accountId>`. */
  key(key: K): string;
}

export interface PartnerPolicy<K = undefined, C = undefined, E extends Error = Error> {
  /** Partner name: the label of the outbound and alert metrics, and of log lines. */
  readonly partner: string;
  /** Log fields naming a key, e.g. `{ amoAccountId }`. */
  describe?(key: K): Record<string, unknown>;
  readonly pacing?: PacingPolicy<K>;
  /** In-call retries of transient failures; omitted: none. */
  readonly retry?: RetryPolicy;
  /** 429 handling: wait and retry inside the call; omitted: a 429 is a transient failure like a 503. */
  readonly rateLimit?: RateLimitPolicy;
  readonly block?: BlockPolicy;
  readonly pause?: PauseStore<K, C>;
  readonly auth?: AuthPolicy<K, C>;
  /** The final failure as the partner's error, which says `retryable`; omitted: an OutboundError. */
  error?(failure: Failure<K>): E;
}

/** The error a policy without its own error type throws: the HTTP layer's OutboundError, classified by the transport. */
export function outboundErrorOf<K>(f: Failure<K>): OutboundError {
  if (f.cause) return f.cause;
  if (f.response && f.sent) return statusError(f.partner, f.sent, f.response, f.retryable);
  return new OutboundError(
    f.partner,
    f.request.method,
    f.request.url,
    undefined,
    '',
    f.retryable,
    `${f.partner}: calls paused for ${Math.ceil((f.retryAfterMs ?? 0) / 1000)} s after a rate limit or block`,
    true,
  );
}

/** Reads how long a 429 asks us to wait, where the policy says the partner puts it. */
export function retryAfterMs(res: OutboundResponse, spec: RetryAfterSpec): number {
  const seconds = (value: unknown) => {
    const n = typeof value === 'string' && value.trim() === '' ? NaN : Number(value);
    return Number.isFinite(n) && n >= 0 ? Math.max(n * 1000, spec.minMs) : undefined;
  };
  if (spec.bodyField) {
    const fromBody = seconds(bodyField(res.text, spec.bodyField));
    if (fromBody !== undefined) return fromBody;
  }
  if (spec.header) {
    const fromHeader = seconds(res.headers[spec.header]);
    if (fromHeader !== undefined) return fromHeader;
  }
  return spec.defaultMs;
}

function bodyField(text: string, field: string): unknown {
  try {
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    return body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Senders whose retries belong to a job queue (webhook deliveries, customs and 1C pushes): one attempt per call,
 * no pacing, no credentials; the failure is an OutboundError whose `retryable` says whether the queue should try
 * again (network errors, 408, 429, 5xx) or give up (other 4xx, an SSRF refusal).
 */
export function senderPolicy(partner: string): PartnerPolicy<undefined, undefined, OutboundError> {
  return { partner };
}

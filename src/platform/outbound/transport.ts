// The hub's one retry loop for partner calls. For each call, as its PartnerPolicy says: credentials, a stored pause
// (waited out inside the call when short, else the call fails at once), the key's pacing slot, one HTTP attempt,
// then per outcome: 401 → renew credentials once and repeat; 429 → wait retry_after, store the pause, repeat while
// the waits stay bounded; block → store a long pause, count an alert, fail; transient → back off and repeat when
// the call kind allows; anything else fails at once. The final failure becomes the policy's error type, which
// says whether a retry can help.
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics.js';
import type { RateLimiter } from '../ratelimit/limiter.js';
import { realClock, type Clock } from './clock.js';
import { OutboundError, safeUrl, type HttpClient, type OutboundRequest, type OutboundResponse } from './http-client.js';
import { Pacer } from './pacing.js';
import { outboundErrorOf, retryAfterMs, type Failure, type FailureKind, type PartnerPolicy, type PartnerRequest } from './policy.js';

export interface PartnerTransportDeps {
  readonly http: HttpClient;
  readonly limiter: RateLimiter;
  readonly log: Logger;
  readonly metrics?: Metrics;
  readonly clock?: Clock;
  /**
   * Whether other processes may book the same schedule (false for an embedded hub: PGlite is one process's
   * database). Only then does a late wake-up give its slot up (pacing.ts); alone, this process's window suffices.
   */
  readonly sharedSchedule?: boolean;
}

/** What one attempt came to: a response to hand back, or a failure to act on. */
type Outcome = { ok: OutboundResponse } | { failure: FailureKind; response?: OutboundResponse; cause?: OutboundError };

export class PartnerTransport<K = undefined, C = undefined, E extends Error = OutboundError> {
  readonly clock: Clock;
  readonly #pacer: Pacer | undefined;

  constructor(
    readonly policy: PartnerPolicy<K, C, E>,
    private readonly deps: PartnerTransportDeps,
  ) {
    this.clock = deps.clock ?? realClock;
    this.#pacer = policy.pacing
      ? new Pacer(deps.limiter, this.clock, policy.pacing, { rebookLate: deps.sharedSchedule ?? true })
      : undefined;
  }

  /**
   * Books `key`'s next slot on the policy's schedule (for calls made outside `request`, e.g. under a lock);
   * call the returned function when the response is in.
   */
  async pace(key: K, signal?: AbortSignal): Promise<() => void> {
    return this.#pacer && this.policy.pacing ? this.#pacer.pace(this.policy.pacing.key(key), signal) : () => undefined;
  }

  /**
   * One partner call. Resolves to a 2xx response (any response with `anyStatus`: the caller reads the statuses,
   * only unreachable partners are retried and mapped); throws the policy's error otherwise.
   */
  async request(req: PartnerRequest<K>): Promise<OutboundResponse> {
    const { policy, clock } = this;
    const kind = req.kind ?? 'read';
    const key = req.key as K;
    if (req.key === undefined && (policy.pacing || policy.auth || policy.pause))
      throw new TypeError(`${policy.partner}: this call needs a key (pacing, credentials or pause)`);
    let creds = (policy.auth ? await policy.auth.credentials(key) : undefined) as C;
    let renewed = false;
    let failures = 0;
    let rateLimitedMs = 0;
    for (;;) {
      await this.#respectPause(req, creds);
      const sent = policy.auth ? policy.auth.apply(stripKind(req), creds) : stripKind(req);
      const done = await this.pace(key, req.signal);
      let outcome: Outcome;
      try {
        outcome = this.#classify(await this.deps.http.request({ ...sent, anyStatus: true }), req);
      } catch (err) {
        if (!(err instanceof OutboundError)) throw err;
        outcome = { failure: 'unreachable', cause: err };
      } finally {
        done();
      }
      if ('ok' in outcome) return outcome.ok;
      const { response, cause } = outcome;
      switch (outcome.failure) {
        case 'unauthorized':
          if (!renewed && policy.auth?.afterUnauthorized) {
            renewed = true;
            creds = await policy.auth.afterUnauthorized(key, creds);
            continue;
          }
          throw this.#fail({ kind: 'unauthorized', req, sent, response, retryable: false });
        case 'rate-limited': {
          const rl = policy.rateLimit!;
          const waitMs = retryAfterMs(response!, rl.retryAfter);
          await policy.pause?.set(key, clock.now() + waitMs);
          this.deps.log.warn({ ...this.#describe(req), waitMs, url: safeUrl(sent.url) }, `${policy.partner} rate limit (429); waiting`);
          // A storm can last a while: keep waiting in the call as long as the total stays bounded.
          if (kind !== 'none' && waitMs <= rl.maxWaitMs && (rateLimitedMs += waitMs) <= rl.maxTotalWaitMs) {
            await clock.sleep(waitMs, req.signal);
            continue;
          }
          throw this.#fail({ kind: 'rate-limited', req, sent, response, retryable: true, retryAfterMs: waitMs });
        }
        case 'blocked': {
          const { pauseMs } = policy.block!;
          const until = clock.now() + pauseMs;
          await policy.pause?.set(key, until);
          this.deps.metrics?.alerts.inc({ kind: 'partner_block', partner: policy.partner });
          this.deps.log.error(
            {
              ...this.#describe(req),
              url: safeUrl(sent.url),
              status: response!.status,
              body: response!.text.slice(0, 200),
              pausedUntil: new Date(until).toISOString(),
            },
            `${policy.partner} blocked our requests (${response!.status}); pausing calls`,
          );
          throw this.#fail({ kind: 'blocked', req, sent, response, retryable: true, retryAfterMs: pauseMs });
        }
        case 'unreachable':
        case 'unavailable': {
          const retryable = cause ? cause.retryable : true;
          const retried = policy.retry?.on?.includes(outcome.failure) ?? true;
          const again = retryable && retried && (kind === 'read' || (kind === 'write' && cause?.neverSent === true));
          if (again && ++failures < (policy.retry?.attempts ?? 1) && !req.signal?.aborted) {
            const delay = this.#backoff(failures, response);
            this.deps.log.warn(
              { ...this.#describe(req), url: safeUrl(sent.url), status: response?.status, attempt: failures, delayMs: Math.round(delay) },
              `${policy.partner} call failed, retrying`,
            );
            await clock.sleep(delay, req.signal);
            continue;
          }
          throw this.#fail({ kind: outcome.failure, req, sent, response, cause, retryable });
        }
        default:
          throw this.#fail({ kind: outcome.failure, req, sent, response, retryable: false });
      }
    }
  }

  #classify(res: OutboundResponse, req: PartnerRequest<K>): Outcome {
    const { status } = res;
    if ((status >= 200 && status < 300) || req.anyStatus) return { ok: res };
    const { policy } = this;
    if (status === 401 && policy.auth) return { failure: 'unauthorized', response: res };
    if (status === 429 && policy.rateLimit) return { failure: 'rate-limited', response: res };
    if (policy.block?.detect(res)) return { failure: 'blocked', response: res };
    if (status >= 500 || status === 408 || status === 429) return { failure: 'unavailable', response: res };
    // Other 4xx; and 3xx: no redirects are followed, a partner answering one is not where the policy expects it.
    return { failure: 'rejected', response: res };
  }

  /** A stored pause (an earlier 429 or block, seen by any process): wait it out when short, else fail at once. */
  async #respectPause(req: PartnerRequest<K>, creds: C): Promise<void> {
    const until = this.policy.pause?.until(req.key as K, creds);
    const waitMs = (until ?? 0) - this.clock.now();
    if (waitMs <= 0) return;
    if (waitMs > (this.policy.rateLimit?.maxWaitMs ?? 0)) throw this.#fail({ kind: 'paused', req, retryable: true, retryAfterMs: waitMs });
    await this.clock.sleep(waitMs, req.signal);
  }

  #backoff(failures: number, response?: OutboundResponse): number {
    // A 429 treated as transient (no rateLimit policy) still honours the partner's Retry-After.
    if (response?.status === 429) {
      const asked = retryAfterMs(response, { header: 'retry-after', defaultMs: -1, minMs: 0 });
      if (asked >= 0) return asked;
    }
    const base = (this.policy.retry?.baseDelayMs ?? 0) * 2 ** (failures - 1);
    return base / 2 + Math.random() * base;
  }

  #describe(req: PartnerRequest<K>): Record<string, unknown> {
    return req.key !== undefined && this.policy.describe ? this.policy.describe(req.key) : {};
  }

  #fail(f: {
    kind: FailureKind;
    req: PartnerRequest<K>;
    sent?: OutboundRequest;
    response?: OutboundResponse | undefined;
    cause?: OutboundError | undefined;
    retryable: boolean;
    retryAfterMs?: number;
  }): Error {
    const failure: Failure<K> = {
      kind: f.kind,
      partner: this.policy.partner,
      request: f.req,
      retryable: f.retryable,
      ...(f.sent ? { sent: f.sent } : {}),
      ...(f.response ? { response: f.response } : {}),
      ...(f.cause ? { cause: f.cause } : {}),
      ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}),
    };
    return this.policy.error ? this.policy.error(failure) : outboundErrorOf(failure);
  }

  async close(): Promise<void> {
    await this.deps.http.close();
  }
}

function stripKind<K>(req: PartnerRequest<K>): OutboundRequest {
  const { kind: _kind, key: _key, anyStatus: _any, ...rest } = req;
  return rest;
}

// amoCRM as partner policies for the hub's one transport (src/platform/outbound/transport.ts); the numbers are in
// facts.ts. The API policy: each account's shared pacing slot (7 req/s across every process) plus the per-process
// window, bearer token with one refresh on 401, 429 → wait retry_after (body, then header) with a shared pause,
// 403 → block pause + alert, 5xx/timeouts → reads retried, 4xx → a permanent AmoError (validation errors carry
// amoCRM's `validation-errors` paths). The OAuth policy: the token endpoint and the connect-time account read,
// paced by their callers, with no stored credentials.
import type { OutboundResponse } from '../../platform/outbound/http-client.js';
import type { Failure, PartnerPolicy, RateLimitPolicy } from '../../platform/outbound/policy.js';
import { AmoError } from './errors.js';
import { AMO_FACTS } from './facts.js';
import { safeJson, type AmoTokens, type CallCredentials } from './tokens.js';
import type { AmoValidationError } from './types.js';

export const AMO_PARTNER = 'amocrm';

const rateLimit: RateLimitPolicy = {
  retryAfter: { bodyField: 'retry_after', header: 'retry-after', defaultMs: AMO_FACTS.default429WaitMs, minMs: AMO_FACTS.min429WaitMs },
  maxWaitMs: AMO_FACTS.maxInlineWaitMs,
  maxTotalWaitMs: AMO_FACTS.maxInlineRateLimitWaitMs,
};
const retry = { attempts: AMO_FACTS.readAttempts, baseDelayMs: AMO_FACTS.retryBaseDelayMs };

/** Calls to one account's API: `key` is the amoCRM account id; request URLs are paths, completed with the account's host. */
export function amoApiPolicy(tokens: () => AmoTokens, rateLimitPerSecond: number): PartnerPolicy<number, CallCredentials, AmoError> {
  return {
    partner: AMO_PARTNER,
    describe: (amoAccountId) => ({ amoAccountId }),
    pacing: {
      key: (amoAccountId) => `amocrm:${amoAccountId}`,
      // Slightly wider than 1000/limit, so network jitter never lands limit+1 requests in one amoCRM second.
      intervalMs: 1000 / rateLimitPerSecond + AMO_FACTS.pacingMarginMs,
      window: { limit: rateLimitPerSecond, windowMs: 1000 + AMO_FACTS.localWindowGuardMs },
    },
    retry,
    rateLimit,
    // amoCRM blocks an IP/account after repeated violations, often with a bare nginx HTML page.
    block: { detect: (res) => res.status === 403, pauseMs: AMO_FACTS.blockBackoffMs },
    pause: {
      until: (_id, creds) => creds.pausedUntil?.getTime(),
      set: (amoAccountId, untilMs) => tokens().pause(amoAccountId, new Date(untilMs)),
    },
    auth: {
      credentials: (amoAccountId) => tokens().credentials(amoAccountId),
      apply: (req, creds) => ({
        ...req,
        url: `${creds.baseUrl}${req.url}`,
        headers: { ...req.headers, authorization: `Bearer ${creds.accessToken}` },
      }),
      afterUnauthorized: (amoAccountId, used) => tokens().afterUnauthorized(amoAccountId, used.accessToken),
    },
    error: apiError,
  };
}

/**
 * The token endpoint and the `/api/v4/account` read at connect time (a token not stored yet). Their callers book
 * the account's pacing slot themselves (a refresh books it before taking the row lock) and read the OAuth
 * problem bodies themselves; reads are retried on outages and wait out a 429 like API calls.
 */
export function amoOauthPolicy(): PartnerPolicy<number, undefined, Error> {
  return { partner: AMO_PARTNER, retry, rateLimit };
}

/** The final failure of an API call as an AmoError: outages and limits are retryable, 4xx are not. */
function apiError(f: Failure<number>): AmoError {
  const method = f.request.method;
  const path = f.request.url.split('?')[0]!;
  switch (f.kind) {
    case 'unreachable':
      // An SSRF refusal (a misconfigured AMO_BASE_URL_TEMPLATE) will not pass on a retry either.
      return new AmoError('UNAVAILABLE', `amoCRM unreachable: ${f.cause?.message}`, {
        retryable: f.retryable,
        notApplied: f.cause?.neverSent === true,
      });
    case 'unavailable':
      // 503 (the gateway had no backend for it) and 408 (the request never arrived whole) were not carried out;
      // after a 500, 502 or 504 a write may have landed.
      return new AmoError('UNAVAILABLE', `amoCRM answered ${f.response?.status} to ${method} ${path}`, {
        notApplied: AMO_FACTS.notAppliedStatuses.includes(f.response?.status ?? 0),
      });
    case 'rate-limited':
      return new AmoError('RATE_LIMITED', undefined, { retryAfterMs: f.retryAfterMs! });
    case 'paused':
      return new AmoError(
        'RATE_LIMITED',
        `amoCRM account ${f.request.key} is paused for ${Math.ceil(f.retryAfterMs! / 1000)} s after a 429/403`,
        { retryAfterMs: f.retryAfterMs! },
      );
    case 'blocked':
      return new AmoError('BLOCKED', undefined, { retryAfterMs: f.retryAfterMs! });
    case 'unauthorized':
      return new AmoError('NEEDS_REAUTH', 'amoCRM rejects freshly refreshed tokens (integration disabled?)', { retryable: false });
    case 'rejected':
      return clientError(f.response!, method, path);
  }
}

interface AmoProblem {
  title?: string;
  detail?: string;
  'validation-errors'?: Array<{ request_id?: string; errors?: Array<{ code?: string; path?: string; detail?: string }> }>;
}

/** 4xx other than 401/403/429: retrying the same request cannot help. */
function clientError(res: OutboundResponse, method: string, path: string): AmoError {
  const { status } = res;
  const problem = (safeJson(res.text) ?? {}) as AmoProblem;
  const detail = problem.detail ?? problem.title ?? res.text.slice(0, 200);
  if (status === 402) return new AmoError('PAYMENT_REQUIRED', undefined, { retryable: false });
  if (status === 404) return new AmoError('NOT_FOUND', `amoCRM: ${method} ${path} not found`);
  if (status === 400 || status === 422) {
    const validationErrors: AmoValidationError[] = [];
    for (const group of problem['validation-errors'] ?? []) {
      for (const e of group.errors ?? []) {
        validationErrors.push({
          ...(group.request_id !== undefined ? { request_id: String(group.request_id) } : {}),
          code: e.code ?? 'Invalid',
          path: e.path ?? '',
          detail: e.detail ?? '',
        });
      }
    }
    const summary = validationErrors.length
      ? `: ${validationErrors
          .slice(0, 5)
          .map((e) => `${e.path} ${e.code}`)
          .join('; ')}`
      : ` (${detail})`;
    return new AmoError('VALIDATION_FAILED', `amoCRM rejected ${method} ${path}${summary}`, { validationErrors, retryable: false });
  }
  return new AmoError('UNEXPECTED_RESPONSE', `amoCRM answered ${status} to ${method} ${path}: ${detail}`.slice(0, 500), {
    retryable: false,
    notApplied: true,
  });
}

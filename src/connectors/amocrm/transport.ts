// One amoCRM API call, done right: the account's shared pacing slot (7 req/s across every process), bearer
// token with refresh on 401, 429 → wait retry_after, 403 block → long shared pause + alert, 5xx → retry reads,
// 4xx validation → a permanent AmoError carrying amoCRM's `validation-errors` paths.
import qs from 'qs';
import type { Hub } from '../../platform/hub.js';
import type { HttpClient, OutboundResponse } from '../../platform/outbound/http-client.js';
import { AmoError } from './errors.js';
import { AMO_FACTS } from './facts.js';
import { safeJson, type AmoTokens, type CallCredentials } from './tokens.js';
import type { AmoValidationError } from './types.js';
import type { AmoSettings } from './settings.js';

export interface AmoRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path under the account's base URL, e.g. `/api/v4/leads`. */
  readonly path: string;
  /** Serialised PHP-style (`filter[id][]=1`); or a ready query string (from `_links.next`). */
  readonly query?: Record<string, unknown> | string;
  readonly json?: unknown;
  /** Reads are retried here on 5xx/timeouts; writes are not (a 504 may have landed), the job queue decides. */
  readonly kind: 'read' | 'write';
  readonly signal?: AbortSignal;
}

export interface AmoResponse<T> {
  readonly status: number;
  /** undefined for 204 No Content (amoCRM's "nothing found"). */
  readonly data: T | undefined;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (ms <= 0) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

/** Requests in flight or recently answered, per account, shared by every connector instance of a hub process. */
const sentByHub = new WeakMap<Hub, Map<number, Array<{ doneAt?: number }>>>();

export class AmoTransport {
  /** Milliseconds between two requests to one account, slightly wider than 1000/limit. */
  readonly intervalMs: number;

  constructor(
    private readonly hub: Hub,
    private readonly settings: AmoSettings,
    private readonly http: HttpClient,
    private readonly tokensRef: () => AmoTokens,
  ) {
    this.intervalMs = 1000 / settings.rateLimitPerSecond + AMO_FACTS.pacingMarginMs;
  }

  /**
   * Waits for this account's next slot on the schedule every hub process shares (the slot is absolute: time
   * spent waiting for the database is not added on top), then for this process's own sliding window: a request
   * counts from its send until its response came back, so even when the event loop stalls and requests arrive
   * bunched, amoCRM never sees more than `limit` of ours within one second. Call the returned function when
   * the response (or error) is in.
   */
  async pace(amoAccountId: number, signal?: AbortSignal): Promise<() => void> {
    const asked = Date.now();
    const wait = await this.hub.rateLimiter.reserve(`amocrm:${amoAccountId}`, this.intervalMs, asked);
    await sleep(asked + wait - Date.now(), signal);
    const limit = this.settings.rateLimitPerSecond;
    const windowMs = 1000 + AMO_FACTS.localWindowGuardMs;
    let windows = sentByHub.get(this.hub);
    if (!windows) sentByHub.set(this.hub, (windows = new Map()));
    let window = windows.get(amoAccountId);
    if (!window) windows.set(amoAccountId, (window = []));
    for (;;) {
      const now = Date.now();
      while (window.length && window[0]!.doneAt !== undefined && window[0]!.doneAt <= now - windowMs) window.shift();
      const live = window.filter((e) => e.doneAt === undefined || e.doneAt > now - windowMs);
      if (live.length < limit) break;
      const oldest = live[0]!;
      await sleep(oldest.doneAt === undefined ? 10 : oldest.doneAt + windowMs - now + 1, signal);
    }
    const entry: { doneAt?: number } = {};
    window.push(entry);
    return () => {
      entry.doneAt ??= Date.now();
    };
  }

  async request<T>(amoAccountId: number, req: AmoRequest): Promise<AmoResponse<T>> {
    const tokens = this.tokensRef();
    let creds = await tokens.credentials(amoAccountId);
    let authRetried = false;
    let failures = 0;
    let rateLimitedMs = 0;
    for (;;) {
      await this.#respectPause(amoAccountId, creds);
      const done = await this.pace(amoAccountId, req.signal);
      let res: OutboundResponse;
      try {
        res = await this.http.request({
          method: req.method,
          url: this.#url(creds, req),
          headers: { authorization: `Bearer ${creds.accessToken}`, accept: 'application/hal+json, application/json' },
          ...(req.json !== undefined ? { json: req.json } : {}),
          kind: 'none',
          anyStatus: true,
          ...(req.signal ? { signal: req.signal } : {}),
        });
      } catch (err) {
        done();
        if (req.kind === 'read' && ++failures < AMO_FACTS.readAttempts && !req.signal?.aborted) {
          await sleep(this.#backoff(failures), req.signal);
          continue;
        }
        throw new AmoError('UNAVAILABLE', `amoCRM unreachable: ${(err as Error).message}`);
      }
      done();
      const { status } = res;
      if (status >= 200 && status < 300) return { status, data: status === 204 || !res.text ? undefined : (safeJson(res.text) as T) };
      if (status === 401 && !authRetried) {
        authRetried = true;
        creds = await tokens.afterUnauthorized(amoAccountId, creds.accessToken);
        continue;
      }
      if (status === 429) {
        const waitMs = retryAfterMs(res);
        await tokens.pause(amoAccountId, new Date(Date.now() + waitMs));
        this.hub.log.warn({ amoAccountId, waitMs, path: req.path }, 'amoCRM rate limit (429); waiting');
        // A storm can last a while: keep waiting in the call as long as the total stays bounded.
        if (waitMs <= AMO_FACTS.maxInlineWaitMs && (rateLimitedMs += waitMs) <= AMO_FACTS.maxInlineRateLimitWaitMs) {
          await sleep(waitMs, req.signal);
          continue;
        }
        throw new AmoError('RATE_LIMITED', undefined, { retryAfterMs: waitMs });
      }
      if (status === 403) {
        // amoCRM blocks an IP/account after repeated violations, often with a bare nginx HTML page.
        const until = new Date(Date.now() + AMO_FACTS.blockBackoffMs);
        await tokens.pause(amoAccountId, until);
        this.hub.metrics.alerts.inc({ kind: 'partner_block', partner: 'amocrm' });
        this.hub.log.error(
          { amoAccountId, path: req.path, body: res.text.slice(0, 200), pausedUntil: until.toISOString() },
          'amoCRM blocked our requests (403); pausing this account',
        );
        throw new AmoError('BLOCKED', undefined, { retryAfterMs: AMO_FACTS.blockBackoffMs });
      }
      if (status >= 500 || status === 408) {
        if (req.kind === 'read' && ++failures < AMO_FACTS.readAttempts) {
          await sleep(this.#backoff(failures), req.signal);
          continue;
        }
        throw new AmoError('UNAVAILABLE', `amoCRM answered ${status} to ${req.method} ${req.path}`);
      }
      throw clientError(status, req, res);
    }
  }

  async #respectPause(amoAccountId: number, creds: CallCredentials): Promise<void> {
    const waitMs = (creds.pausedUntil?.getTime() ?? 0) - Date.now();
    if (waitMs <= 0) return;
    if (waitMs > AMO_FACTS.maxInlineWaitMs) {
      throw new AmoError('RATE_LIMITED', `amoCRM account ${amoAccountId} is paused for ${Math.ceil(waitMs / 1000)} s after a 429/403`, {
        retryAfterMs: waitMs,
      });
    }
    await sleep(waitMs);
  }

  #backoff(failures: number): number {
    const base = AMO_FACTS.retryBaseDelayMs * 2 ** (failures - 1);
    return base / 2 + Math.random() * base;
  }

  #url(creds: CallCredentials, req: AmoRequest): string {
    const query =
      typeof req.query === 'string'
        ? req.query.replace(/^\?/, '')
        : req.query
          ? qs.stringify(req.query, { arrayFormat: 'brackets', encodeValuesOnly: true })
          : '';
    return `${creds.baseUrl}${req.path}${query ? `?${query}` : ''}`;
  }
}

function retryAfterMs(res: OutboundResponse): number {
  const body = safeJson(res.text) as { retry_after?: unknown } | undefined;
  const fromBody = Number(body?.retry_after);
  if (Number.isFinite(fromBody) && fromBody >= 0) return Math.max(fromBody * 1000, 100);
  const header = Number(res.headers['retry-after']);
  if (Number.isFinite(header) && header >= 0) return Math.max(header * 1000, 100);
  return AMO_FACTS.default429WaitMs;
}

interface AmoProblem {
  title?: string;
  detail?: string;
  'validation-errors'?: Array<{ request_id?: string; errors?: Array<{ code?: string; path?: string; detail?: string }> }>;
}

/** 4xx other than 401/403/429: retrying the same request cannot help. */
function clientError(status: number, req: AmoRequest, res: OutboundResponse): AmoError {
  const problem = (safeJson(res.text) ?? {}) as AmoProblem;
  const detail = problem.detail ?? problem.title ?? res.text.slice(0, 200);
  if (status === 402) return new AmoError('PAYMENT_REQUIRED', undefined, { retryable: false });
  if (status === 404) return new AmoError('NOT_FOUND', `amoCRM: ${req.method} ${req.path} not found`);
  if (status === 401)
    return new AmoError('NEEDS_REAUTH', 'amoCRM rejects freshly refreshed tokens (integration disabled?)', { retryable: false });
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
    return new AmoError('VALIDATION_FAILED', `amoCRM rejected ${req.method} ${req.path}${summary}`, { validationErrors, retryable: false });
  }
  return new AmoError('UNEXPECTED_RESPONSE', `amoCRM answered ${status} to ${req.method} ${req.path}: ${detail}`.slice(0, 500), {
    retryable: false,
  });
}

// The public API's gate, run on every request of the /api/v1 scope before validation: the X-API-Key (401 when
// missing, unknown or revoked), the key's rate limit (429, with X-RateLimit-* and the IETF draft pair on every
// answer), then the bot binding (403 for another bot's bot_id or a disabled bot). Every answer — accepted or
// not — goes to the usage log and the activity monitor. Each 401/403 counts against the client IP; an IP past
// AUTH_FAILURE_LIMIT is answered 429 (Retry-After) before any key lookup, unless its key is one this process
// already holds as valid (so a guesser behind the same NAT does not lock out a working integration).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Hub } from '../../platform/hub.js';
import { isPreflight } from '../../platform/http/cors.js';
import type { HubError } from '../../platform/http/errors.js';
import type { LimitDecision } from '../../platform/ratelimit/limiter.js';
import { trackingError } from './errors.js';
import type { KeyIdentity } from './keys.js';
import type { KeyCache } from './key-cache.js';
import type { ActivityMonitor } from './monitor.js';
import type { TrackingOptions } from './options.js';
import type { UsageRecorder } from './usage.js';

export interface GateDeps {
  readonly hub: Hub;
  readonly keys: KeyCache;
  readonly usage: UsageRecorder;
  readonly monitor: ActivityMonitor;
  readonly options: TrackingOptions;
}

/** The key a request was authenticated with (set by the gate). */
const identities = new WeakMap<FastifyRequest, KeyIdentity>();
export const requestKey = (req: FastifyRequest): KeyIdentity | undefined => identities.get(req);

/** X-RateLimit-* (reset as a Unix time, like AfterShip and Ship24) and the IETF draft RateLimit-Policy/RateLimit. */
export function rateLimitHeaders(d: LimitDecision, periodMs: number, nowMs = Date.now()): Record<string, string> {
  const resetSeconds = Math.ceil(d.resetMs / 1000);
  return {
    'x-ratelimit-limit': String(d.limit),
    'x-ratelimit-remaining': String(d.remaining),
    'x-ratelimit-reset': String(Math.ceil((nowMs + d.resetMs) / 1000)),
    'ratelimit-policy': `"default";q=${d.limit};w=${Math.round(periodMs / 1000)}`,
    ratelimit: `"default";r=${d.remaining};t=${resetSeconds}`,
  };
}

export function installGate(app: FastifyInstance, deps: GateDeps): void {
  const { hub, keys, usage, monitor, options } = deps;

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    // A browser's preflight carries no key: the CORS hook after this one answers it (per-bot origins, routes.ts).
    if (isPreflight(req)) return;
    const header = req.headers['x-api-key'];
    const key = (Array.isArray(header) ? header[0] : header)?.trim();
    const now = Date.now();
    const ip = req.ip;
    const waitMs = monitor.authRetryAfterMs(ip, now);
    if (waitMs > 0 && !keys.knows(key)) {
      const seconds = Math.ceil(waitMs / 1000);
      throw trackingError(
        'RATE_LIMITED',
        `Слишком много неудачных попыток авторизации с этого адреса. Повторите через ${seconds} с`,
        undefined,
        {
          'retry-after': String(seconds),
        },
      );
    }
    /** A 401/403 of this gate, counted against the IP before it is answered. */
    const refused = (error: HubError, keyId: number | null = null): HubError => {
      monitor.authFailure(ip, keyId, now);
      return error;
    };
    if (!key) throw refused(trackingError('KEY_MISSING', undefined, undefined, { 'www-authenticate': 'ApiKey header="X-API-Key"' }));
    // The limit is part of the bucket key: GCRA stores time debt, so a changed limit starts a fresh allowance. The
    // hub's limiter never rejects: while its store is away it answers from this process's memory (ratelimit/fallback.ts).
    const check = (identity: KeyIdentity, watch: string) =>
      hub.rateLimiter.check(
        `${options.rateLimitPrefix}key:${identity.keyId}:${identity.rateLimitPerMinute}`,
        identity.rateLimitPerMinute,
        options.rateLimitPeriodMs,
        now,
        watch,
      );
    const { identity, decision } = await keys.authenticate(key, check);
    if (!identity) throw refused(trackingError('KEY_INVALID', undefined, undefined, { 'www-authenticate': 'ApiKey header="X-API-Key"' }));
    identities.set(req, identity);
    if (decision) {
      reply.headers(rateLimitHeaders(decision, options.rateLimitPeriodMs, now));
      if (!decision.allowed) {
        throw trackingError(
          'RATE_LIMITED',
          `Превышен лимит: ${decision.limit} запросов в минуту для ключа. Повторите через ${Math.ceil(decision.retryAfterMs / 1000)} с`,
          undefined,
          {
            'retry-after': String(Math.ceil(decision.retryAfterMs / 1000)),
          },
        );
      }
    }

    const botParam = (req.params as { bot_id?: string } | undefined)?.bot_id;
    if (botParam !== undefined && (!/^\d+$/.test(botParam) || Number(botParam) !== identity.botId))
      throw refused(trackingError('BOT_FORBIDDEN'), identity.keyId);
    // A disabled bot's own key may still read /bots/{id}, so its client can see `is_active: false` and why it is
    // refused; every other route answers 403.
    if (!identity.botActive && !(req.method === 'GET' && req.routeOptions.url?.endsWith('/bots/:bot_id')))
      throw refused(trackingError('BOT_INACTIVE'), identity.keyId);
    // A read key (e.g. embedded in a web page) changes nothing; not counted as an authentication failure.
    if (identity.scope === 'read' && req.method !== 'GET' && req.method !== 'HEAD') throw trackingError('KEY_READ_ONLY');
  });

  app.addHook('onResponse', async (req: FastifyRequest, reply: FastifyReply) => {
    const identity = identities.get(req);
    const entry = {
      keyId: identity?.keyId ?? null,
      botId: identity?.botId ?? null,
      atMs: Date.now(),
      method: req.method,
      path: req.url.split('?', 1)[0]!.slice(0, 500),
      status: reply.statusCode,
      ip: req.ip,
      latencyMs: reply.elapsedTime,
    };
    usage.record(entry);
    monitor.observe({ ip: entry.ip, status: entry.status, keyId: entry.keyId });
  });
}

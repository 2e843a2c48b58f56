// The same GCRA as limiter.ts, kept in Redis (REDIS_URL) so API instances share limits without a database
// round trip. The checks asked for during one event-loop round (RoundBatch) go to Redis as ONE script call that
// runs them in order, atomically across every instance: on loopback a write to Redis costs about as much CPU as the
// script itself, and each command costs ioredis its own parsing and bookkeeping (22 µs a request when every check
// was its own command in a pipeline). Keys of one call may lie anywhere: the limiter needs one Redis, not a cluster.
// Calls fail fast: no offline queue (a call while disconnected fails at once instead of waiting for a reconnect),
// no resend after a lost connection, and a command timeout; the hub then limits per process (fallback.ts).

import { Redis } from 'ioredis';
import { RoundBatch } from './round-batch.js';
import { decide, newGeneration, type LimitDecision } from './limiter.js';
import type { SharedStore } from './fallback.js';

// Per check, ARGV holds now, interval, period and whether a generation key follows its bucket key in KEYS.
const CHECK_MANY = `
local out, k = {}, 1
for i = 1, #ARGV, 4 do
  local now, interval, period = tonumber(ARGV[i]), tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  local key = KEYS[k]
  k = k + 1
  local tat = tonumber(redis.call('GET', key) or now)
  local generation = ''
  if ARGV[i + 3] == '1' then
    generation = redis.call('GET', KEYS[k]) or ''
    k = k + 1
  end
  local new = math.max(tat, now) + interval
  if new - now <= period then
    redis.call('SET', key, tostring(new), 'PX', math.ceil(period) + 1000)
    out[#out + 1] = {1, tostring(new), generation}
  else
    out[#out + 1] = {0, tostring(tat), generation}
  end
end
return out`;

const RESERVE = `
local tat = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
local now, interval = tonumber(ARGV[1]), tonumber(ARGV[2])
local new = math.max(tat, now) + interval
redis.call('SET', KEYS[1], tostring(new), 'PX', math.ceil(new - now) + 60000)
return tostring(new)`;

type Script = (...args: Array<string | number>) => Promise<unknown>;
interface Scripts {
  hubCheckMany: Script;
  hubReserve: Script;
}
type CheckReply = [number, string, string];

interface PendingCheck {
  readonly keys: readonly string[];
  readonly argv: readonly [number, number, number, 0 | 1];
  resolve(reply: CheckReply): void;
  reject(err: unknown): void;
}

export interface RedisLimiterOptions {
  /** The longest wait for one call (REDIS_COMMAND_TIMEOUT_MS). */
  readonly commandTimeoutMs?: number;
  /** The connection dropped after it had been ready (Redis stopped, restarted, network cut). */
  readonly onConnectionLost?: (err?: unknown) => void;
  /** The connection is ready again after a loss. */
  readonly onReconnected?: () => void;
}

/** The longest wait for a connection; the first one also bounds how long start-up waits for Redis. */
const CONNECT_TIMEOUT_MS = 1000;
/** Reconnect attempts back off up to this interval: a restarted Redis is found again within it. */
const MAX_RECONNECT_DELAY_MS = 500;

export class RedisRateLimiter implements SharedStore {
  readonly #redis: Redis;
  readonly #round = new RoundBatch<PendingCheck>((batch) => this.#send(batch));
  /** Settles when the first connection attempt is over; checks asked for before then wait for it. */
  readonly #firstAttempt: Promise<boolean>;
  #attempted = false;
  #wasReady = false;
  #closing = false;

  constructor(
    url: string,
    private readonly prefix = 'hub:rl:',
    opts: RedisLimiterOptions = {},
  ) {
    this.#redis = new Redis(url, {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      commandTimeout: opts.commandTimeoutMs ?? 100,
      connectTimeout: CONNECT_TIMEOUT_MS,
      retryStrategy: (times) => Math.min(50 * times, MAX_RECONNECT_DELAY_MS),
    });
    let lastError: unknown;
    this.#redis.on('error', (err) => (lastError = err)); // reconnects by itself; failed calls surface to callers
    this.#firstAttempt = new Promise<boolean>((resolve) => {
      const settle = (ok: boolean) => {
        if (this.#attempted) return;
        this.#attempted = true;
        clearTimeout(timer);
        resolve(ok);
      };
      const timer = setTimeout(() => settle(false), CONNECT_TIMEOUT_MS + 100);
      timer.unref();
      this.#redis.once('ready', () => settle(true));
      this.#redis.once('close', () => settle(false));
    });
    this.#redis.on('ready', () => {
      if (this.#wasReady) opts.onReconnected?.();
      this.#wasReady = true;
    });
    this.#redis.on('close', () => {
      if (this.#wasReady && !this.#closing) opts.onConnectionLost?.(lastError);
    });
    // EVALSHA with a fallback to EVAL (NOSCRIPT after a restart or SCRIPT FLUSH): the scripts travel once.
    this.#redis.defineCommand('hubCheckMany', { lua: CHECK_MANY });
    this.#redis.defineCommand('hubReserve', { lua: RESERVE, numberOfKeys: 1 });
  }

  get #scripts(): Scripts {
    return this.#redis as unknown as Scripts;
  }

  async check(key: string, limit: number, periodMs: number, nowMs = Date.now(), watch?: string): Promise<LimitDecision> {
    const keys = watch === undefined ? [this.prefix + key] : [this.prefix + key, `${this.prefix}gen:${watch}`];
    const [ok, tat, generation] = await new Promise<CheckReply>((resolve, reject) =>
      this.#round.add({ keys, argv: [nowMs, periodMs / limit, periodMs, watch === undefined ? 0 : 1], resolve, reject }),
    );
    return decide(ok === 1, Number(tat), nowMs, limit, periodMs, watch === undefined ? undefined : generation);
  }

  /** Resolves once the first connection attempt is over: true when Redis answered. */
  ready(): Promise<boolean> {
    return this.#firstAttempt;
  }

  async probe(): Promise<void> {
    await this.#redis.ping();
  }

  #send(batch: PendingCheck[]): void {
    if (!this.#attempted) {
      void this.#firstAttempt.then(() => this.#send(batch));
      return;
    }
    const keys = batch.flatMap((c) => c.keys);
    const argv = batch.flatMap((c) => c.argv);
    (this.#scripts.hubCheckMany(keys.length, ...keys, ...argv) as Promise<CheckReply[]>).then(
      (replies) => batch.forEach((c, i) => c.resolve(replies[i]!)),
      (err: unknown) => batch.forEach((c) => c.reject(err)),
    );
  }

  async bump(name: string): Promise<string> {
    if (!this.#attempted) await this.#firstAttempt;
    const value = newGeneration();
    await this.#redis.set(`${this.prefix}gen:${name}`, value);
    return value;
  }

  async reserve(key: string, intervalMs: number, nowMs = Date.now()): Promise<number> {
    if (!this.#attempted) await this.#firstAttempt;
    const tat = Number(await this.#scripts.hubReserve(this.prefix + key, nowMs, intervalMs));
    return Math.max(0, tat - intervalMs - nowMs);
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (this.#redis.status === 'ready') await this.#redis.quit().catch(() => undefined);
    this.#redis.disconnect();
  }
}

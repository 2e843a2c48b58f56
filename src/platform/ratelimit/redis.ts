// The same GCRA as limiter.ts, kept in Redis (REDIS_URL) so API instances share limits without a database
// round trip. Each call is one Lua script: atomic across every instance.
import { Redis } from 'ioredis';
import { decide, type LimitDecision, type RateLimiter } from './limiter.js';

const CHECK = `
local tat = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
local now, interval, period = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local new = math.max(tat, now) + interval
if new - now <= period then
  redis.call('SET', KEYS[1], tostring(new), 'PX', math.ceil(period) + 1000)
  return {1, tostring(new)}
end
return {0, tostring(tat)}`;

const RESERVE = `
local tat = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
local now, interval = tonumber(ARGV[1]), tonumber(ARGV[2])
local new = math.max(tat, now) + interval
redis.call('SET', KEYS[1], tostring(new), 'PX', math.ceil(new - now) + 60000)
return tostring(new)`;

export class RedisRateLimiter implements RateLimiter {
  readonly #redis: Redis;

  constructor(url: string, private readonly prefix = 'hub:rl:') {
    this.#redis = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: false, enableOfflineQueue: true });
    this.#redis.on('error', () => undefined); // reconnects by itself; failed calls surface to callers
  }

  async check(key: string, limit: number, periodMs: number, nowMs = Date.now()): Promise<LimitDecision> {
    const [ok, tat] = (await this.#redis.eval(CHECK, 1, this.prefix + key, nowMs, periodMs / limit, periodMs)) as [number, string];
    return decide(ok === 1, Number(tat), nowMs, limit, periodMs);
  }

  async reserve(key: string, intervalMs: number, nowMs = Date.now()): Promise<number> {
    const tat = Number(await this.#redis.eval(RESERVE, 1, this.prefix + key, nowMs, intervalMs));
    return Math.max(0, tat - intervalMs - nowMs);
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => undefined);
  }
}

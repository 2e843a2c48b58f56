// The same GCRA as limiter.ts, kept in Redis (REDIS_URL) so API instances share limits without a database
// round trip. Each check is one Lua script: atomic across every instance.
// The checks of one event-loop round go out together as one pipeline (RoundBatch): on loopback each write to Redis
// costs about as much CPU as the script itself, on both sides.
import { Redis } from 'ioredis';
import { RoundBatch } from './round-batch.js';
import { decide, newGeneration, type LimitDecision, type RateLimiter } from './limiter.js';

// KEYS[2], when given, is a generation to read in the same call.
const CHECK = `
local tat = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
local now, interval, period = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local generation = ''
if KEYS[2] then generation = redis.call('GET', KEYS[2]) or '' end
local new = math.max(tat, now) + interval
if new - now <= period then
  redis.call('SET', KEYS[1], tostring(new), 'PX', math.ceil(period) + 1000)
  return {1, tostring(new), generation}
end
return {0, tostring(tat), generation}`;

const RESERVE = `
local tat = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
local now, interval = tonumber(ARGV[1]), tonumber(ARGV[2])
local new = math.max(tat, now) + interval
redis.call('SET', KEYS[1], tostring(new), 'PX', math.ceil(new - now) + 60000)
return tostring(new)`;

type Script = (...args: Array<string | number>) => Promise<unknown>;
interface Scripts {
  hubCheck: Script;
  hubReserve: Script;
}
type CheckReply = [number, string, string];

interface PendingCheck {
  readonly args: Array<string | number>;
  resolve(reply: CheckReply): void;
  reject(err: unknown): void;
}

export class RedisRateLimiter implements RateLimiter {
  readonly #redis: Redis;
  readonly #round = new RoundBatch<PendingCheck>((batch) => this.#send(batch));

  constructor(url: string, private readonly prefix = 'hub:rl:') {
    this.#redis = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: false, enableOfflineQueue: true });
    this.#redis.on('error', () => undefined); // reconnects by itself; failed calls surface to callers
    // EVALSHA with a fallback to EVAL: the scripts travel once, not with every call.
    this.#redis.defineCommand('hubCheck', { lua: CHECK });
    this.#redis.defineCommand('hubReserve', { lua: RESERVE, numberOfKeys: 1 });
  }

  get #scripts(): Scripts {
    return this.#redis as unknown as Scripts;
  }

  async check(key: string, limit: number, periodMs: number, nowMs = Date.now(), watch?: string): Promise<LimitDecision> {
    const keys = watch === undefined ? [this.prefix + key] : [this.prefix + key, `${this.prefix}gen:${watch}`];
    const [ok, tat, generation] = await this.#batched([keys.length, ...keys, nowMs, periodMs / limit, periodMs]);
    return decide(ok === 1, Number(tat), nowMs, limit, periodMs, watch === undefined ? undefined : generation);
  }

  #batched(args: Array<string | number>): Promise<CheckReply> {
    return new Promise<CheckReply>((resolve, reject) => this.#round.add({ args, resolve, reject }));
  }

  #send(batch: PendingCheck[]): void {
    if (batch.length === 1) {
      const [only] = batch as [PendingCheck];
      (this.#scripts.hubCheck(...only.args) as Promise<CheckReply>).then(only.resolve, only.reject);
      return;
    }
    // Each check settles through its own callback: ioredis resends a script Redis has forgotten (NOSCRIPT, after a
    // restart or SCRIPT FLUSH) as EVAL, and only the command's own callback sees the resent answer.
    const pipeline = this.#redis.pipeline() as unknown as Record<'hubCheck', (...args: unknown[]) => void> & { exec(): Promise<unknown> };
    for (const c of batch) pipeline.hubCheck(...c.args, (err: Error | null, reply: CheckReply) => (err ? c.reject(err) : c.resolve(reply)));
    pipeline.exec().catch((err: unknown) => batch.forEach((c) => c.reject(err)));
  }

  async bump(name: string): Promise<string> {
    const value = newGeneration();
    await this.#redis.set(`${this.prefix}gen:${name}`, value);
    return value;
  }

  async reserve(key: string, intervalMs: number, nowMs = Date.now()): Promise<number> {
    const tat = Number(await this.#scripts.hubReserve(this.prefix + key, nowMs, intervalMs));
    return Math.max(0, tat - intervalMs - nowMs);
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => undefined);
  }
}

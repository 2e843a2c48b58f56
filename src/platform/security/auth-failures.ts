// Failed authentications per client address, for every credential the hub checks (the admin token, module API
// keys). After `limit` failures within `windowMs` an address is answered 429 until the oldest of them leaves the
// window, so a guesser gets `limit` tries per window instead of thousands per second (and costs no more lookups);
// the moment an address reaches the limit is reported once per window, for the caller's alert. Per address only
// the times of its last `limit` failures are kept, so a flood costs each answer the same small work, and at most
// MAX_ADDRESSES addresses are tracked (the least recently failing is forgotten first). IPv6 clients are counted
// by /64: one host usually holds a whole /64 and could otherwise take a fresh address per try.
// Per process, in memory: N API processes allow up to N × limit tries per window.
import { isIP } from 'node:net';

export interface AuthFailureLimits {
  /** Failures an address may make within the window; the next request is refused. */
  readonly limit: number;
  readonly windowMs: number;
}

const MAX_ADDRESSES = 50_000;

export class AuthFailureThrottle {
  /** Map order is the order of last failure (re-inserted on each), so eviction drops the stalest. */
  readonly #byAddress = new Map<string, { times: number[]; reportedAt: number }>();

  constructor(
    readonly limits: AuthFailureLimits,
    private readonly maxAddresses = MAX_ADDRESSES,
  ) {}

  /** How long this address must wait before it may try again: 0 when it may now. */
  retryAfterMs(ip: string, now = Date.now()): number {
    const entry = this.#byAddress.get(addressKey(ip));
    if (!entry || entry.times.length < this.limits.limit) return 0;
    return Math.max(0, entry.times[0]! + this.limits.windowMs - now);
  }

  /**
   * Records a failed authentication. True when this failure brought the address to the limit and it was not
   * reported within the last window: the caller raises its alert then.
   */
  fail(ip: string, now = Date.now()): boolean {
    const key = addressKey(ip);
    const entry = this.#byAddress.get(key) ?? { times: [], reportedAt: -Infinity };
    entry.times.push(now);
    if (entry.times.length > this.limits.limit) entry.times.shift();
    this.#byAddress.delete(key);
    this.#byAddress.set(key, entry);
    if (this.#byAddress.size > this.maxAddresses) this.#byAddress.delete(this.#byAddress.keys().next().value!);
    const burst = entry.times.length >= this.limits.limit && now - entry.times[0]! < this.limits.windowMs;
    if (!burst || now - entry.reportedAt < this.limits.windowMs) return false;
    entry.reportedAt = now;
    return true;
  }

  /** Addresses tracked now (for tests of the memory bound). */
  get size(): number {
    return this.#byAddress.size;
  }
}

/** The unit an address is counted by: IPv4 (also IPv4-mapped IPv6) as itself, other IPv6 by its /64. */
export function addressKey(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const [head = '', tail] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  // An embedded IPv4 (last 32 bits) counts as one group here, which can only lengthen the zeros in the middle:
  // the first four groups come out right either way.
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

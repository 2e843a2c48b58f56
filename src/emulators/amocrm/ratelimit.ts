// amoCRM's request limit: 7 requests per second (sliding 1-second window) per token (or per IP), an optional
// account-wide cap, 429 for the excess, and a 403 block after repeated violations. Reads the emulated clock.

export interface RateLimitOptions {
  enabled: boolean;
  /** Accepted requests per sliding second per key (amoCRM documents 7). */
  perSecond: number;
  /** What one budget belongs to: the access token (per integration install) or the caller's IP. */
  key: 'token' | 'ip';
  /** Optional cap shared by every integration of an account (a community report says 50/s); null = off. */
  accountPerSecond: number | null;
  /** This many 429s within `violationWindowSeconds` turn into a 403 block of the key for `blockSeconds`. */
  violationsToBlock: number;
  violationWindowSeconds: number;
  blockSeconds: number;
  /** `retry_after` in the 429 body: seconds until the window frees a slot, or a fixed number (Kommo's example says 300). */
  retryAfter: 'window' | number;
  /** Send the 429 as plain text instead of problem+json (the official PHP library special-cases that). */
  plainText429: boolean;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = {
  enabled: true,
  perSecond: 7,
  key: 'token',
  accountPerSecond: null,
  violationsToBlock: 20,
  violationWindowSeconds: 10,
  blockSeconds: 300,
  retryAfter: 'window',
  plainText429: false,
};

export type RateDecision = { kind: 'ok' } | { kind: 'limited'; retryAfterSeconds: number } | { kind: 'blocked'; untilMs: number };

const WINDOW_MS = 1000;

export class RateLimiter {
  private readonly accepted = new Map<string, number[]>();
  private readonly violations = new Map<string, number[]>();
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    public options: RateLimitOptions,
    private readonly nowMs: () => number,
  ) {}

  check(key: string, accountKey: string | null): RateDecision {
    if (!this.options.enabled) return { kind: 'ok' };
    const now = this.nowMs();
    const until = this.blockedUntil.get(key);
    if (until !== undefined) {
      if (until > now) return { kind: 'blocked', untilMs: until };
      this.blockedUntil.delete(key);
      this.violations.delete(key);
    }
    const own = recent(this.accepted, key, now - WINDOW_MS);
    const shared =
      accountKey && this.options.accountPerSecond !== null ? recent(this.accepted, `account:${accountKey}`, now - WINDOW_MS) : null;
    const overOwn = own.length >= this.options.perSecond;
    const overShared = shared !== null && shared.length >= (this.options.accountPerSecond ?? Infinity);
    if (overOwn || overShared) {
      const violations = recent(this.violations, key, now - this.options.violationWindowSeconds * 1000);
      violations.push(now);
      if (violations.length >= this.options.violationsToBlock) {
        const blockedUntil = now + this.options.blockSeconds * 1000;
        this.blockedUntil.set(key, blockedUntil);
        return { kind: 'blocked', untilMs: blockedUntil };
      }
      const oldest = (overOwn ? own[0] : shared?.[0]) ?? now;
      const retryAfterSeconds =
        this.options.retryAfter === 'window' ? Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000)) : this.options.retryAfter;
      return { kind: 'limited', retryAfterSeconds };
    }
    own.push(now);
    shared?.push(now);
    return { kind: 'ok' };
  }

  clear(): void {
    this.accepted.clear();
    this.violations.clear();
    this.blockedUntil.clear();
  }

  /** Lifts every block (support unblocking an account). */
  unblock(): void {
    this.blockedUntil.clear();
    this.violations.clear();
  }
}

/** The key's timestamps newer than `since` (older ones dropped in place). */
function recent(map: Map<string, number[]>, key: string, since: number): number[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  let drop = 0;
  while (drop < list.length && list[drop]! <= since) drop++;
  if (drop > 0) list.splice(0, drop);
  return list;
}

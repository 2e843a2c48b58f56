// Unusual API activity, watched per instance in memory: failed authentications from one IP (key guessing, a leaked
// key of another bot) — throttled and alerted through the platform's AuthFailureThrottle, which admin auth uses too —
// and one key used from many IPs (a leaked key). Each is logged as a warning once per window and counted in
// hub_alerts_total{kind, partner="tracking"}.
import type { Hub } from '../../platform/hub.js';
import { AuthFailureThrottle } from '../../platform/security/auth-failures.js';
import type { TrackingOptions } from './options.js';

export class ActivityMonitor {
  /** 401/403 answers per IP (AUTH_FAILURE_LIMIT within AUTH_FAILURE_WINDOW_SECONDS): refused with 429 beyond it. */
  readonly #authFailures: AuthFailureThrottle;
  readonly #keyIps = new Map<number, { ips: Map<string, number>; alertedAt: number }>();

  constructor(
    private readonly hub: Hub,
    private readonly opts: TrackingOptions,
  ) {
    this.#authFailures = new AuthFailureThrottle(hub.config.authFailures);
  }

  /** Every answer: watches one key's spread over IPs (failures are reported by the gate, as they happen). */
  observe(e: { ip: string; status: number; keyId: number | null; now?: number }): void {
    if (e.keyId !== null && e.status !== 401) this.#keyUse(e.keyId, e.ip, e.now ?? Date.now());
  }

  /** Milliseconds until this IP may try a key again (0: now). */
  authRetryAfterMs(ip: string, now = Date.now()): number {
    return this.#authFailures.retryAfterMs(ip, now);
  }

  /** A 401 or 403 from the gate; counted before the answer leaves, so concurrent tries cannot outrun the count. */
  authFailure(ip: string, keyId: number | null, now = Date.now()): void {
    if (!this.#authFailures.fail(ip, now)) return;
    const { limit, windowMs } = this.#authFailures.limits;
    this.hub.metrics.alerts.inc({ kind: 'tracking_auth_failures', partner: 'tracking' });
    this.hub.log.warn({ ip, failures: limit, windowMs, keyId }, 'tracking API: burst of 401/403 answers from one IP');
  }

  #keyUse(keyId: number, ip: string, now: number): void {
    const windowMs = this.opts.keyIpWindowMs;
    const entry = this.#keyIps.get(keyId) ?? { ips: new Map<string, number>(), alertedAt: 0 };
    entry.ips.set(ip, now);
    for (const [seenIp, at] of entry.ips) if (now - at >= windowMs) entry.ips.delete(seenIp);
    this.#keyIps.set(keyId, entry);
    if (entry.ips.size >= this.opts.keyIpThreshold && now - entry.alertedAt >= windowMs) {
      entry.alertedAt = now;
      this.hub.metrics.alerts.inc({ kind: 'tracking_key_many_ips', partner: 'tracking' });
      this.hub.log.warn({ keyId, ips: [...entry.ips.keys()].slice(0, 20), windowMs }, 'tracking API: one key used from many IPs');
    }
  }
}

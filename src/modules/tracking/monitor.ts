// Unusual API activity, watched per instance in memory: a burst of 401/403 answers from one IP (key guessing,
// a leaked key of another bot) and one key used from many IPs (a leaked key). Each is logged as a warning once
// per window and counted in hub_alerts_total{kind, partner="tracking"}.
import type { Hub } from '../../platform/hub.js';
import type { TrackingOptions } from './options.js';

export class ActivityMonitor {
  /** Per IP, the times of its last `authFailureThreshold` failures at most: O(threshold) per answer, however fast a flood comes. */
  readonly #authFailures = new Map<string, { times: number[]; alertedAt: number }>();
  readonly #keyIps = new Map<number, { ips: Map<string, number>; alertedAt: number }>();

  constructor(
    private readonly hub: Hub,
    private readonly opts: TrackingOptions,
  ) {}

  observe(e: { ip: string; status: number; keyId: number | null; now?: number }): void {
    const now = e.now ?? Date.now();
    if (e.status === 401 || e.status === 403) this.#authFailure(e.ip, e.keyId, now);
    if (e.keyId !== null && e.status !== 401) this.#keyUse(e.keyId, e.ip, now);
  }

  #authFailure(ip: string, keyId: number | null, now: number): void {
    const windowMs = this.opts.authFailureWindowMs;
    const threshold = this.opts.authFailureThreshold;
    const entry = this.#authFailures.get(ip) ?? { times: [], alertedAt: 0 };
    entry.times.push(now);
    if (entry.times.length > threshold) entry.times.shift();
    this.#authFailures.set(ip, entry);
    // `threshold` failures within the window: the oldest of the last `threshold` is recent enough.
    if (entry.times.length >= threshold && now - entry.times[0]! < windowMs && now - entry.alertedAt >= windowMs) {
      entry.alertedAt = now;
      this.hub.metrics.alerts.inc({ kind: 'tracking_auth_failures', partner: 'tracking' });
      this.hub.log.warn({ ip, failures: threshold, windowMs, keyId }, 'tracking API: burst of 401/403 answers from one IP');
    }
    if (this.#authFailures.size > 10_000) this.#prune(this.#authFailures, (v) => now - (v.times.at(-1) ?? 0) > windowMs);
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

  #prune<K, V>(map: Map<K, V>, stale: (v: V) => boolean): void {
    for (const [k, v] of map) if (stale(v)) map.delete(k);
  }
}

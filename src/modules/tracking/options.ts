// Tunables of the tracking module in one place. Defaults are production values; tests pass smaller ones through
// createTrackingModule(options). Deployment settings (the default per-key limit, the auth-failure throttle) live in
// HubConfig instead.
export interface TrackingOptions {
  /** Rate-limit bucket prefix (shared by instances; tests use a unique one per run). */
  readonly rateLimitPrefix: string;
  /** Window of the per-key limit. */
  readonly rateLimitPeriodMs: number;
  /**
   * Webhook retry ladder: delay in seconds before each retry after a failed attempt. The default is Svix's
   * ladder (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h): 8 attempts over ≈ 27.6 h, ±10 % jitter.
   */
  readonly webhookRetryLadderSeconds: readonly number[];
  /** A receiver must answer within this (Standard Webhooks suggests 15–30 s). */
  readonly webhookTimeoutMs: number;
  /** Usage log batching: requests are written in batches at least this often. */
  readonly usageFlushMs: number;
  /** Distinct client IPs of one key within `keyIpWindowMs` that raise a warning. */
  readonly keyIpThreshold: number;
  readonly keyIpWindowMs: number;
}

export const DEFAULT_OPTIONS: TrackingOptions = {
  rateLimitPrefix: 'tracking:',
  rateLimitPeriodMs: 60_000,
  webhookRetryLadderSeconds: [5, 300, 1800, 7200, 18_000, 36_000, 36_000],
  webhookTimeoutMs: 15_000,
  usageFlushMs: 500,
  keyIpThreshold: 5,
  keyIpWindowMs: 10 * 60_000,
};

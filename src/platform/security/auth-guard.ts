// The half of a credential check that every gate shares (admin token, SAMBA users, 1C secrets, customs tokens): an
// address past AUTH_FAILURE_LIMIT failures within the window is answered the gate's own 429 (Retry-After in whole
// seconds) before its credential is looked at, and each failure is counted; the failure that completes a burst
// raises the gate's alert (hub_alerts_total{kind, partner}) and a warning, once per window. The tracking gate
// reports through its ActivityMonitor instead, which also watches keys spread over addresses.
import type { Logger } from 'pino';
import { AuthFailureThrottle, type AuthFailureLimits } from './auth-failures.js';

/** What a guard takes from the hub (the Hub itself fits). */
export interface AuthGuardHost {
  readonly config: { readonly authFailures: AuthFailureLimits };
  readonly metrics: { readonly alerts: { inc(labels: { kind: string; partner: string }): void } };
  readonly log: Logger;
}

export interface AuthGuardOptions {
  /** The alert's labels: `{ kind: 'samba_auth_failures', partner: 'samba' }`. */
  readonly alert: { readonly kind: string; readonly partner: string };
  /** Whose gate, for the warning: "SAMBA API". */
  readonly label: string;
  /** The gate's 429 in its module's envelope and language, for a wait of `seconds`, carrying `headers` (Retry-After). */
  readonly throttled: (seconds: number, headers: { readonly 'retry-after': string }) => Error;
}

/** The 429's sentence of the Russian-speaking gates (1C, customs). */
export const tooManyFailuresRu = (seconds: number): string =>
  `Слишком много неудачных попыток авторизации с этого адреса. Повторите через ${seconds} с`;

/** What the guard reads of a request: the client address (as TRUST_PROXY resolved it). */
type Client = { readonly ip: string };

export class AuthGuard {
  readonly #failures: AuthFailureThrottle;

  constructor(
    private readonly host: AuthGuardHost,
    private readonly o: AuthGuardOptions,
  ) {
    this.#failures = new AuthFailureThrottle(host.config.authFailures);
  }

  /** Throws the gate's 429 while this address is over the limit (even a right credential waits). */
  admit({ ip }: Client): void {
    const waitMs = this.#failures.retryAfterMs(ip);
    if (waitMs <= 0) return;
    const seconds = Math.ceil(waitMs / 1000);
    throw this.o.throttled(seconds, { 'retry-after': String(seconds) });
  }

  /** Counts a failed authentication from the request's address and gives back `error`, for the gate to throw. */
  refused<E>({ ip }: Client, error: E): E {
    if (this.#failures.fail(ip)) {
      const { limit, windowMs } = this.#failures.limits;
      this.host.metrics.alerts.inc(this.o.alert);
      this.host.log.warn({ ip, failures: limit, windowMs }, `${this.o.label}: burst of failed authentications from one IP`);
    }
    return error;
  }
}

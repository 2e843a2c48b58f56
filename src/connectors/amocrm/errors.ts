// The amoCRM connector's closed catalogue of errors. Every AmoError says whether a retry can help, so the job
// queue and callers never guess: validation and authorisation problems are permanent, outages are not.
import { HubError, type ErrorSpec } from '../../platform/http/errors.js';
import type { AmoValidationError } from './types.js';

export const AMO_ERRORS = {
  NOT_CONFIGURED: { status: 503, message: 'amoCRM integration is not configured (AMO_CLIENT_ID / AMO_CLIENT_SECRET)' },
  ACCESS_DENIED: { status: 403, message: 'The amoCRM user declined access' },
  INVALID_STATE: { status: 400, message: 'Unknown, used or expired authorisation state' },
  INVALID_CALLBACK: { status: 400, message: 'The amoCRM redirect is missing code or referer, or names another integration' },
  EXCHANGE_FAILED: { status: 502, message: 'amoCRM refused to exchange the authorisation code' },
  INVALID_SIGNATURE: { status: 401, message: 'The amoCRM disconnect hook signature is invalid' },
  NOT_CONNECTED: { status: 404, message: 'This amoCRM account is not connected' },
  NEEDS_REAUTH: { status: 409, message: 'amoCRM access was revoked; the account must be connected again' },
  VALIDATION_FAILED: { status: 422, message: 'amoCRM rejected the data' },
  NOT_FOUND: { status: 404, message: 'amoCRM has no such entity' },
  RATE_LIMITED: { status: 503, message: 'amoCRM rate limit hit; retry later' },
  BLOCKED: { status: 503, message: 'amoCRM blocked our requests (403); backing off' },
  PAYMENT_REQUIRED: { status: 502, message: 'The amoCRM account is not paid (402)' },
  UNAVAILABLE: { status: 502, message: 'amoCRM is unavailable; retry later' },
  UNEXPECTED_RESPONSE: { status: 502, message: 'amoCRM answered something the connector does not understand' },
} as const satisfies Record<string, ErrorSpec>;

export type AmoErrorCode = keyof typeof AMO_ERRORS;

/** Codes whose cause is transient: the same call later can succeed. */
const RETRYABLE: ReadonlySet<AmoErrorCode> = new Set(['RATE_LIMITED', 'BLOCKED', 'UNAVAILABLE']);

/** Codes that are only ever raised before amoCRM carried anything out (a refusal, or no call at all). */
const NOT_APPLIED: ReadonlySet<AmoErrorCode> = new Set([
  'NOT_CONFIGURED',
  'NOT_CONNECTED',
  'NEEDS_REAUTH',
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'RATE_LIMITED',
  'BLOCKED',
  'PAYMENT_REQUIRED',
]);

export class AmoError extends HubError {
  declare readonly code: AmoErrorCode;
  readonly retryable: boolean;
  readonly validationErrors?: readonly AmoValidationError[];
  /** For RATE_LIMITED/BLOCKED: how long amoCRM (or the connector) asks us to wait. */
  readonly retryAfterMs?: number;
  /**
   * amoCRM surely did not carry the call out: it refused it (4xx, 429, block) or it never left the hub. Otherwise
   * (a timeout, a connection lost after sending, a 5xx, an answer we cannot read) a write may have landed.
   */
  readonly notApplied: boolean;

  constructor(
    code: AmoErrorCode,
    message?: string,
    extra: {
      validationErrors?: readonly AmoValidationError[];
      retryAfterMs?: number;
      details?: unknown;
      retryable?: boolean;
      notApplied?: boolean;
    } = {},
  ) {
    super(
      code,
      AMO_ERRORS[code].status,
      message ?? AMO_ERRORS[code].message,
      extra.details ?? (extra.validationErrors ? { validationErrors: extra.validationErrors } : undefined),
    );
    this.name = 'AmoError';
    this.retryable = extra.retryable ?? RETRYABLE.has(code);
    this.notApplied = extra.notApplied ?? NOT_APPLIED.has(code);
    if (extra.validationErrors) this.validationErrors = extra.validationErrors;
    if (extra.retryAfterMs !== undefined) this.retryAfterMs = extra.retryAfterMs;
  }

  toJSON() {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.validationErrors ? { validationErrors: this.validationErrors } : {}),
    };
  }
}

export const isAmoError = (e: unknown): e is AmoError => e instanceof AmoError;

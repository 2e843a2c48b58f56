// The 1C connector's closed catalogue of errors. Every OnecError says whether a retry can help (`retryable`) and
// whether a create may have landed in 1C although it failed (`ambiguous`): then the caller must look the record up
// (get_orders for the deal, or a resend carrying the id_1c it knows) rather than send the create again blindly.
import { HubError, type ErrorSpec } from '../../platform/http/errors.js';

export const ONEC_ERRORS = {
  INVALID_TARGET: { status: 400, message: 'The 1C web_address is not an http(s) URL' },
  TARGET_REFUSED: { status: 400, message: 'The 1C web_address is on a private or local network, which is not allowed' },
  TARGET_UNRESOLVED: { status: 502, message: 'The host of the 1C web_address does not resolve' },
  UNAUTHORIZED: { status: 502, message: '1C refused the login and password (param1/param2)' },
  NOT_FOUND: { status: 502, message: 'Nothing is published at the 1C web_address (404)' },
  REJECTED: { status: 502, message: '1C rejected the request' },
  UNAVAILABLE: { status: 502, message: '1C is unavailable; retry later' },
  TIMEOUT: { status: 504, message: '1C did not answer in time; retry later' },
  AMBIGUOUS: { status: 502, message: 'A create failed without a clear answer; it may have landed in 1C' },
  UNEXPECTED_RESPONSE: { status: 502, message: '1C answered something the connector does not understand' },
} as const satisfies Record<string, ErrorSpec>;

export type OnecErrorCode = keyof typeof ONEC_ERRORS;

/** Codes whose cause is transient: the same call later can succeed (AMBIGUOUS: after a lookup). */
const RETRYABLE: ReadonlySet<OnecErrorCode> = new Set(['TARGET_UNRESOLVED', 'UNAVAILABLE', 'TIMEOUT', 'AMBIGUOUS']);

export class OnecError extends HubError {
  declare readonly code: OnecErrorCode;
  readonly retryable: boolean;
  /** A create (new_lead, new_order) may have been carried out although this error came back. */
  readonly ambiguous: boolean;
  /** The HTTP status 1C (or the web server in front of it) answered, if any. */
  readonly httpStatus?: number;
  /** A short text of what came back (an HTML page's title, a JSON `error`), for operators. */
  readonly detail?: string;

  constructor(
    code: OnecErrorCode,
    message?: string,
    extra: { retryable?: boolean; ambiguous?: boolean; httpStatus?: number; detail?: string } = {},
  ) {
    super(code, ONEC_ERRORS[code].status, message ?? ONEC_ERRORS[code].message, {
      ...(extra.httpStatus !== undefined ? { httpStatus: extra.httpStatus } : {}),
      ...(extra.detail ? { detail: extra.detail } : {}),
    });
    this.name = 'OnecError';
    this.retryable = extra.retryable ?? RETRYABLE.has(code);
    this.ambiguous = extra.ambiguous ?? code === 'AMBIGUOUS';
    if (extra.httpStatus !== undefined) this.httpStatus = extra.httpStatus;
    if (extra.detail) this.detail = extra.detail;
  }

  toJSON() {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ambiguous: this.ambiguous,
      ...(this.httpStatus !== undefined ? { httpStatus: this.httpStatus } : {}),
      ...(this.detail ? { detail: this.detail } : {}),
    };
  }
}

export const isOnecError = (e: unknown): e is OnecError => e instanceof OnecError;

// 1C as a partner policy for the hub's one transport (src/platform/outbound/transport.ts); the numbers are in
// facts.ts. Idempotent requests (get_orders, get_handlers_version, corr_table) go as `read`: retried on
// connection failures, timeouts and 5xx. Creates (new_lead, new_order) go as `write`: sent again only when the
// connection was never made; any other failure without a clear answer becomes AMBIGUOUS. No pacing (1C documents
// no limit and each base is its own server) and no stored credentials (each call carries its base's Basic auth).
import type { Failure, PartnerPolicy } from '../../platform/outbound/policy.js';
import { OnecError } from './errors.js';
import { ONEC_FACTS, type OnecRequestType } from './facts.js';
import { shortText } from './protocol.js';

export const ONEC_PARTNER = 'onec';

/** What a call is about, for log lines and error messages (the transport's key). */
export interface OnecCallKey {
  readonly type: OnecRequestType;
  readonly key: string | number;
  readonly idBase: string | number;
}

export function onecPolicy(): PartnerPolicy<OnecCallKey, undefined, OnecError> {
  return {
    partner: ONEC_PARTNER,
    describe: (k) => ({ onecType: k.type, amoAccountId: k.key, idBase: k.idBase }),
    retry: { attempts: ONEC_FACTS.readAttempts, baseDelayMs: ONEC_FACTS.retryBaseDelayMs },
    error: onecErrorOf,
  };
}

const TIMEOUT = /timeout|timed out|aborted due to timeout/i;

/** The final failure of a call as an OnecError; a create whose outcome is unknown becomes AMBIGUOUS. */
export function onecErrorOf(f: Failure<OnecCallKey>): OnecError {
  const type = f.request.key?.type ?? 'request';
  const create = f.request.kind === 'write';
  const status = f.response?.status;
  const detail = f.response ? shortText(f.response.text) : undefined;
  const said = detail ? `: ${detail}` : '';
  const extra = { ...(status !== undefined ? { httpStatus: status } : {}), ...(detail ? { detail } : {}) };
  if (f.kind === 'unreachable') {
    const cause = f.cause;
    if (cause && !cause.retryable) return new OnecError('TARGET_REFUSED', `1C ${type}: ${cause.message}`);
    const timedOut = TIMEOUT.test(cause?.message ?? '');
    if (create && cause?.neverSent !== true)
      return new OnecError('AMBIGUOUS', `1C ${type} ${timedOut ? 'timed out' : 'lost the connection'}; it may have landed in 1C`);
    return new OnecError(timedOut ? 'TIMEOUT' : 'UNAVAILABLE', `1C ${type}: ${cause?.message ?? 'unreachable'}`);
  }
  if (status === 401 || status === 403)
    return new OnecError('UNAUTHORIZED', `1C refused the login/password for ${type} (${status})${said}`, { ...extra, retryable: false });
  if (status === 404) return new OnecError('NOT_FOUND', `nothing is published at the 1C web_address (404)${said}`, extra);
  if (f.kind === 'unavailable') {
    if (create && !ONEC_FACTS.notAppliedStatuses.includes(status ?? 0))
      return new OnecError('AMBIGUOUS', `1C answered ${status} to ${type}; it may have landed in 1C${said}`, extra);
    return new OnecError('UNAVAILABLE', `1C answered ${status} to ${type}${said}`, extra);
  }
  // Other 4xx (and redirects): the handler refused this request; sending it again will not help.
  return new OnecError('REJECTED', `1C answered ${status ?? f.kind} to ${type}${said}`, { ...extra, retryable: false });
}

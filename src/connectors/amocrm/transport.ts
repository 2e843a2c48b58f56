// One amoCRM API call: the path and PHP-style query made into a request, sent through the hub's partner transport
// under the amoCRM API policy (policy.ts: pacing, bearer + refresh on 401, 429/403/5xx/validation handling), and
// the HAL body parsed (204 = nothing).
import qs from 'qs';
import type { PartnerTransport } from '../../platform/outbound/transport.js';
import type { AmoError } from './errors.js';
import { safeJson, type CallCredentials } from './tokens.js';

export interface AmoRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path under the account's base URL, e.g. `/api/v4/leads`. */
  readonly path: string;
  /** Serialised PHP-style (`filter[id][]=1`); or a ready query string (from `_links.next`). */
  readonly query?: Record<string, unknown> | string;
  readonly json?: unknown;
  /** Reads are retried on 5xx/timeouts; writes are not (a 504 may have landed), the job queue decides. */
  readonly kind: 'read' | 'write';
  readonly signal?: AbortSignal;
}

export interface AmoResponse<T> {
  readonly status: number;
  /** undefined for 204 No Content (amoCRM's "nothing found"). */
  readonly data: T | undefined;
}

export type AmoApiTransport = PartnerTransport<number, CallCredentials, AmoError>;

export class AmoTransport {
  constructor(readonly partner: AmoApiTransport) {}

  /** Books a slot on the account's shared schedule for a call made outside `request` (token endpoint, connect). */
  pace(amoAccountId: number, signal?: AbortSignal): Promise<() => void> {
    return this.partner.pace(amoAccountId, signal);
  }

  async request<T>(amoAccountId: number, req: AmoRequest): Promise<AmoResponse<T>> {
    const res = await this.partner.request({
      key: amoAccountId,
      kind: req.kind,
      method: req.method,
      url: pathWithQuery(req),
      headers: { accept: 'application/hal+json, application/json' },
      ...(req.json !== undefined ? { json: req.json } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    });
    const { status } = res;
    return { status, data: status === 204 || !res.text ? undefined : (safeJson(res.text) as T) };
  }
}

function pathWithQuery(req: AmoRequest): string {
  const query =
    typeof req.query === 'string'
      ? req.query.replace(/^\?/, '')
      : req.query
        ? qs.stringify(req.query, { arrayFormat: 'brackets', encodeValuesOnly: true })
        : '';
  return `${req.path}${query ? `?${query}` : ''}`;
}

// Outbound HTTP for partner calls (undici): ONE attempt with a timeout, the SSRF guard (private targets are
// refused unless configuration allows them, see ssrf.ts) and metrics. A failure is an OutboundError that says which
// partner, what request, what came back, whether a retry can help and whether the request surely never left.
// Retries, pacing, credentials and partner error types live in PartnerTransport (transport.ts), driven by a
// PartnerPolicy (policy.ts); nothing here loops.
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics.js';
import { assertUrlAllowed, guardedLookup, SsrfBlockedError } from './ssrf.js';

export interface OutboundRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly json?: unknown;
  readonly form?: Record<string, string>;
  readonly body?: string;
  readonly timeoutMs?: number;
  readonly requestId?: string;
  readonly signal?: AbortSignal;
  /** Return responses of every status instead of throwing on >= 400 (the caller reads partner error bodies in full). */
  readonly anyStatus?: boolean;
}

export interface OutboundResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly text: string;
  json<T = unknown>(): T;
}

export class OutboundError extends Error {
  constructor(
    readonly partner: string,
    readonly method: string,
    readonly url: string,
    readonly status: number | undefined,
    readonly body: string,
    readonly retryable: boolean,
    message: string,
    /** The request surely never reached the partner (the connection was never made): even a write may be sent again. */
    readonly neverSent = false,
  ) {
    super(message);
    this.name = 'OutboundError';
  }

  toJSON() {
    return {
      partner: this.partner,
      method: this.method,
      url: this.url,
      status: this.status,
      body: this.body,
      retryable: this.retryable,
      message: this.message,
    };
  }
}

export interface HttpClientOptions {
  readonly partner: string;
  readonly log: Logger;
  readonly metrics?: Metrics;
  readonly timeoutMs: number;
  readonly allowHosts: readonly string[];
}

const TRIM = 2000;

/** Strips credentials and query secrets from a URL before it is logged or stored in an error. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    for (const k of [...u.searchParams.keys()]) if (/token|secret|password|key|code/i.test(k)) u.searchParams.set(k, '***');
    return u.toString();
  } catch {
    return url;
  }
}

export class HttpClient {
  readonly #agent: Dispatcher;

  constructor(private readonly opts: HttpClientOptions) {
    this.#agent = new Agent({ connect: { lookup: guardedLookup(opts.allowHosts) as never }, keepAliveTimeout: 10_000 });
  }

  /** One attempt. Throws OutboundError for a network failure, and for a status >= 400 unless `anyStatus`. */
  async request(req: OutboundRequest): Promise<OutboundResponse> {
    let res: OutboundResponse;
    try {
      res = await this.#once(req);
    } catch (err) {
      throw this.#networkError(req, err);
    }
    if (res.status >= 400 && !req.anyStatus) throw statusError(this.opts.partner, req, res);
    return res;
  }

  async #once(req: OutboundRequest): Promise<OutboundResponse> {
    const url = new URL(req.url);
    assertUrlAllowed(url, this.opts.allowHosts);
    const headers: Record<string, string> = {
      'user-agent': 'integration-hub/0.1',
      ...(req.requestId ? { 'x-request-id': req.requestId } : {}),
      ...req.headers,
    };
    let body: string | undefined = req.body;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] ??= 'application/json';
    } else if (req.form) {
      body = new URLSearchParams(req.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    const timeout = req.timeoutMs ?? this.opts.timeoutMs;
    const started = performance.now();
    try {
      const res = await undiciRequest(url, {
        method: req.method,
        headers,
        body,
        dispatcher: this.#agent,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal: req.signal ? AbortSignal.any([req.signal, AbortSignal.timeout(timeout)]) : AbortSignal.timeout(timeout),
      });
      const text = await res.body.text();
      this.opts.metrics?.outbound.inc({ partner: this.opts.partner, status: String(res.statusCode) });
      const flat: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
      return {
        status: res.statusCode,
        headers: flat,
        text,
        json<T>() {
          return JSON.parse(text) as T;
        },
      };
    } catch (err) {
      this.opts.metrics?.outbound.inc({ partner: this.opts.partner, status: 'error' });
      throw err;
    } finally {
      this.opts.metrics?.outboundSeconds.observe({ partner: this.opts.partner }, (performance.now() - started) / 1000);
    }
  }

  #networkError(req: OutboundRequest, err: unknown): OutboundError {
    const e = err as Error & { code?: string };
    const ssrf = err instanceof SsrfBlockedError || (e as { cause?: unknown }).cause instanceof SsrfBlockedError;
    const reason = ssrf
      ? err instanceof SsrfBlockedError
        ? err.message
        : String((e as { cause?: Error }).cause?.message)
      : `${e.code ?? e.name}: ${e.message}`;
    const neverSent = ssrf || isConnectError(err);
    return new OutboundError(
      this.opts.partner,
      req.method,
      safeUrl(req.url),
      undefined,
      '',
      !ssrf,
      `${this.opts.partner} unreachable for ${req.method} ${safeUrl(req.url)}: ${reason}`,
      neverSent,
    );
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}

/** A partner's answer >= 400 as an OutboundError: 408, 429 and 5xx are worth another try, other 4xx are not. */
export function statusError(partner: string, req: OutboundRequest, res: OutboundResponse, retryable?: boolean): OutboundError {
  return new OutboundError(
    partner,
    req.method,
    safeUrl(req.url),
    res.status,
    res.text.slice(0, TRIM),
    retryable ?? (res.status === 429 || res.status === 408 || res.status >= 500),
    `${partner} answered ${res.status} to ${req.method} ${safeUrl(req.url)}`,
  );
}

/** The connection was never made, so the partner cannot have seen the request. */
function isConnectError(err: unknown): boolean {
  const code = (err as { code?: string; cause?: { code?: string } })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

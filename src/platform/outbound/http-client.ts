// Outbound HTTP for connectors (undici). Every call has a timeout, a retry policy chosen by the kind of call,
// and fails with an OutboundError that says which partner, what request, what came back and whether a retry
// can help. Private targets are refused (see ssrf.ts) unless configuration allows them.
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics.js';
import { assertUrlAllowed, guardedLookup, SsrfBlockedError } from './ssrf.js';

/**
 * - `read`: idempotent; retried on network errors, timeouts, 429 and 5xx.
 * - `write`: not idempotent; retried only when the request surely never reached the partner (connect errors).
 * - `none`: never retried here (the caller or the job queue decides).
 */
export type CallKind = 'read' | 'write' | 'none';

export interface OutboundRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly json?: unknown;
  readonly form?: Record<string, string>;
  readonly body?: string;
  readonly kind?: CallKind;
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
    readonly retryAfterSeconds?: number,
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
  /** Attempts for a retryable failure, including the first. */
  readonly attempts?: number;
  readonly baseDelayMs?: number;
}

const TRIM = 2000;
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

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

  async request(req: OutboundRequest): Promise<OutboundResponse> {
    const kind = req.kind ?? 'read';
    const attempts = kind === 'none' ? 1 : (this.opts.attempts ?? 3);
    let last: OutboundError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const res = await this.#once(req);
        if (res.status >= 400 && !req.anyStatus) throw this.#statusError(req, res);
        return res;
      } catch (err) {
        const e = err instanceof OutboundError ? err : this.#networkError(req, err);
        last = e;
        const canRetry = e.retryable && (kind === 'read' || (kind === 'write' && isConnectError(err)));
        if (!canRetry || attempt === attempts || req.signal?.aborted) throw e;
        const base = (this.opts.baseDelayMs ?? 250) * 2 ** (attempt - 1);
        const delay = e.retryAfterSeconds !== undefined ? e.retryAfterSeconds * 1000 : base / 2 + Math.random() * base;
        this.opts.log.warn(
          { partner: this.opts.partner, url: safeUrl(req.url), status: e.status, attempt, delayMs: Math.round(delay) },
          'outbound call failed, retrying',
        );
        await sleep(delay, req.signal);
      }
    }
    throw last!;
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

  #statusError(req: OutboundRequest, res: OutboundResponse): OutboundError {
    const retryAfter = Number(res.headers['retry-after']);
    const retryable = res.status === 429 || res.status === 408 || res.status >= 500;
    return new OutboundError(
      this.opts.partner,
      req.method,
      safeUrl(req.url),
      res.status,
      res.text.slice(0, TRIM),
      retryable,
      `${this.opts.partner} answered ${res.status} to ${req.method} ${safeUrl(req.url)}`,
      Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined,
    );
  }

  #networkError(req: OutboundRequest, err: unknown): OutboundError {
    const e = err as Error & { code?: string };
    const ssrf = err instanceof SsrfBlockedError || (e as { cause?: unknown }).cause instanceof SsrfBlockedError;
    const reason = ssrf
      ? err instanceof SsrfBlockedError
        ? err.message
        : String((e as { cause?: Error }).cause?.message)
      : `${e.code ?? e.name}: ${e.message}`;
    return new OutboundError(
      this.opts.partner,
      req.method,
      safeUrl(req.url),
      undefined,
      '',
      !ssrf,
      `${this.opts.partner} unreachable for ${req.method} ${safeUrl(req.url)}: ${reason}`,
    );
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}

function isConnectError(err: unknown): boolean {
  const code = (err as { code?: string; cause?: { code?: string } })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

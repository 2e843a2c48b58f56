// Everything one emulator instance holds, handed to its routes and to the control API.
import type { FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { EmulatorClock, EmulatorCore } from '../kit/index.js';
import type { AmoFaultKind } from './gate.js';
import type { AccessContext, OAuthService } from './oauth.js';
import type { RateLimiter } from './ratelimit.js';
import type { AccountState, EmulatorStore } from './store.js';
import type { WebhookDispatcher } from './webhooks.js';

/** amoCRM's fields of a request-log entry, next to the kit's. */
export interface AmoLogFields {
  readonly subdomain: string | null;
  /** The account and client the bearer token belongs to (null without a known token). */
  readonly tokenAccountId: number | null;
  readonly clientId: string | null;
}

export interface EmulatorRuntime {
  /** The kit's parts: clock, faults (one kind beyond a status: `answer_lost`), request log. */
  readonly core: EmulatorCore<AmoLogFields, AmoFaultKind>;
  /** `core.clock`, which nearly every part reads. */
  readonly clock: EmulatorClock;
  readonly store: EmulatorStore;
  readonly oauth: OAuthService;
  readonly limiter: RateLimiter;
  readonly webhooks: WebhookDispatcher;
}

/** Per-request facts the routes need; kept outside FastifyRequest so the hub's request type is not widened. */
export interface ApiRequestContext {
  account: AccountState;
  access: AccessContext;
  /** What this caller sees as the account's base URL: `http://host:port/{subdomain}` or `http://{sub}.amocrm.ru`. */
  apiBase: string;
}

const apiContexts = new WeakMap<FastifyRequest, ApiRequestContext>();
/** Requests that arrived as `Host: {sub}.amocrm.ru` and were rewritten to the path prefix. */
export const hostRouted = new WeakSet<IncomingMessage>();

export function setApiContext(req: FastifyRequest, ctx: ApiRequestContext): void {
  apiContexts.set(req, ctx);
}

export function apiContext(req: FastifyRequest): ApiRequestContext {
  const ctx = apiContexts.get(req);
  if (!ctx) throw new Error('API route ran without the account/auth hook');
  return ctx;
}

/** The base URL of `subdomain` as the caller addressed it. */
export function accountBase(req: FastifyRequest, subdomain: string): string {
  const origin = `${req.protocol}://${req.headers.host ?? 'localhost'}`;
  return hostRouted.has(req.raw) ? origin : `${origin}/${subdomain}`;
}

/** The account-relative path of a request (`/api/v4/leads`), for fault rules and the request log. */
export function accountPath(url: string): { subdomain: string | null; path: string } {
  const path = url.split('?')[0] ?? '';
  const m = /^\/([^/_][^/]*)(\/(?:api|oauth2)\/.*)$/.exec(path);
  return m ? { subdomain: decodeURIComponent(m[1]!), path: m[2]! } : { subdomain: null, path };
}

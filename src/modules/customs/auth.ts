// The gate of every customs route that names its callers (route config `customsSources`), run before validation:
// the caller's source token from X-Hub-Token, `Authorization: Bearer …`, or — for amoCRM webhooks, which cannot
// set headers — the `token` query parameter (masked in logs by safe-path.ts). Missing, unknown, or another source's
// token → 401 in the module's Error shape. Each 401 counts against the client address (AUTH_FAILURE_LIMIT within
// AUTH_FAILURE_WINDOW_SECONDS); past the limit the address is answered 429 before any lookup.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Hub } from '../../platform/hub.js';
import { AuthGuard, tooManyFailuresRu } from '../../platform/security/auth-guard.js';
import type { Source } from './contract.js';
import { customsError } from './errors.js';
import type { Caller, TokenService } from './tokens.js';

/** Route config: the sources whose token opens this route. */
export interface CustomsRouteConfig {
  readonly customsSources?: readonly Source[];
}

const CHALLENGE = { 'www-authenticate': 'Bearer realm="customs"' };

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** The token a request carries, from the first place that has one. */
export function tokenOf(req: FastifyRequest): string | undefined {
  const header = first(req.headers['x-hub-token'])?.trim();
  if (header) return header;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(first(req.headers.authorization) ?? '')?.[1];
  if (bearer) return bearer;
  const query = (req.query as Record<string, unknown> | undefined)?.token;
  return typeof query === 'string' && query ? query : undefined;
}

const callers = new WeakMap<FastifyRequest, Caller>();
/** The account and source a request was authenticated as (every route with `customsSources` has one). */
export function callerOf(req: FastifyRequest): Caller {
  const caller = callers.get(req);
  if (!caller) throw new Error('customs: callerOf on a route without customsSources');
  return caller;
}

export function installGate(app: FastifyInstance, deps: { hub: Hub; tokens: TokenService }): void {
  const { hub, tokens } = deps;
  const guard = new AuthGuard(hub, {
    alert: { kind: 'customs_auth_failures', partner: 'customs' },
    label: 'customs',
    throttled: (seconds, headers) => customsError('RATE_LIMITED', tooManyFailuresRu(seconds), undefined, headers),
  });

  app.addHook('onRequest', async (req) => {
    const allowed = (req.routeOptions.config as CustomsRouteConfig | undefined)?.customsSources;
    if (!allowed) return; // not a route of ours (the scope's 404)
    guard.admit(req);
    const token = tokenOf(req);
    if (!token) throw guard.refused(req, customsError('TOKEN_MISSING', undefined, undefined, CHALLENGE));
    const caller = await tokens.identify(token);
    if (!caller || !allowed.includes(caller.source))
      throw guard.refused(req, customsError('TOKEN_INVALID', undefined, undefined, CHALLENGE));
    callers.set(req, caller);
  });
}

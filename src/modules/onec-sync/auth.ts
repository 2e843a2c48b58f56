// The gate of every /onec call, run before validation: HTTP Basic with user = key (the amoCRM account id) and
// password = the account's integration secret, or — on set_handlers — the handler publisher's credentials from
// ONEC_SYNC_PUBLISHER_*. Each 401 counts against the client address (AUTH_FAILURE_LIMIT within
// AUTH_FAILURE_WINDOW_SECONDS); past the limit the address is answered 429 before any lookup. After validation the
// body's (or query's) `key` must be the authenticated account: one account's secret opens no other account.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Hub } from '../../platform/hub.js';
import { AuthGuard, tooManyFailuresRu } from '../../platform/security/auth-guard.js';
import { safeEqual } from '../../platform/security/secrets.js';
import { onecError } from './errors.js';
import type { SecretService } from './secrets.js';
import type { OnecSyncSettings } from './settings.js';

/**
 * Route config flag: this route is authenticated by the publisher, not by an account; or (`none`) by its own
 * means (amoCRM's webhooks carry a token in the path, as amoCRM sends no credentials).
 */
export interface OnecRouteConfig {
  readonly onecAuth?: 'publisher' | 'none';
}

const CHALLENGE = { 'www-authenticate': 'Basic realm="onec", charset="UTF-8"' };

/** The account a request was authenticated as. */
const accounts = new WeakMap<FastifyRequest, string>();

export function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '')?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function installGate(app: FastifyInstance, deps: { hub: Hub; secrets: SecretService; settings: OnecSyncSettings }): void {
  const { hub, secrets, settings } = deps;
  const guard = new AuthGuard(hub, {
    alert: { kind: 'onec_auth_failures', partner: '1c' },
    label: '1C API',
    throttled: (seconds, headers) => onecError('RATE_LIMITED', tooManyFailuresRu(seconds), undefined, headers),
  });

  app.addHook('onRequest', async (req) => {
    if ((req.routeOptions.config as OnecRouteConfig).onecAuth === 'none') return;
    guard.admit(req);
    const basic = parseBasic(req.headers.authorization);
    if ((req.routeOptions.config as OnecRouteConfig).onecAuth === 'publisher') {
      if (!settings.publisherUser || !settings.publisherPassword) throw onecError('PUBLISHER_NOT_CONFIGURED');
      const ok = basic && safeEqual(basic.user, settings.publisherUser) && safeEqual(basic.password, settings.publisherPassword);
      if (!ok) throw guard.refused(req, onecError(basic ? 'PUBLISHER_AUTH_INVALID' : 'AUTH_REQUIRED', undefined, undefined, CHALLENGE));
      return;
    }
    if (!basic) throw guard.refused(req, onecError('AUTH_REQUIRED', undefined, undefined, CHALLENGE));
    // A user that is no account id cannot have a secret: refused without a lookup.
    if (!/^[1-9][0-9]{0,15}$/.test(basic.user) || !(await secrets.verify(basic.user, basic.password)))
      throw guard.refused(req, onecError('AUTH_INVALID', undefined, undefined, CHALLENGE));
    // The right secret of an account whose amoCRM connection is gone: a clear 409, not a sync into nothing.
    await secrets.assertConnected(basic.user);
    accounts.set(req, basic.user);
  });

  app.addHook('preHandler', async (req) => {
    const account = accounts.get(req);
    if (account === undefined) return; // the publisher's call names any account
    const input = (req.method === 'GET' ? req.query : req.body) as { key?: number | string } | undefined;
    if (input?.key !== undefined && String(input.key) !== account) throw guard.refused(req, onecError('KEY_MISMATCH'));
  });
}

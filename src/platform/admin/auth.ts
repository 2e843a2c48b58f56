// Every /admin/v1 route requires `Authorization: Bearer <admin token>`. Failed attempts count against the client
// address (AUTH_FAILURE_LIMIT within AUTH_FAILURE_WINDOW_SECONDS): past the limit the address is answered 429 with
// Retry-After — even with the right token, since ADMIN_TOKEN may be an operator's weak choice — and an alert is raised.
import type { FastifyInstance } from 'fastify';
import type { Hub } from '../hub.js';
import { HubError } from '../http/errors.js';
import { AuthFailureThrottle } from '../security/auth-failures.js';

export function adminAuth(app: FastifyInstance, hub: Hub): void {
  const failures = new AuthFailureThrottle(hub.config.authFailures);
  app.addHook('onRequest', async (req) => {
    const waitMs = failures.retryAfterMs(req.ip);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new HubError(
        'TOO_MANY_AUTH_FAILURES',
        429,
        `Too many failed admin authentications from this address; retry in ${seconds} s`,
        undefined,
        { 'retry-after': String(seconds) },
      );
    }
    await hub.adminToken.refreshIfStale(ROTATION_PROPAGATION_MS);
    const header = req.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (!hub.adminToken.verify(token)) {
      if (failures.fail(req.ip)) {
        hub.metrics.alerts.inc({ kind: 'admin_auth_failures', partner: 'hub' });
        hub.log.warn(
          { ip: req.ip, failures: failures.limits.limit, windowMs: failures.limits.windowMs },
          'admin API: burst of failed authentications from one IP',
        );
      }
      throw new HubError('UNAUTHORIZED', 401, 'Admin token required: Authorization: Bearer <token>', undefined, {
        'www-authenticate': 'Bearer realm="admin"',
      });
    }
  });
}

/** How soon a token rotated by another process (or `hub admin token --rotate`) takes effect here. */
const ROTATION_PROPAGATION_MS = 10_000;

export const ADMIN_SECURITY = [{ adminToken: [] }];

// Every /admin/v1 route requires `Authorization: Bearer <admin token>`. Failed attempts count against the client
// address (AUTH_FAILURE_LIMIT within AUTH_FAILURE_WINDOW_SECONDS): past the limit the address is answered 429 with
// Retry-After — even with the right token, since ADMIN_TOKEN may be an operator's weak choice — and an alert is raised.
import type { FastifyInstance } from 'fastify';
import type { Hub } from '../hub.js';
import { HubError } from '../http/errors.js';
import { AuthGuard } from '../security/auth-guard.js';

export function adminAuth(app: FastifyInstance, hub: Hub): void {
  const guard = new AuthGuard(hub, {
    alert: { kind: 'admin_auth_failures', partner: 'hub' },
    label: 'admin API',
    throttled: (seconds, headers) =>
      new HubError(
        'TOO_MANY_AUTH_FAILURES',
        429,
        `Too many failed admin authentications from this address; retry in ${seconds} s`,
        undefined,
        headers,
      ),
  });
  app.addHook('onRequest', async (req) => {
    guard.admit(req);
    await hub.adminToken.refreshIfStale(ROTATION_PROPAGATION_MS);
    const header = req.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (!hub.adminToken.verify(token)) {
      throw guard.refused(
        req,
        new HubError('UNAUTHORIZED', 401, 'Admin token required: Authorization: Bearer <token>', undefined, {
          'www-authenticate': 'Bearer realm="admin"',
        }),
      );
    }
  });
}

/** How soon a token rotated by another process (or `hub admin token --rotate`) takes effect here. */
const ROTATION_PROPAGATION_MS = 10_000;

export const ADMIN_SECURITY = [{ adminToken: [] }];

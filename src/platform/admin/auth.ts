// Every /admin/v1 route requires `Authorization: Bearer <admin token>`.
import type { FastifyInstance } from 'fastify';
import type { Hub } from '../hub.js';
import { HubError } from '../http/errors.js';

export function adminAuth(app: FastifyInstance, hub: Hub): void {
  app.addHook('onRequest', async (req) => {
    await hub.adminToken.refreshIfStale(ROTATION_PROPAGATION_MS);
    const header = req.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (!hub.adminToken.verify(token)) {
      throw new HubError('UNAUTHORIZED', 401, 'Admin token required: Authorization: Bearer <token>', undefined, {
        'www-authenticate': 'Bearer realm="admin"',
      });
    }
  });
}

/** How soon a token rotated by another process (or `hub admin token --rotate`) takes effect here. */
const ROTATION_PROPAGATION_MS = 10_000;

export const ADMIN_SECURITY = [{ adminToken: [] }];

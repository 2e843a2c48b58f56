// Every /admin/v1 route requires `Authorization: Bearer <admin token>`.
import type { FastifyInstance } from 'fastify';
import type { Hub } from '../hub.js';
import { HubError } from '../http/errors.js';

export function adminAuth(app: FastifyInstance, hub: Hub): void {
  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (!hub.adminToken.verify(token)) {
      throw new HubError('UNAUTHORIZED', 401, 'Admin token required: Authorization: Bearer <token>', undefined, { 'www-authenticate': 'Bearer realm="admin"' });
    }
  });
}

export const ADMIN_SECURITY = [{ adminToken: [] }];

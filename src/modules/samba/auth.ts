// The gate of every /samba call, run before validation: HTTP Basic with a user the operator created (users.ts), as
// 1C's published infobases ask of SAMBA. Each 401 counts against the client address (AUTH_FAILURE_LIMIT within
// AUTH_FAILURE_WINDOW_SECONDS); past the limit the address is answered 429 before any lookup.
import type { FastifyInstance } from 'fastify';
import type { Hub } from '../../platform/hub.js';
import { AuthGuard } from '../../platform/security/auth-guard.js';
import { sambaError } from './errors.js';
import type { UserService } from './users.js';

const CHALLENGE = { 'www-authenticate': 'Basic realm="samba", charset="UTF-8"' };

export function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '')?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function installGate(app: FastifyInstance, deps: { hub: Hub; users: UserService }): void {
  const { hub, users } = deps;
  const guard = new AuthGuard(hub, {
    alert: { kind: 'samba_auth_failures', partner: 'samba' },
    label: 'SAMBA API',
    throttled: (seconds, headers) =>
      sambaError('RATE_LIMITED', `Слишком много неудачных попыток авторизации. Повторите через ${seconds} с`, undefined, headers),
  });

  app.addHook('onRequest', async (req) => {
    guard.admit(req);
    const basic = parseBasic(req.headers.authorization);
    if (!basic) throw guard.refused(req, sambaError('AUTH_REQUIRED', undefined, undefined, CHALLENGE));
    if (basic.user.length > 64 || basic.password.length > 200 || !(await users.verify(basic.user, basic.password)))
      throw guard.refused(req, sambaError('AUTH_INVALID', undefined, undefined, CHALLENGE));
  });
}

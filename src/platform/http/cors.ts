// CORS for browser callers of a module's API (@fastify/cors), off unless the module's policy allows an origin.
// Preflights are answered in @fastify/cors's onRequest hook, before any authentication: a browser sends no
// credentials with a preflight (no Authorization, no X-API-Key). Call it before adding a scope-level
// authentication hook; such a hook still lets preflights through (isPreflight) in case it runs first.
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export { isOrigin } from '../../config.js';

export interface CorsPolicy {
  /** The origins allowed for this request (a module may look at its path, e.g. the tracking bot id). */
  readonly origins: (req: FastifyRequest) => readonly string[] | Promise<readonly string[]>;
  /** Request headers a browser may send (Access-Control-Allow-Headers). */
  readonly allowedHeaders: readonly string[];
  /** Response headers a page may read (Access-Control-Expose-Headers). */
  readonly exposedHeaders: readonly string[];
  readonly methods: readonly string[];
}

/** How long a browser may keep a preflight's answer, seconds. */
export const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** A CORS preflight: an OPTIONS request announcing the method it wants to send. */
export const isPreflight = (req: FastifyRequest): boolean =>
  req.method === 'OPTIONS' && req.headers.origin !== undefined && req.headers['access-control-request-method'] !== undefined;

/**
 * Registers @fastify/cors on the scope with a per-request decision: an Origin the policy lists gets the CORS
 * headers (and its preflight a 204); any other origin gets none (its preflight a 404), so the browser refuses.
 */
export async function useCors(scope: FastifyInstance, policy: CorsPolicy): Promise<void> {
  // Awaited, so its hook is added now: before the scope's authentication hooks, and so on their 401/403 answers too.
  await scope.register(cors, {
    hook: 'onRequest',
    delegator: async (req: FastifyRequest) => {
      const origin = req.headers.origin;
      if (!origin) return { origin: false };
      const allowed = await policy.origins(req);
      if (!allowed.includes(origin)) return { origin: false };
      return {
        origin,
        methods: [...policy.methods],
        allowedHeaders: [...policy.allowedHeaders],
        exposedHeaders: [...policy.exposedHeaders],
        maxAge: PREFLIGHT_MAX_AGE_SECONDS,
        strictPreflight: true,
      };
    },
  });
}

// Builds the Fastify instance: platform plugins first (body parsing, security headers, request ids, metrics,
// OpenAPI), then the platform's own routes, then each module in its own encapsulated scope with its own
// error envelope. The boot order reads top to bottom.
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TrustProxy } from '../../config.js';
import type { Hub } from '../hub.js';
import { prefixesOf, type StartedModule } from '../module.js';
import { registerBodyParsers } from './body.js';
import { API_SECURITY_HEADERS, pageSecurityHeaders } from './security-headers.js';
import { useErrorEnvelope, ENGLISH } from './error-handler.js';
import { collectRouteMethods } from './route-methods.js';
import { renderPlatformError } from './errors.js';
import { registerOpenApi, registerDocsUi } from '../docs/openapi.js';
import { healthRoutes } from './health-routes.js';
import { lazyRequestLogger } from '../observability/request-logger.js';
import { safePath } from '../observability/safe-path.js';
import { adminAuth } from '../admin/auth.js';
import { inboxAdminRoutes } from '../admin/inbox-routes.js';
import { jobAdminRoutes } from '../admin/job-routes.js';
import { strictBodyCompilers } from './validators.js';
import { frameworkErrorsTo, MAX_PARAM_LENGTH, type EnvelopeScope } from './framework-errors.js';

export type App = FastifyInstance;

/** Fastify 5.12 ignores a bare hop count (it trusts nothing), so a count becomes the function it used to be. */
const fastifyTrustProxy = (tp: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) =>
  typeof tp === 'number' ? (_address, hop) => hop < tp : typeof tp === 'object' ? [...tp] : tp;

export async function buildServer(hub: Hub, parts: readonly StartedModule[]): Promise<FastifyInstance> {
  // Scopes with their own error envelope, by prefix: the router's own errors (414, bad URL) are answered by them.
  const scopes: EnvelopeScope[] = [];
  const app = Fastify({
    loggerInstance: hub.log as unknown as FastifyBaseLogger,
    bodyLimit: hub.config.bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Idle keep-alive sockets close at once on shutdown; in-flight requests are allowed to finish.
    forceCloseConnections: 'idle',
    // Only the proxies TRUST_PROXY names may set the client address (X-Forwarded-For): per-IP limits depend on it.
    trustProxy: fastifyTrustProxy(hub.config.trustProxy),
    // Request lines are logged by our onResponse hook (with the route and status), not twice.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    childLoggerFactory: lazyRequestLogger,
    // Bodies are validated strictly, path, query and headers with coercion (validators.ts).
    schemaController: { compilersFactory: strictBodyCompilers() },
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: frameworkErrorsTo(scopes),
    // Registering every module's routes (schemas compiled, the OpenAPI document built) on a loaded machine can take
    // longer than Fastify's 10 s per plugin; a slow start is not a broken one.
    pluginTimeout: 120_000,
  });
  scopes.push({ prefix: '', instance: app });
  collectRouteMethods(app);

  registerBodyParsers(app);
  const pageHeaders = pageSecurityHeaders();
  app.addHook('onRequest', async (req, reply) => {
    reply.headers(API_SECURITY_HEADERS);
    reply.header('x-request-id', req.id);
  });
  // During shutdown, responses to requests still in flight close their connection: otherwise a keep-alive
  // socket that turns idle after close() began would hold the server open until its keep-alive timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // A callback hook, not an async one: it runs on every answer, and an async hook costs a promise each time.
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) reply.headers(pageHeaders);
    done(null, payload);
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    hub.metrics.httpSeconds.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500)
      req.log.warn({ method: req.method, url: safePath(req.url), status: reply.statusCode }, 'request ended with 5xx');
    else
      req.log.debug({ method: req.method, url: safePath(req.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  await registerOpenApi(app, hub, parts);
  useErrorEnvelope(app, renderPlatformError, ENGLISH);

  await app.register(healthRoutes(hub));
  // A worker process answers probes and metrics only; the API is served by --role api|all.
  if (hub.role === 'worker') return app;
  await registerDocsUi(app);

  await app.register(
    async (admin) => {
      scopes.push({ prefix: '/admin/v1', instance: admin });
      adminAuth(admin, hub);
      await admin.register(inboxAdminRoutes(hub));
      await admin.register(jobAdminRoutes(hub));
      for (const { instance } of parts) if (instance.adminRoutes) await admin.register(async (scope) => instance.adminRoutes!(scope));
    },
    { prefix: '/admin/v1' },
  );

  for (const { definition, instance } of parts) {
    if (!instance.routes) continue;
    for (const prefix of prefixesOf(definition)) {
      await app.register(
        async (scope) => {
          scopes.push({ prefix, instance: scope });
          await instance.routes!(scope, prefix);
        },
        { prefix },
      );
    }
  }
  return app;
}

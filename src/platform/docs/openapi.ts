// The OpenAPI 3.1 document is generated from the route schemas (one source for validation, types and docs).
// It is served at /openapi.json, with Swagger UI at /api/docs and ReDoc at /api/redoc — the two paths seed 004
// promises its integrators. Both UIs are served from our own node_modules: no CDN, works offline.
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Hub } from '../hub.js';
import type { StartedModule } from '../module.js';
import { centralErrorResponses } from '../http/error-responses.js';

const require = createRequire(import.meta.url);

export async function registerOpenApi(app: FastifyInstance, hub: Hub, parts: readonly StartedModule[]): Promise<void> {
  // Statuses every route can answer (400, 413, 414, 415, 500, 503) are added centrally (http/error-responses.ts).
  const transform = centralErrorResponses(app);
  await app.register(swagger, {
    transform,
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Integration Hub',
        version: '0.1.0',
        description:
          'One service connecting amoCRM with 1C, customs software, quiz builders and cargo-tracking bots. ' +
          'Each module keeps the contract and error envelope of its partner document.',
      },
      servers: [{ url: hub.config.publicUrl }],
      tags: [
        { name: 'platform', description: 'Health, readiness and metrics' },
        { name: 'admin: inbox', description: 'Inbound webhooks as received (operator API)' },
        { name: 'admin: jobs', description: 'Background job runs (operator API)' },
        ...parts.flatMap((p) => p.definition.tags ?? []),
      ],
      components: {
        schemas: Object.assign({}, ...parts.map((p) => p.definition.componentSchemas ?? {})),
        securitySchemes: {
          adminToken: { type: 'http', scheme: 'bearer', description: 'Admin token (ADMIN_TOKEN or the one printed on first start)' },
          ...Object.assign({}, ...parts.map((p) => p.definition.securitySchemes ?? {})),
        },
      },
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

const REDOC_HTML = `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>Integration Hub — API</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><redoc spec-url="/openapi.json"></redoc><script src="/api/redoc/redoc.standalone.js"></script></body></html>`;

export async function registerDocsUi(app: FastifyInstance): Promise<void> {
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list', deepLinking: true }, staticCSP: false });
  app.get('/api/redoc', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(REDOC_HTML));
  const bundle = require.resolve('redoc/bundles/redoc.standalone.js');
  app.get('/api/redoc/redoc.standalone.js', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(createReadStream(bundle)),
  );
}

// The error statuses any route can answer, whatever its own schema says, added to the OpenAPI document when it is
// generated: a 400 when anything of the request is validated or parsed, 413 and 415 where a body is read, 414
// where the path has parameters, 429 behind the admin token (its failure throttle), 500 everywhere, and 503 where the database is used (a database outage). Each is
// documented in the envelope of the route's scope: the schema the route gives its own errors, or failing that the
// one other routes under the same prefix give theirs (the platform envelope at the root). Only the document
// changes: the route's serializers stay as declared, and an undeclared status is sent as the envelope rendered.
// Query parameters with a default are documented as optional, which is what a default means.
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import { PlatformError } from '../admin/schemas.js';

type Schema = Record<string, unknown>;
interface RouteSchema {
  hide?: boolean;
  security?: ReadonlyArray<Record<string, unknown>>;
  params?: Schema;
  querystring?: Schema;
  body?: unknown;
  response?: Record<string, unknown>;
}

/** The Retry-After header, as answers that ask a client to wait carry it (429, 503). */
export const RETRY_AFTER_HEADER: Schema = {
  type: 'integer',
  minimum: 1,
  description: 'Seconds to wait before retrying',
  examples: [5],
};

/**
 * A route's response headers for the document: `config.responseHeaders(status)` names the headers one status
 * carries (e.g. the tracking API's rate-limit headers); 429 and 503 always carry Retry-After.
 */
export type ResponseHeaders = (status: number) => Record<string, Schema> | undefined;

/** What Fastify itself, the body parsers and the error handler may answer. */
export const CENTRAL_STATUSES = {
  400: 'Invalid request: a parameter or the body does not match the schema, or the body is not valid JSON',
  413: 'Request body is too large',
  414: 'A path parameter is too long',
  429: 'Too many failed authentications from this address; retry after the Retry-After header',
  415: 'Unsupported content type (this operation takes JSON)',
  500: 'Internal server error (details are in the log under the request id)',
  503: 'Temporarily unavailable (the database is unreachable); retry after the Retry-After header',
} as const;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Statuses whose schema is the scope's plain envelope (409 and 503 may carry more: a transition, a readiness report). */
const ENVELOPE_STATUSES = ['500', '400', '401', '404', '403', '429', '502'];

function isJsonSchema(s: unknown): s is Schema {
  if (!s || typeof s !== 'object') return false;
  const o = s as Schema;
  return !('content' in o) && o.contentMediaType !== 'text/html' && (o.type !== undefined || o.$ref !== undefined);
}

/** The envelope a route documents for its own errors, if it documents any as JSON. */
export function envelopeOf(response: Record<string, unknown> | undefined): Schema | undefined {
  if (!response) return undefined;
  for (const status of ENVELOPE_STATUSES) if (isJsonSchema(response[status])) return response[status];
  return undefined;
}

const hasProperties = (s: Schema | undefined) => !!s && Object.keys((s.properties as Schema | undefined) ?? {}).length > 0;
const methodsOf = (route: RouteOptions) => (Array.isArray(route.method) ? route.method : [route.method]);

/** The statuses (beyond its own) one route can answer. */
export function centralStatuses(route: Pick<RouteOptions, 'method' | 'config'>, schema: RouteSchema): Array<keyof typeof CENTRAL_STATUSES> {
  const readsBody = methodsOf(route as RouteOptions).some((m) => BODY_METHODS.has(String(m).toUpperCase()));
  const hasParams = hasProperties(schema.params);
  const statuses: Array<keyof typeof CENTRAL_STATUSES> = [];
  if (readsBody || hasParams || schema.querystring || schema.body) statuses.push(400);
  if (readsBody) statuses.push(413);
  if (hasParams) statuses.push(414);
  if (readsBody) statuses.push(415);
  // The admin token's gate slows an address down after repeated failures (platform/admin/auth.ts).
  if (schema.security?.some((scheme) => 'adminToken' in scheme)) statuses.push(429);
  statuses.push(500);
  if ((route.config as { usesDatabase?: boolean } | undefined)?.usesDatabase !== false) statuses.push(503);
  return statuses;
}

/** A querystring schema whose defaulted properties are no longer listed as required. */
function optionalDefaults(query: Schema): Schema {
  const required = query.required as string[] | undefined;
  const properties = (query.properties ?? {}) as Record<string, Schema>;
  if (!required?.some((name) => properties[name]?.default !== undefined)) return query;
  const left = required.filter((name) => properties[name]?.default === undefined);
  const { required: _dropped, ...rest } = query;
  return left.length ? { ...rest, required: left } : rest;
}

/**
 * Installs the collector (an onRoute hook: each prefix's envelope) and returns the @fastify/swagger `transform`
 * that documents every route with its central statuses. Call before any route is added.
 */
export function centralErrorResponses(app: FastifyInstance) {
  const byPrefix = new Map<string, Schema>();
  app.addHook('onRoute', (route) => {
    const envelope = envelopeOf((route.schema as RouteSchema | undefined)?.response);
    if (envelope && !byPrefix.has(route.prefix)) byPrefix.set(route.prefix, envelope);
  });
  return ({ schema, url, route }: { schema: FastifySchema; url: string; route: RouteOptions }): { schema: FastifySchema; url: string } => {
    const s = schema as RouteSchema | undefined;
    if (!s || s.hide) return { schema, url };
    const own = s.response ?? {};
    const prefix = (route as RouteOptions & { prefix?: string }).prefix ?? '';
    const envelope = envelopeOf(own) ?? byPrefix.get(prefix) ?? PlatformError;
    const response: Record<string, unknown> = { ...own };
    for (const status of centralStatuses(route, s)) {
      const mine = response[status] as { content?: Record<string, unknown> } | undefined;
      if (mine === undefined) response[status] = { ...envelope, description: CENTRAL_STATUSES[status] };
      // A page for the browser (an HTML 400) is what the handler answers; a rejected request gets the envelope.
      else if (mine.content && !mine.content['application/json'])
        response[status] = { ...mine, content: { ...mine.content, 'application/json': { schema: envelope } } };
    }
    const own429 = (s.security ?? []).some((scheme) => 'adminToken' in scheme);
    const headersOf = (route.config as { responseHeaders?: ResponseHeaders } | undefined)?.responseHeaders;
    for (const [status, r] of Object.entries(response)) {
      const code = Number(status);
      const headers = {
        ...headersOf?.(code),
        ...(code === 503 || (code === 429 && (own429 || headersOf)) ? { 'Retry-After': RETRY_AFTER_HEADER } : {}),
      };
      if (Object.keys(headers).length && r && typeof r === 'object') response[status] = { ...(r as Schema), headers };
    }
    return {
      url,
      schema: { ...s, response, ...(s.querystring ? { querystring: optionalDefaults(s.querystring) } : {}) } as FastifySchema,
    };
  };
}

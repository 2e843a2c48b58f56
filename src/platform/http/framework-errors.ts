// Errors Fastify's router raises before any route or scope is chosen: a path parameter longer than
// `maxParamLength` (414) and a path that is not valid percent-encoding (400). Fastify would answer them in its own
// shape; here they go to the error handler of the scope whose prefix the URL is under, so a tracking client reads
// `{detail}`, a quiz client its JSON string and the admin API the platform envelope, like every other error.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HubError } from './errors.js';

/**
 * The longest path parameter the router lets through (decoded, in UTF-16 units). Every id a route accepts must
 * fit, twice over (a schema's maxLength counts characters, and one character may be two units):
 * test/platform/input-limits.test.ts holds the document to it. Longer ones are a 414 in the scope's envelope.
 */
export const MAX_PARAM_LENGTH = 1000;

export interface EnvelopeScope {
  readonly prefix: string;
  readonly instance: FastifyInstance;
}

function replacement(err: FastifyError): Error {
  switch (err.code) {
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new HubError('URI_TOO_LONG', 414, `A path parameter is longer than ${MAX_PARAM_LENGTH} characters`);
    case 'FST_ERR_BAD_URL':
      return new HubError('BAD_URL', 400, 'The path is not valid percent-encoding');
    default:
      return err;
  }
}

/**
 * Fastify's `frameworkErrors`: the scope with the longest prefix the path is under answers. `scopes` is filled as
 * the server registers them (the root first, prefix ''); the router cannot fail before the server is ready.
 */
export function frameworkErrorsTo(scopes: readonly EnvelopeScope[]) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply): void => {
    const path = (req.raw.url ?? '/').split('?')[0]!;
    let owner: EnvelopeScope | undefined;
    for (const s of scopes) {
      const under = s.prefix === '' || path === s.prefix || path.startsWith(`${s.prefix}/`);
      if (under && (!owner || s.prefix.length > owner.prefix.length)) owner = s;
    }
    if (!owner) {
      reply.status(500).send();
      return;
    }
    // Every envelope is JSON; a scope rendering a string (quiz) would otherwise go out as text/plain.
    reply.type('application/json; charset=utf-8');
    void owner.instance.errorHandler.call(owner.instance, replacement(err) as FastifyError, req, reply);
  };
}

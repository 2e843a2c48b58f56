// Body parsing that keeps the raw text: the webhook inbox stores requests exactly as they came, and signature
// checks need the bytes that were signed. JSON is what every route takes; form bodies are parsed PHP-style
// (`leads[status][0][id]=…`, how amoCRM and most Russian CRMs post webhooks) only for a route that declares them
// (`schema.consumes`), and any other content type is a 415. JSON nesting is bounded before JSON.parse runs, so a
// body of 200 000 brackets is a 400, not a stack overflow in the parser, Ajv or a serializer further on.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorCodes } from 'fastify';
import qs from 'qs';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

export const FORM = 'application/x-www-form-urlencoded';
/** Deeper than any document of ours (the quiz rules reach 4 levels); far below what overflows a stack. */
export const MAX_JSON_DEPTH = 64;

export function parseForm(body: string): Record<string, unknown> {
  return qs.parse(body, { depth: 10, arrayLimit: 1000, parameterLimit: 10_000, allowDots: false });
}

/** The deepest nesting of objects and arrays in a JSON text, stopping as soon as it passes `limit`. */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  // Nothing shorter can nest deeper than the limit: most bodies are answered by this test alone.
  if (text.length <= limit * 2) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: skip to its closing quote, stepping over escapes, so brackets inside text do not count.
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Shaped like a schema violation, so each module's envelope words it like its other 400s. */
function tooDeep(): Error {
  return Object.assign(new Error(`body nests deeper than ${MAX_JSON_DEPTH} levels`), {
    statusCode: 400,
    validationContext: 'body',
    validation: [
      {
        instancePath: '',
        keyword: 'maxDepth',
        message: `must not nest deeper than ${MAX_JSON_DEPTH} levels`,
        params: { limit: MAX_JSON_DEPTH },
      },
    ],
  });
}

/** Whether the matched route declares form bodies (`schema: { consumes: ['application/x-www-form-urlencoded'] }`). */
export function acceptsForm(req: FastifyRequest): boolean {
  const consumes = (req.routeOptions.schema as { consumes?: readonly string[] } | undefined)?.consumes;
  return Array.isArray(consumes) && consumes.includes(FORM);
}

export function registerBodyParsers(app: FastifyInstance): void {
  // Fastify's own text/plain parser would hand a JSON route a string to coerce; no route of ours takes text.
  app.removeAllContentTypeParsers();
  const json = (req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
    const text = body as string;
    req.rawBody = text;
    if (text.trim() === '') return done(null, undefined);
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) return done(tooDeep(), undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      (err as { statusCode?: number }).statusCode = 400;
      done(err as Error, undefined);
    }
  };
  app.addContentTypeParser('application/json', { parseAs: 'string' }, json);
  app.addContentTypeParser(/^application\/[\w.+-]+\+json$/, { parseAs: 'string' }, json);
  app.addContentTypeParser(FORM, { parseAs: 'string' }, (req, body, done) => {
    if (!acceptsForm(req)) return done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(FORM), undefined);
    req.rawBody = body as string;
    done(null, parseForm(body as string));
  });
}

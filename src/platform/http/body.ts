// Body parsing that keeps the raw text: the webhook inbox stores requests exactly as they came, and signature
// checks need the bytes that were signed. Form bodies are parsed PHP-style (`leads[status][0][id]=…`) because
// that is how amoCRM and most Russian CRMs post webhooks.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import qs from 'qs';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

export function parseForm(body: string): Record<string, unknown> {
  return qs.parse(body, { depth: 10, arrayLimit: 1000, parameterLimit: 10_000, allowDots: false });
}

export function registerBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json']);
  const json = (req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
    const text = body as string;
    req.rawBody = text;
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      (err as { statusCode?: number }).statusCode = 400;
      done(err as Error, undefined);
    }
  };
  app.addContentTypeParser('application/json', { parseAs: 'string' }, json);
  app.addContentTypeParser(/^application\/[\w.+-]+\+json$/, { parseAs: 'string' }, json);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (req, body, done) => {
    req.rawBody = body as string;
    done(null, parseForm(body as string));
  });
}

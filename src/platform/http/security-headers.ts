// Security headers. Every answer gets the set the OWASP REST Security Cheat Sheet gives for API responses: nothing
// may frame it, sniff its type or load anything on its behalf (~170 bytes). HTML pages (Swagger UI, ReDoc) get
// helmet's whole set instead, with a Content-Security-Policy that lets them run (inline styles, data: fonts and
// images, blob: workers) — ~900 bytes that a JSON answer has no use for, on every answer of the public API.
// Both depend on configuration only, so they are computed once at start-up and every request copies them.
// (@fastify/helmet builds a new helmet middleware — parsing every option and CSP directive — for each request: a
// measurable share of a small API answer's CPU, see docs/benchmarks.md.)
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

const OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      workerSrc: ["'self'", 'blob:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
    },
  },
};

/** Every answer's headers (an HTML page's replace them, see pageSecurityHeaders). */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
});

/** An HTML page's headers: helmet's, read by running its middleware once against a recording response. */
export function pageSecurityHeaders(): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    // helmet removes X-Powered-By, which Fastify never sets.
    removeHeader: () => undefined,
  };
  helmet(OPTIONS)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return Object.freeze(headers);
}

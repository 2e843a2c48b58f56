// The Fastify instance an emulator is served by, and its listen/close life cycle. Bodies are parsed leniently,
// as partners do: JSON whatever the content type says (clients do not always send one), an empty body as "no
// data" for the route to answer, and forms PHP-style (`a[b][0]=…`).
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import qs from 'qs';

export interface EmulatorAppOptions {
  /** Fastify logger; off by default. */
  logger?: FastifyServerOptions['logger'];
  /** Maps a request to a route before routing (e.g. a partner's `Host: account.partner.com` to a path prefix). */
  rewriteUrl?: FastifyServerOptions['rewriteUrl'];
  /** The partner's query-string syntax (e.g. PHP brackets through qs); default: Fastify's. */
  querystringParser?: (query: string) => Record<string, unknown>;
  /** The error (in the partner's shape) for a body that is not valid JSON; the app's error handler sends it. */
  invalidJson(): Error;
}

/** Partner batches can be large; the emulator must not refuse what the partner accepts. */
const BODY_LIMIT = 16 * 1024 * 1024;

export function createEmulatorApp(options: EmulatorAppOptions): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    genReqId: () => randomBytes(16).toString('hex'),
    ...(options.rewriteUrl ? { rewriteUrl: options.rewriteUrl } : {}),
    ...(options.querystringParser ? { routerOptions: { querystringParser: options.querystringParser } } : {}),
    bodyLimit: BODY_LIMIT,
    // close() must not wait for keep-alive clients (connectors under test keep pools open).
    forceCloseConnections: true,
  });

  const parseJson = (text: string, done: (err: Error | null, body?: unknown) => void) => {
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(options.invalidJson());
    }
  };
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, qs.parse(body as string, { depth: 6 })),
  );
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => parseJson(body as string, done));
  return app;
}

export interface EmulatorListener {
  /** Starts listening (default 127.0.0.1, a free port) and returns the origin, e.g. `http://127.0.0.1:41234`. */
  listen(opts?: { port?: number; host?: string }): Promise<string>;
  /** The origin once listening; throws before. */
  origin(): string;
  close(): Promise<void>;
}

/** The life cycle of `app`; `beforeClose` stops the partner's own background work (e.g. webhook retries). */
export function emulatorListener(app: FastifyInstance, beforeClose?: () => void): EmulatorListener {
  let origin: string | null = null;
  return {
    async listen(opts = {}) {
      const address = await app.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' });
      origin = address.replace('://[::1]', '://localhost');
      return origin;
    },
    origin() {
      if (!origin) throw new Error('the emulator is not listening yet');
      return origin;
    },
    async close() {
      beforeClose?.();
      await app.close();
    },
  };
}

// Which methods a path is routed for, so that a request with another method is answered 405 Method Not Allowed
// with `Allow` (RFC 9110 §15.5.6) in its scope's envelope, rather than a 404 saying the path does not exist.
// Filled by an onRoute hook on the root instance (it sees the routes of every scope registered after it) and read
// only when the router found nothing: a matched request pays nothing for it.
import type { FastifyInstance, FastifyRequest } from 'fastify';

interface Entry {
  readonly pattern: RegExp;
  readonly methods: Set<string>;
}

/** A Fastify route URL as a regular expression: `:name` a segment, `:name(re)` that re, `*` the rest, `::` a colon. */
export function routePattern(url: string): RegExp {
  let out = '';
  for (let i = 0; i < url.length;) {
    if (url.startsWith('::', i)) {
      out += ':';
      i += 2;
    } else if (url[i] === ':') {
      const name = /^:[A-Za-z0-9_]+/.exec(url.slice(i))![0];
      i += name.length;
      if (url[i] === '(') {
        let depth = 0;
        let j = i;
        for (; j < url.length; j++) {
          if (url[j] === '\\') j++;
          else if (url[j] === '(') depth++;
          else if (url[j] === ')' && --depth === 0) break;
        }
        // find-my-way anchors a parameter's expression itself; an author's own ^ and $ are dropped here too.
        out += `(?:${url
          .slice(i + 1, j)
          .replace(/^\^/, '')
          .replace(/\$$/, '')})`;
        i = j + 1;
      } else out += '[^/]+';
    } else if (url[i] === '*') {
      out += '.*';
      i++;
    } else {
      out += url[i]!.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
      i++;
    }
  }
  return new RegExp(`^${out}$`);
}

export class RouteMethods {
  readonly #byUrl = new Map<string, Entry>();

  add(method: string | readonly string[], url: string): void {
    // A catch-all (CORS preflights on `*`, a static folder) would make every unknown path "routed": such a path
    // stays a 404.
    if (url.includes('*')) return;
    let entry = this.#byUrl.get(url);
    if (!entry) this.#byUrl.set(url, (entry = { pattern: routePattern(url), methods: new Set() }));
    for (const m of typeof method === 'string' ? [method] : method) entry.methods.add(m.toUpperCase());
  }

  /** The methods routed for this path, sorted; empty when no route matches it. */
  allowed(path: string): string[] {
    const found = new Set<string>();
    for (const { pattern, methods } of this.#byUrl.values()) if (pattern.test(path)) for (const m of methods) found.add(m);
    return [...found].sort();
  }
}

const KEY = 'hubRouteMethods';

/** Collects every route added from now on, for methodsAllowed(); call on the root instance before any route. */
export function collectRouteMethods(app: FastifyInstance): void {
  const methods = new RouteMethods();
  app.decorate(KEY, methods);
  app.addHook('onRoute', (route) => methods.add(route.method, route.url));
}

/**
 * The methods the request's path is routed for, when its own method is not among them: empty when the path is
 * unknown, or when its method is routed after all (a handler's own "not found", a parameter the router refused).
 */
export function methodsAllowed(req: FastifyRequest): string[] {
  const methods = (req.server as unknown as Record<string, RouteMethods | undefined>)[KEY];
  const allowed = methods ? methods.allowed(req.url.split('?')[0]!) : [];
  return allowed.includes(req.method) ? [] : allowed;
}

// What a database failure means for the caller. A lost or refused connection says nothing about the request: the
// same request succeeds once the database is back, so the hub answers 503 with Retry-After instead of 500. The
// error may arrive wrapped (drizzle's DrizzleQueryError keeps the driver's error as `cause`; a connect to a host
// with several addresses fails as an AggregateError), so the whole chain is searched.

/** Socket-level failures: the server is not there (or not reachable) right now. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that cannot serve now: class 08 (connection exception), 57P01 admin_shutdown, 57P02
 * crash_shutdown, 57P03 cannot_connect_now (starting up, shutting down, recovering), 53300 too_many_connections.
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;

/** node-postgres and PGlite say these in words only (no code). */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|Cannot use a pool after calling end|PGlite is clos(ed|ing)/;

/** Whether `err` (or anything it wraps) is the database being unreachable, as opposed to a failing statement. */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || UNAVAILABLE_SQLSTATE.test(e.code))) return true;
  // Only the driver's own errors: a server error (severity) or a wrapper quoting the query (and its values) could
  // contain these words as data.
  if (typeof e.message === 'string' && !('severity' in e) && !('query' in e) && UNAVAILABLE_MESSAGE.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

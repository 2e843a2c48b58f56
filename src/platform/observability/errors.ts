// Errors as they may be written down (logs, a job's output, an inbox row): with the SQL error code and the
// statement's name or text, never the values it was run with. The drivers put those values everywhere: drizzle's
// DrizzleQueryError says "Failed query: … params: <every value>" in its message (and so its stack) and keeps them in
// `params`; PGlite's errors carry `params`; PostgreSQL's `detail` quotes the offending row ("Failing row contains
// (…, +7 999 …, anna@…)") and data-exception messages quote the bad input. A quiz result's name, phone and e-mail
// must not reach a log line because an insert failed.

/** Properties that hold values a statement ran with (or rows it touched). */
const VALUE_KEYS = new Set(['params', 'parameters', 'values', 'internalQuery', 'where']);
/** A SQLSTATE: five characters of digits and capitals (PostgreSQL, PGlite). */
const SQLSTATE = /^[0-9A-Z]{5}$/;
const MAX_STATEMENT = 300;
const MAX_DEPTH = 5;

interface ErrorLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly stack?: unknown;
  readonly code?: unknown;
  readonly severity?: unknown;
  readonly query?: unknown;
  readonly params?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
}

const isErrorLike = (v: unknown): v is ErrorLike & Error =>
  v instanceof Error || (!!v && typeof v === 'object' && 'message' in v && 'stack' in v);

/** A server-side SQL error (it has a SQLSTATE and a severity). */
const isSqlError = (e: ErrorLike): boolean => typeof e.code === 'string' && SQLSTATE.test(e.code) && 'severity' in e;

/** The SQL text without its values, on one line and bounded. */
export function statementText(query: unknown): string | undefined {
  if (typeof query !== 'string') return undefined;
  const text = query.replace(/\s+/g, ' ').trim();
  return text.length > MAX_STATEMENT ? `${text.slice(0, MAX_STATEMENT)}…` : text;
}

/** The error's own message, cleaned of any value it quotes. */
export function safeErrorMessage(err: unknown): string {
  if (!isErrorLike(err)) return String(err);
  const e = err as ErrorLike;
  const message = String(e.message ?? '');
  // drizzle: "Failed query: <sql>\nparams: <values>"; the statement is reported on its own, the cause says why.
  if ('params' in e && message.startsWith('Failed query:')) return e.cause ? `Failed query: ${errorSummary(e.cause)}` : 'Failed query';
  const cut = message.search(/\nparams:/);
  const own = cut >= 0 ? message.slice(0, cut) : message;
  // Class 22 (data exception) messages quote the input: invalid input syntax for type integer: "…".
  if (isSqlError(e) && String(e.code).startsWith('22')) return own.replace(/"[^"]*"/g, '"…"');
  return own;
}

/** One line for a health detail or a warning: the innermost cause's code and message. */
export function errorSummary(err: unknown): string {
  let e: unknown = err;
  for (let i = 0; i < MAX_DEPTH && isErrorLike(e) && isErrorLike((e as ErrorLike).cause); i++) e = (e as ErrorLike).cause;
  if (!isErrorLike(e)) return String(e);
  const code = (e as ErrorLike).code;
  const message = safeErrorMessage(e);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

/**
 * pino's `err` serializer: type, message, stack, code and other own fields, causes and aggregated errors, as the
 * standard serializer does; SQL errors keep their code, constraint, table and column; a statement appears as its
 * prepared name (`statement`) or its text (`sql`); no parameter value, row or quoted input.
 */
export function serializeError(err: unknown, depth = 0): unknown {
  if (!isErrorLike(err)) return err;
  const e = err as ErrorLike & Record<string, unknown>;
  const type = typeof e.constructor === 'function' && e.constructor.name ? e.constructor.name : String(e.name ?? 'Error');
  const message = safeErrorMessage(e);
  const out: Record<string, unknown> = { type, message };
  if (typeof e.stack === 'string') {
    // The stack's first lines repeat the message (values included): keep only the frames.
    const frames = e.stack.split('\n').filter((line) => /^\s+at /.test(line));
    out.stack = [`${type}: ${message}`, ...frames].join('\n');
  }
  const sql = isSqlError(e);
  for (const key in e) {
    if (key in out || key === 'cause' || key === 'errors' || VALUE_KEYS.has(key)) continue;
    if (sql && key === 'detail') continue;
    const value = e[key];
    if (key === 'query') out.sql = statementText(value);
    else out[key] = isErrorLike(value) ? (depth < MAX_DEPTH ? serializeError(value, depth + 1) : '[error]') : value;
  }
  if (depth < MAX_DEPTH && isErrorLike(e.cause)) out.cause = serializeError(e.cause, depth + 1);
  if (depth < MAX_DEPTH && Array.isArray(e.errors)) out.aggregateErrors = e.errors.map((x) => serializeError(x, depth + 1));
  return out;
}

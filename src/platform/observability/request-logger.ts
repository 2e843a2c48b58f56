// Fastify gives every request a child logger bound to its request id. A pino child is not free: with our redaction
// paths (wildcards) pino redacts the bindings as it builds the child, about 9 µs and 3 KB per request on the
// tracking benchmark, while most requests never write a line at the levels production runs. This logger stands in
// for the child and builds it on the first line the request actually writes; until then a disabled level costs one
// level check.
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level, LevelWithSilentOrString, LogFn, Logger } from 'pino';

const LEVELS: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

export class LazyRequestLogger implements FastifyBaseLogger {
  // The level methods live on the prototype (static block below): a logger per request must not cost a closure each.
  declare fatal: LogFn;
  declare error: LogFn;
  declare warn: LogFn;
  declare info: LogFn;
  declare debug: LogFn;
  declare trace: LogFn;
  declare silent: LogFn;
  #child: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  static {
    for (const level of LEVELS) {
      Object.defineProperty(LazyRequestLogger.prototype, level, {
        value(this: LazyRequestLogger, ...args: Parameters<LogFn>) {
          if (!(this.#child ?? this.parent).isLevelEnabled(level)) return;
          (this.#logger()[level] as (...a: Parameters<LogFn>) => void)(...args);
        },
      });
    }
    Object.defineProperty(LazyRequestLogger.prototype, 'silent', { value: () => undefined });
  }

  #logger(): Logger {
    return (this.#child ??= this.parent.child(this.bindings, this.options));
  }

  get level(): LevelWithSilentOrString {
    return (this.#child ?? this.parent).level;
  }

  set level(level: LevelWithSilentOrString) {
    this.#logger().level = level;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#logger().child(bindings, options) as FastifyBaseLogger;
  }
}

/** Fastify's `childLoggerFactory`; a route's own log level (options.level) needs the real child at once. */
export function lazyRequestLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  const parent = logger as unknown as Logger;
  return options.level === undefined
    ? new LazyRequestLogger(parent, bindings, options)
    : (parent.child(bindings, options) as FastifyBaseLogger);
}

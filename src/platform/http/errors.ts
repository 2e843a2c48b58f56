// Errors the hub answers with. Each module declares a closed catalogue of codes (status + default message);
// services throw HubError without knowing HTTP, and each module's error handler renders its own envelope.

export interface ErrorSpec {
  readonly status: number;
  readonly message: string;
}

export class HubError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

export type ErrorFactory<C extends string> = (code: C, message?: string, details?: unknown, headers?: Record<string, string>) => HubError;

/** Builds a module's catalogue: `const fail = defineErrors({ NOT_FOUND: { status: 404, message: '…' } })`. */
export function defineErrors<C extends string>(catalogue: Record<C, ErrorSpec>): ErrorFactory<C> & { catalogue: Record<C, ErrorSpec> } {
  const factory = ((code: C, message?: string, details?: unknown, headers?: Record<string, string>) => {
    const spec = catalogue[code];
    return new HubError(code, spec.status, message ?? spec.message, details, headers);
  }) as ErrorFactory<C> & { catalogue: Record<C, ErrorSpec> };
  factory.catalogue = catalogue;
  return factory;
}

/** What every renderer receives: already mapped to a status, with internal text hidden for 5xx. */
export interface RenderableError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
  readonly requestId: string;
}

export type ErrorRenderer = (err: RenderableError) => unknown;

/** The platform's own envelope (admin API, health): `{ error: { code, message, details?, requestId } }`. */
export const renderPlatformError: ErrorRenderer = (e) => ({
  error: { code: e.code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}), requestId: e.requestId },
});

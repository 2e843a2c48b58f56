// Two Ajv instances behind every route: path, query and header values arrive as text, so they are coerced to the
// schema's types ("42" → 42); bodies arrive typed (JSON), so they are checked as sent. Coercing bodies turned
// `true` into 1 and "0x12F" into 303 and let a string stand for a number: a client's mistake stored silently.
import AjvCompiler from '@fastify/ajv-compiler';
import type { FastifyServerOptions } from 'fastify';

type Options = NonNullable<NonNullable<FastifyServerOptions['ajv']>['customOptions']>;
type BuildValidator = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']>;

/** The server's Ajv options: defaults filled in, nothing removed; nullable fields are type lists (schema-types.ts). */
export const AJV_OPTIONS: Options = { removeAdditional: false, useDefaults: true, allErrors: false, allowUnionTypes: true };

/**
 * The Ajv pools, one per process: a pool keeps one Ajv per (options, external schemas), and Ajv keeps what it
 * compiled per schema object — so a second server in the process (a restart of the embedded hub, every test's hub)
 * reuses the validators of the route schemas it shares instead of compiling them again.
 */
const coercingPool = AjvCompiler();
const strictPool = AjvCompiler();

/** Fastify's `schemaController.compilersFactory`: a strict compiler for bodies, a coercing one for the rest. */
export function strictBodyCompilers(): { buildValidator: BuildValidator } {
  const buildValidator = ((externalSchemas: Record<string, unknown>, serverOptions: { customOptions?: Options; plugins?: unknown[] }) => {
    const base = { ...serverOptions, customOptions: { ...AJV_OPTIONS, ...serverOptions?.customOptions } };
    const coercing = coercingPool(
      externalSchemas as never,
      { ...base, customOptions: { ...base.customOptions, coerceTypes: 'array' } } as never,
    );
    const strict = strictPool(externalSchemas as never, { ...base, customOptions: { ...base.customOptions, coerceTypes: false } } as never);
    return (route: { httpPart?: string }) =>
      route.httpPart === 'body' ? strict(route as never) : finiteOnly(coercing(route as never) as unknown as Validate);
  }) as unknown as BuildValidator;
  return { buildValidator };
}

interface Validate {
  (data: unknown): boolean;
  errors?: unknown[] | null;
}

/**
 * Ajv coerces "Infinity" to a number and then skips minimum and maximum for it (they test finite numbers only), so
 * `?page=Infinity` passed a bounded schema. Coerced parts are flat (a value or an array of values per name): a
 * non-finite number in them is refused like any other schema violation.
 */
function finiteOnly(validate: Validate): Validate {
  const checked: Validate = (data) => {
    const ok = validate(data);
    checked.errors = validate.errors;
    if (!ok || !data || typeof data !== 'object') return ok;
    for (const [name, value] of Object.entries(data)) {
      const values: unknown[] = Array.isArray(value) ? value : [value];
      if (values.some((v) => typeof v === 'number' && !Number.isFinite(v))) {
        checked.errors = [{ instancePath: `/${name}`, keyword: 'type', params: { type: 'number' }, message: 'must be a finite number' }];
        return false;
      }
    }
    return true;
  };
  return checked;
}

// Bodies validated as the platform does (strict types, no coercion) but reporting every error, not the first:
// a 400 lists each field the sender has to fix (an operator in amoCRM, Alta's or the warehouse's integrator).
import AjvCompiler from '@fastify/ajv-compiler';
import { AJV_OPTIONS } from '../../platform/http/validators.js';

export const allErrors = AjvCompiler()({}, {
  customOptions: { ...AJV_OPTIONS, allErrors: true, coerceTypes: false },
} as never) as unknown as (route: { schema: unknown }) => (data: unknown) => boolean;

// The module's closed error catalogue and its envelope. A seed module renders the envelope its partner document
// promises (here `{ "error": { "code", "message" } }`, in the partner's language).
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { defineErrors } from '../../../src/platform/http/errors.js';
import { RUSSIAN, useErrorEnvelope } from '../../../src/platform/http/error-handler.js';

export const exampleError = defineErrors({
  EXAMPLE_EMPTY_EVENT: { status: 400, message: 'Событие без типа' },
});

export const ExampleError = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String() }) }, { title: 'ExampleError' });

export function useExampleEnvelope(app: FastifyInstance): void {
  useErrorEnvelope(app, (e) => ({ error: { code: e.code, message: e.message } }), RUSSIAN);
}

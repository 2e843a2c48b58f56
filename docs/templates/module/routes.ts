// Thin handlers: every route declares params, body and every response (errors included) and an operationId; the
// same schemas validate, type the handler and feed the OpenAPI document.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Hub } from '../../../src/platform/hub.js';
import { acceptWebhook } from '../../../src/platform/inbox/accept.js';
import { LineString } from '../../../src/platform/http/schema-types.js';
import { ExampleError, useExampleEnvelope } from './errors.js';
import { EVENTS } from './queues.js';

export const TAG = 'example';

export function exampleRoutes(app: FastifyInstance, deps: { hub: Hub; greeting: string }): void {
  useExampleEnvelope(app);
  app.get(
    '/hello',
    {
      schema: {
        operationId: 'ExampleHello',
        tags: [TAG],
        summary: 'A greeting from EXAMPLE_GREETING',
        response: { 200: Type.Object({ greeting: Type.String() }), 500: ExampleError },
      },
    },
    async () => ({ greeting: deps.greeting }),
  );
  app.post(
    '/events',
    {
      schema: {
        operationId: 'ExampleEvent',
        tags: [TAG],
        summary: 'Accept an event: stored before the answer, processed by a worker',
        // Input strings are bounded and refuse control characters (LineString); integers get a minimum and maximum.
        body: Type.Object({ type: LineString({ minLength: 1, maxLength: 100 }) }),
        response: { 202: Type.Object({ accepted: Type.Boolean(), id: Type.Integer() }), 400: ExampleError, 500: ExampleError },
      },
    },
    async (req, reply) => {
      const { id } = await acceptWebhook(deps.hub, req, { source: 'example', queue: EVENTS });
      return reply.status(202).send({ accepted: true, id });
    },
  );
}

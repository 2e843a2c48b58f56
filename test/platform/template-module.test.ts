// The module template in docs/templates/module runs: its routes answer, an accepted event is processed by a
// worker, and it passes the conformance rules (but for living outside src/modules, which copying it fixes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createExampleModule } from '../../docs/templates/module/index.js';
import { EventService } from '../../docs/templates/module/service.js';
import { testHub, waitForJob } from '../helpers/hub.js';
import { checkOperations, checkParts } from '../helpers/conformance.js';

test('the module template works as a module and conforms', async (t) => {
  const h = await testHub(t, { modules: [createExampleModule()], env: { EXAMPLE_GREETING: 'Привет' } });
  assert.deepEqual((await h.app.inject({ url: '/example/hello' })).json(), { greeting: 'Привет' });

  const done = waitForJob(h, (e) => e.queue === 'example.events');
  const accepted = await h.app.inject({ method: 'POST', url: '/example/events', payload: { type: 'created' } });
  assert.equal(accepted.statusCode, 202);
  assert.equal((await done).state, 'completed');
  const service = h.parts.find((p) => p.definition.name === 'example')!.instance.api as EventService;
  assert.deepEqual(service.handled, [{ type: 'created' }]);

  const bad = await h.app.inject({ method: 'POST', url: '/example/events', payload: {} });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().error.message, /Некорректный запрос/, 'the module’s own envelope and language');

  assert.deepEqual(checkParts(h.parts), ['module example: no src/modules/example/index.ts']);
  const doc = (await h.app.inject({ url: '/openapi.json' })).json();
  assert.deepEqual(checkOperations(doc), []);
  assert.ok(doc.paths['/example/events'].post.operationId === 'ExampleEvent');
});

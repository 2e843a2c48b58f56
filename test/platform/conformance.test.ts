// The conformance test over the hub's connectors and modules (app.ts's lists), and proof that it catches a
// deliberately broken module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pgTable, text } from 'drizzle-orm/pg-core';
import { Type } from '@sinclair/typebox';
import { MODULES } from '../../src/app.js';
import { CONNECTORS } from '../../src/connectors/index.js';
import { defineModule } from '../../src/platform/module.js';
import { defineQueue } from '../../src/platform/jobs/queue.js';
import { testHub } from '../helpers/hub.js';
import { checkOperations, checkParts, checkTables, schemaOf } from '../helpers/conformance.js';

test('every connector and module of the hub conforms: names, prefixes, settings, queues, tables, docs, operations', async (t) => {
  const h = await testHub(t);
  assert.deepEqual(
    h.parts.map((p) => p.definition.name),
    [...CONNECTORS, ...MODULES].map((d) => d.name),
    'the hub runs exactly the listed parts',
  );
  assert.deepEqual(checkParts(h.parts), []);
  for (const { definition } of h.parts) {
    const schema = await schemaOf(definition);
    if (schema) assert.deepEqual(checkTables(definition, schema), [], definition.name);
  }
  const doc = (await h.app.inject({ url: '/openapi.json' })).json();
  const operations = Object.values(doc.paths as Record<string, object>).flatMap((item) => Object.keys(item));
  assert.ok(operations.length > 60, `platform, connector and module operations are all in the document (${operations.length})`);
  assert.deepEqual(checkOperations(doc), []);
  // Security schemes come from the parts' descriptors, not from the platform.
  assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), [
    'adminToken',
    'customsBearer',
    'customsToken',
    'customsTokenQuery',
    'onecBasic',
    'onecPublisher',
    'quizJwt',
    'sambaBasic',
    'trackingApiKey',
  ]);
});

test('a deliberately broken module is caught by every rule', async (t) => {
  const BadQueue = defineQueue<{ n: number }>('elsewhere.jobs');
  const broken = defineModule({
    name: 'broken',
    prefix: '/quiz',
    settings: { level: { env: 'LEVEL', kind: 'int', default: '1', description: 'no prefix' } },
    create: () => ({
      queues: [BadQueue.worker(async () => undefined)],
      routes(app) {
        app.get('/undocumented', { schema: { response: { 200: Type.Object({ ok: Type.Boolean() }) } } }, async () => ({ ok: true }));
        app.get('/also', { schema: { operationId: 'GetCurrentAccount', response: { 200: Type.Null() } } }, async () => null);
      },
    }),
  });
  const h = await testHub(t, { modules: [...MODULES, broken], env: { LEVEL: '1' } });
  const parts = checkParts(h.parts);
  const expected = [
    /module broken: prefix \/quiz is used twice/,
    /module broken: no src\/modules\/broken\/index\.ts/,
    /module broken: its documentation docs\/modules\/broken\.md does not exist/,
    /module broken: setting LEVEL must start with BROKEN_/,
    /module broken: queue elsewhere\.jobs must start with broken\./,
  ];
  for (const rule of expected)
    assert.ok(
      parts.some((p) => rule.test(p)),
      `${rule} in ${parts.join('; ')}`,
    );
  assert.equal(parts.length, expected.length, parts.join('; '));

  assert.deepEqual(
    checkTables(broken, { wrong: pgTable('wrong_table', { id: text('id') }), right: pgTable('broken_x', { id: text('id') }) }),
    ['module broken: table wrong_table must start with broken_'],
  );

  const ops = checkOperations((await h.app.inject({ url: '/openapi.json' })).json());
  assert.ok(ops.includes('GET /quiz/undocumented: no operationId'), ops.join('; '));
  assert.ok(ops.includes('GET /quiz/undocumented: declares no error response'));
  assert.ok(ops.some((p) => /^GET \/quiz\/also: operationId GetCurrentAccount is also GET \/quiz\/account$/.test(p)));
});

// POST /alta/ptd/export end to end: each request variation gives the byte-exact golden document, which both the
// hub's in-process libxml2 and the system's xmllint accept against the album's XSD; the answer's headers, the
// audit record and the operator's list of a lead's exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { admin, customsHub, exportPtd, HAVE_XMLLINT, tokenOf, xmllint } from './helpers.js';
import { GOLDEN, oneCar, twoCars } from './requests.js';
import { PTD_EXAMPLE } from '../../../src/modules/customs/ptd-example.js';

const fixture = (name: string) => new URL(`fixtures/${name}.xml`, import.meta.url).pathname;

test('every variation matches its golden file and is valid for libxml2 in-process and for the system xmllint', async (t) => {
  assert.ok(HAVE_XMLLINT, 'xmllint is needed for the independent check: apt-get install libxml2-utils (.ci/run installs it)');
  const h = await customsHub(t);
  const token = await tokenOf(h, 'amocrm');
  for (const [name, body] of Object.entries(GOLDEN)) {
    const res = await exportPtd(h, body, { token });
    assert.equal(res.statusCode, 200, `${name}: ${res.body}`);
    if (process.env.UPDATE_GOLDEN) writeFileSync(fixture(name), res.body);
    assert.ok(existsSync(fixture(name)), `${name}: no golden file (UPDATE_GOLDEN=1 writes it)`);
    assert.equal(res.body, readFileSync(fixture(name), 'utf8'), `${name}: differs from fixtures/${name}.xml`);
    assert.equal(xmllint(res.body), null, name);
  }
});

test('the answer is an XML attachment named after the lead, recorded with its digest for the lead', async (t) => {
  const h = await customsHub(t);
  const token = await tokenOf(h, 'amocrm');
  const res = await exportPtd(h, twoCars, { token });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/xml; charset=utf-8');
  assert.equal(res.headers['content-disposition'], `attachment; filename="ptd-${twoCars.leadId}.xml"`);
  assert.equal(res.headers['x-ptd-document-id'], twoCars.documentId);
  assert.equal(res.headers['x-ptd-warnings'], undefined, 'a correct North-American check digit is no warning');
  assert.match(res.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<pas_d:PassengerDeclaration DocumentModeID="1006300E" /);
  assert.equal((res.body.match(/<pas_d:TransportMeansDetails>/g) ?? []).length, 2);

  // Without documentId and createdAt the hub makes both; a second export of the lead is a second record.
  const { documentId: _d, createdAt: _c, ...bare } = twoCars;
  const second = await exportPtd(h, bare, { token });
  assert.equal(second.statusCode, 200);
  const generatedId = String(second.headers['x-ptd-document-id']);
  assert.match(generatedId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.ok(second.body.includes(`<cat_ru:DocumentID>${generatedId}</cat_ru:DocumentID>`));
  assert.match(second.body, /<RUScat_ru:EDocDateTime>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/RUScat_ru:EDocDateTime>/);

  const list = await admin(h, 'GET', `/customs/leads/${twoCars.leadId}/ptd-exports`);
  assert.equal(list.statusCode, 200);
  const exports = list.json().exports as Array<Record<string, unknown>>;
  assert.deepEqual(
    exports.map((e) => [e.document_id, e.sha256, e.bytes, e.album_version]),
    [
      [generatedId, createHash('sha256').update(second.body).digest('hex'), Buffer.byteLength(second.body), '5.23.0'],
      [twoCars.documentId, createHash('sha256').update(res.body).digest('hex'), Buffer.byteLength(res.body), '5.23.0'],
    ],
  );
  assert.ok(exports.every((e) => e.lead_id === twoCars.leadId && typeof e.created_at === 'string'));
  assert.deepEqual((await admin(h, 'GET', `/customs/leads/${oneCar.leadId}/ptd-exports`)).json(), { exports: [] });
});

test('what the checks flag without refusing goes out in X-Ptd-Warnings and into the record', async (t) => {
  const h = await customsHub(t);
  const token = await tokenOf(h, 'amocrm');
  const body = {
    ...oneCar,
    vehicles: { purpose: '1', items: [{ ...oneCar.vehicles!.items[0]!, vin: '1HGCM82653A004352', eptsNumber: '999999999999999' }] },
  };
  const res = await exportPtd(h, body, { token });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['x-ptd-warnings'], 'vehicles.items.0.vin=VIN_CHECK_DIGIT; vehicles.items.0.eptsNumber=EPTS_FORMAT');
  assert.ok(!res.body.includes('999999999999999'), 'the ЭПТС number has no place in the ПТД');
  const [record] = (await admin(h, 'GET', `/customs/leads/${oneCar.leadId}/ptd-exports`)).json().exports;
  assert.deepEqual(
    record.warnings.map((w: { field: string; code: string }) => `${w.field}=${w.code}`),
    ['vehicles.items.0.vin=VIN_CHECK_DIGIT', 'vehicles.items.0.eptsNumber=EPTS_FORMAT'],
  );
  assert.match(record.warnings[0].message, /должна быть 3, а не 5/);
});

test("the OpenAPI document's example request is the one-car golden document", async (t) => {
  const h = await customsHub(t);
  const doc = (await h.app.inject({ url: '/openapi.json' })).json();
  const op = doc.paths['/alta/ptd/export'].post;
  assert.deepEqual(op.requestBody.content['application/json'].example, PTD_EXAMPLE); // @fastify/swagger lifts it
  assert.deepEqual(op.security, [{ customsToken: [] }, { customsBearer: [] }, { customsTokenQuery: [] }]);
  assert.ok(op.responses['200'].content['application/xml']);
  assert.equal(op.responses['400'].content['application/json'].schema.title, 'Error');
  // The seed's schemas by name, each with a Russian description and an example.
  for (const name of [
    'PtdExportRequest',
    'PtdStatusNotification',
    'TransitDeclarationStatusNotification',
    'SvhReleaseNotification',
    'LabDocumentsNotification',
    'ClientDataFor1C',
    'ServiceDataFor1CInvoice',
    'InvoicePaymentNotification',
    'SuccessResponse',
    'Error',
  ]) {
    const schema = doc.components.schemas[name];
    assert.ok(schema, `components.schemas.${name}`);
    assert.match(schema.description, /[а-яё]/i, `${name} is described in Russian`);
    assert.ok(schema.examples?.length, `${name} has an example`);
  }
  const res = await exportPtd(h, PTD_EXAMPLE, { token: await tokenOf(h, 'amocrm') });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.body, readFileSync(fixture('oneCar'), 'utf8'));
});

// A note on the lead at most once, when amoCRM carried it out but its answer never reached the hub (a dropped
// connection after the write: the emulator's `answer_lost`). The retried job reads the lead's latest notes and
// finds it; a first run adds without reading. The same for the note a ПТД export leaves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../helpers/hub.js';
import { ACCOUNT, admin, exportPtd, tokenOf } from './helpers.js';
import { bed, lead, notes, ptd, settled, timeline, type Bed } from './amo-bed.js';
import { oneCar } from './requests.js';

const notesPath = (b: Bed) => `/api/v4/leads/${b.leadId}/notes`;

test('amoCRM adds a status note but its answer is lost: the retry finds the note and adds none', async (t) => {
  const b = await bed(t);
  await admin(b.h, 'PUT', `/customs/accounts/${ACCOUNT}/mappings/ptd/10`, { status_id: b.stage.released, note: '{label}' });
  b.h.amoEmu.control.faults.add({ path: '/api/v4/leads/notes', method: 'POST', kind: 'answer_lost', times: 1 });
  assert.equal((await ptd(b, 'lost-1', '2025-03-03T12:00:00Z', '10')).statusCode, 200);
  const [final] = await settled(b, 1);
  assert.equal(final!.step, 'amo_updated');
  assert.match(final!.summary, /note \(already there\)/);
  assert.deepEqual(notes(b), ['Выпуск без уплаты платежей'], 'one note: the one whose answer was lost');
  assert.equal(lead(b).status_id, b.stage.released);
  const posted = b.h.amoEmu.control.requests.list({ method: 'POST', path: '/api/v4/leads/notes' });
  assert.equal(posted.length, 1, 'the note was sent once');
  assert.equal(b.h.amoEmu.control.requests.list({ method: 'GET', path: notesPath(b) }).length, 1, 'read once, by the retry');

  // A later notification's first run adds its note without reading the lead's notes first.
  await admin(b.h, 'PUT', `/customs/accounts/${ACCOUNT}/mappings/ptd/40`, { note: '{label}' });
  assert.equal((await ptd(b, 'next-1', '2025-03-04T12:00:00Z', '40')).statusCode, 200);
  await settled(b, 2);
  assert.equal(notes(b).length, 2);
  assert.equal(b.h.amoEmu.control.requests.list({ method: 'GET', path: notesPath(b) }).length, 1, 'no read on a first run');
});

test('the note of a ПТД export whose answer is lost is added once', async (t) => {
  const b = await bed(t);
  b.h.amoEmu.control.faults.add({ path: '/api/v4/leads/notes', method: 'POST', kind: 'answer_lost', times: 1 });
  const res = await exportPtd(b.h, { ...oneCar, leadId: b.leadId }, { token: await tokenOf(b.h, 'amocrm') });
  assert.equal(res.statusCode, 200, res.body);
  await eventually(async () => ((await timeline(b)).some((e) => e.step === 'amo_noted') ? true : undefined));
  const all = notes(b);
  assert.equal(all.length, 1, all.join('\n---\n'));
  assert.ok(all[0]!.includes(`DocumentID: ${String(res.headers['x-ptd-document-id'])}`));
  assert.equal(b.h.amoEmu.control.requests.list({ method: 'POST', path: '/api/v4/leads/notes' }).length, 1);
});

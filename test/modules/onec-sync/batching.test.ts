// What 1C's concurrency costs in amoCRM: concurrent calls share batch requests; a create whose answer was lost is
// adopted, not repeated; an amoCRM outage answers 1C "try later" and loses nothing; a disconnected account is named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../helpers/hub.js';
import { fieldValues, syncBed, type SyncBed } from './sync-bed.js';

/** Emulator contacts carrying this 1C id. */
const withId1c = (bed: SyncBed, id1c: string) =>
  bed.emu.control.entities.list('contacts').filter((c) => fieldValues(c, bed.fields.contactId1c).includes(id1c));

test('30 concurrent 1C calls cost a few batch requests, and each gets its own contact', async (t) => {
  const bed = await syncBed(t);
  const posts = bed.amoRequests('POST', '/api/v4/contacts');
  const answers = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      bed.post('clients_contacts', { id_1c: `ФЛ-${i}`, name: `Клиент ${i}`, phone: `+7999000${String(i).padStart(4, '0')}` }),
    ),
  );
  assert.ok(answers.every((a) => a.status === 200 && a.body.success));
  assert.equal(new Set(answers.map((a) => a.body.data)).size, 30);
  const requests = bed.amoRequests('POST', '/api/v4/contacts') - posts;
  assert.ok(requests >= 1 && requests <= 3, `${requests} POST /contacts for 30 calls`);
  answers.forEach((a, i) =>
    assert.deepEqual(
      withId1c(bed, `ФЛ-${i}`).map((c) => c.id),
      [a.body.data],
    ),
  );
});

for (const variant of [
  { name: 'connection dropped', fault: {} },
  { name: 'gateway 504 after the write', fault: { status: 504 } },
]) {
  test(`a lost create answer (${variant.name}) is adopted by its id_1c, never sent twice`, async (t) => {
    const bed = await syncBed(t, { env: { OUTBOUND_TIMEOUT_MS: '3000' } });
    bed.emu.control.faults.add({ path: '/api/v4/contacts', method: 'POST', kind: 'answer_lost', times: 1, ...variant.fault });
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) => bed.post('clients_contacts', { id_1c: `ФЛ-L${i}`, name: `Потерянный ${i}` })),
    );
    assert.ok(
      answers.every((a) => a.status === 200),
      JSON.stringify(answers.map((a) => a.body)),
    );
    answers.forEach((a, i) =>
      assert.deepEqual(
        withId1c(bed, `ФЛ-L${i}`).map((c) => c.id),
        [a.body.data],
        `one contact for ФЛ-L${i}`,
      ),
    );
    const lookups = bed.emu.control.requests
      .list({ method: 'GET', path: '/api/v4/contacts' })
      .filter((r) => decodeURIComponent(r.url).includes('filter[created_at]'));
    assert.ok(lookups.length >= 1, 'looked up before sending again');
    const after = await bed.post('clients_contacts', { id_1c: 'ФЛ-L0', name: 'Потерянный 0' });
    assert.equal(after.body.data, answers[0]!.body.data, 'the adopted contact is linked');
  });
}

test('amoCRM refusing (503) answers 1C «try later»; the repeated call creates exactly one contact', async (t) => {
  const bed = await syncBed(t);
  const rule = bed.emu.control.faults.add({ path: '/api/v4/contacts', method: 'POST', status: 503 });
  const down = await bed.post('clients_contacts', { id_1c: 'ФЛ-503', name: 'Ждущий' });
  assert.equal(down.status, 503);
  assert.deepEqual(down.body, { success: false, data: null, error: 'amoCRM временно недоступен, повторите запрос позже' });
  bed.emu.control.faults.remove(rule);
  // 1C repeats the call; the connector may hold the account a few seconds after the refusal.
  const up = await eventually(
    async () => {
      const r = await bed.post('clients_contacts', { id_1c: 'ФЛ-503', name: 'Ждущий' });
      return r.status === 200 ? r : (assert.equal(r.status, 503), undefined);
    },
    30_000,
    250,
  );
  assert.deepEqual(
    withId1c(bed, 'ФЛ-503').map((c) => c.id),
    [up.body.data],
  );
});

test('a disconnected account is refused with a reason 1C can show', async (t) => {
  const bed = await syncBed(t);
  await bed.h.connectors.amo.disconnect(bed.key);
  const res = await bed.post('clients_contacts', { id_1c: 'ФЛ-1', name: 'X' });
  assert.equal(res.status, 409);
  assert.match(res.body.error!, /Аккаунт amoCRM отключён/);
});

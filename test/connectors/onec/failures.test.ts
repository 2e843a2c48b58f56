// How the 1C connector fails: reads are retried on 5xx and timeouts, creates are not sent again blindly (a lost or
// failed answer is AMBIGUOUS and the record is looked up instead), HTML error pages and non-JSON answers become
// typed errors naming the status and a short text, wrong credentials are permanent, and a private web_address is
// refused unless ONEC_ALLOW_PRIVATE_TARGETS allows it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OnecError } from '../../../src/connectors/onec/index.js';
import { eventually } from '../../helpers/hub.js';
import { failure, onecTestBed } from './helpers.js';

const lead = { id: 11, name: 'Анна', responsible_user_id: 2 };

test('reads are retried on 5xx and HTML error pages; the final error names the status and the page', async (t) => {
  const { emu, onec, target, clock } = await onecTestBed(t);
  emu.control.faults.add({ path: '*/get_orders', status: 503, times: 2 });
  assert.deepEqual(await onec.getOrders(target, 5), []);
  assert.deepEqual(
    emu.control.requests.list({ type: 'get_orders' }).map((r) => r.status),
    [503, 503, 200],
  );
  assert.equal(clock.sleeps.length, 2, 'two back-off waits');

  emu.control.requests.clear();
  emu.control.faults.add({ path: '*/get_handlers_version', kind: 'html_error', status: 500 });
  const err = await failure<OnecError>(() => onec.getHandlersVersion(target));
  assert.equal(err.code, 'UNAVAILABLE');
  assert.equal(err.retryable, true);
  assert.equal(err.ambiguous, false);
  assert.equal(err.httpStatus, 500);
  assert.match(err.message, /500 to get_handlers_version: Ошибка при выполнении запроса/);
  assert.equal(emu.control.requests.list().length, 3, 'three attempts in all');
});

test('creates are not retried blindly: a 5xx or a lost answer is AMBIGUOUS, and the record is found by a lookup', async (t) => {
  const { emu, onec, target } = await onecTestBed(t);
  emu.control.faults.add({ path: '*/new_lead', status: 502, times: 1 });
  const bad = await failure<OnecError>(() => onec.upsertCounterparty(target, lead));
  assert.equal(bad.code, 'AMBIGUOUS');
  assert.equal(bad.ambiguous, true);
  assert.equal(bad.retryable, true);
  assert.equal(bad.httpStatus, 502);
  assert.match(bad.detail ?? '', /502 Bad Gateway/);
  assert.equal(emu.control.requests.list({ type: 'new_lead' }).length, 1, 'sent once');

  // The order lands in 1C and its answer is lost: the caller learns it may exist and finds it via get_orders.
  emu.control.faults.add({ path: '*/new_order', kind: 'answer_lost', times: 1 });
  const lost = await failure<OnecError>(() => onec.upsertOrder(target, { id: 77, name: 'Сделка', responsible_user_id: 2 }));
  assert.equal(lost.code, 'AMBIGUOUS');
  assert.equal(emu.control.requests.list({ type: 'new_order' }).length, 1);
  const [doc] = await onec.getOrders(target, 77);
  assert.equal(doc!.link, emu.control.orders()[0]!.link, 'the order exists in 1C');
  // Sending it again (with or without its id_1c) updates the same order.
  const again = await onec.upsertOrder(target, { id: 77, name: 'Сделка', responsible_user_id: 2 });
  assert.equal(again.id_1c, emu.control.orders()[0]!.id_1c);
  assert.equal(emu.control.orders().length, 1);

  // 408/429 surely did not run: not ambiguous.
  emu.control.faults.add({ path: '*/new_lead', status: 429, times: 1 });
  const refused = await failure<OnecError>(() => onec.upsertCounterparty(target, lead));
  assert.equal(refused.code, 'UNAVAILABLE');
  assert.equal(refused.ambiguous, false);
});

test('timeouts: a read is retried then fails TIMEOUT; a create that timed out is AMBIGUOUS (and did land)', async (t) => {
  const { emu, onec, target, clock } = await onecTestBed(t);
  emu.control.faults.add({ path: '*/get_handlers_version', delayMs: 600 });
  const slow = await failure<OnecError>(() => onec.getHandlersVersion(target, { timeoutMs: 150 }));
  assert.equal(slow.code, 'TIMEOUT');
  assert.equal(slow.retryable, true);
  assert.equal(clock.sleeps.length, 2, 'three attempts: two back-off waits');

  emu.control.faults.add({ path: '*/new_lead', delayMs: 400, times: 1 });
  const timedOut = await failure<OnecError>(() => onec.upsertCounterparty(target, lead, { timeoutMs: 150 }));
  assert.equal(timedOut.code, 'AMBIGUOUS');
  assert.match(timedOut.message, /timed out/);
  await eventually(async () => emu.control.counterparties().length === 1, 5000);
  assert.equal(clock.sleeps.length, 2, 'the create was not sent again');
});

test('a create to a closed port is retried (it never left) and fails UNAVAILABLE, not AMBIGUOUS', async (t) => {
  const { onec, target, emu } = await onecTestBed(t);
  const closed = { ...target, webAddress: emu.webAddress().replace(/:\d+\//, ':1/') };
  const err = await failure<OnecError>(() => onec.upsertOrder(closed, { id: 1, name: 'x', responsible_user_id: 1 }));
  assert.equal(err.code, 'UNAVAILABLE');
  assert.equal(err.ambiguous, false);
});

test('wrong credentials, a missing publication, a refused request and a non-JSON answer are permanent', async (t) => {
  const { emu, onec, target } = await onecTestBed(t);
  const auth = await failure<OnecError>(() => onec.getHandlersVersion({ ...target, password: 'wrong' }));
  assert.equal(auth.code, 'UNAUTHORIZED');
  assert.equal(auth.retryable, false);
  assert.equal(auth.httpStatus, 401);
  assert.match(auth.message, /login\/password/);
  assert.equal(emu.control.requests.list().length, 1, 'not retried');

  const missing = await failure<OnecError>(() => onec.getHandlersVersion({ ...target, webAddress: emu.webAddress('nope') }));
  assert.equal(missing.code, 'NOT_FOUND');
  assert.equal(missing.retryable, false);

  const rejected = await failure<OnecError>(() => onec.getOrders({ ...target, idBase: 'other' }, 1));
  assert.equal(rejected.code, 'REJECTED');
  assert.equal(rejected.httpStatus, 400);
  assert.match(rejected.message, /id_base other/);

  emu.control.faults.add({ path: '*/new_lead', kind: 'not_json', times: 1 });
  const garbled = await failure<OnecError>(() => onec.upsertCounterparty(target, lead));
  assert.equal(garbled.code, 'UNEXPECTED_RESPONSE');
  assert.equal(garbled.ambiguous, true, 'the create ran (200) but its id is unknown');
  assert.match(garbled.message, /not JSON: Данные записаны/);

  const invalid = await failure<OnecError>(() => onec.getHandlersVersion({ ...target, webAddress: 'ftp://1c.example.com/x' }));
  assert.equal(invalid.code, 'INVALID_TARGET');
});

test('a private web_address is refused unless ONEC_ALLOW_PRIVATE_TARGETS is on', async (t) => {
  const { emu, onec, target } = await onecTestBed(t, { env: { ONEC_TIMEOUT_MS: '5000' } });
  const err = await failure<OnecError>(() => onec.getHandlersVersion(target));
  assert.equal(err.code, 'TARGET_REFUSED');
  assert.equal(err.retryable, false);
  assert.equal(emu.control.requests.list().length, 0, 'nothing reached the base');
  const saved = await failure<OnecError>(() => onec.checkTarget('http://10.1.2.3/base/hs/amo'));
  assert.equal(saved.code, 'TARGET_REFUSED');
  await assert.rejects(onec.checkTarget('http://localhost:8080/x'), { code: 'TARGET_REFUSED' });

  const allowed = await onecTestBed(t);
  await allowed.onec.checkTarget(allowed.target.webAddress);
  assert.deepEqual(await allowed.onec.getHandlersVersion(allowed.target), { version: '1.0.0' });
});

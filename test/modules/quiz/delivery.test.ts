// End to end against the amoCRM emulator: connect → sync → rule → 1,000 results → 1,000 leads; duplicates;
// one bad result among good ones; token expiry and an outage mid-delivery (nothing lost).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { eventually } from '../../helpers/hub.js';
import { quizFields } from '../../../src/modules/quiz/schema.js';
import { auth } from './helpers.js';
import { assertSeedResponse } from './seed-contract.js';
import { connectQuiz, postResults, quizBed, result, resultRow, ruleBody, ruleIds, statusCounts, waitAllSettled } from './amo-bed.js';

type Lead = {
  id: number;
  pipeline_id: number;
  status_id: number;
  responsible_user_id: number;
  custom_fields_values: Array<{ field_id: number; values: Array<{ value: unknown; enum_id?: number }> }> | null;
  _embedded: { tags: Array<{ id: number; name: string }>; contacts: Array<{ id: number }> };
};

test('connect → sync → rule → 1,000 results → 1,000 leads with pipeline, stage, responsible, fields, contact and tags', async (t) => {
  const bed = await quizBed(t);
  const headers = await auth('quiz-1');
  await connectQuiz(bed, 'quiz-1');

  const account = await bed.h.app.inject({ method: 'GET', url: '/quiz/account', headers });
  assertSeedResponse('/account', 'get', 200, account.json());
  assert.equal(account.json().AmocrmID, bed.emu.defaults.accountId);
  assert.equal(account.json().Subdomain, bed.emu.defaults.subdomain);
  for (const d of ['users', 'pipelines', 'fields', 'tags']) {
    const res = await bed.h.app.inject({ method: 'GET', url: `/quiz/${d}?page=1&size=100`, headers });
    assertSeedResponse(`/${d}`, 'get', 200, res.json());
  }
  const ids = await ruleIds(bed, 'quiz-1');
  const steps = await bed.h.app.inject({ method: 'GET', url: `/quiz/steps?pipelineID=${ids.pipeline}`, headers });
  assertSeedResponse('/steps', 'get', 200, steps.json());
  assert.ok(steps.json().items.some((s: { AmoID: number }) => s.AmoID === ids.step));

  assert.equal((await bed.h.app.inject({ method: 'POST', url: '/quiz/rules/42', headers, payload: ruleBody(ids) })).statusCode, 200);
  const rule = await eventually(async () => {
    const r = (await bed.h.app.inject({ method: 'GET', url: '/quiz/rules/42', headers })).json();
    return r.Status !== 'pending' ? r : undefined;
  });
  assert.equal(rule.Status, 'ready', JSON.stringify(rule.Problems));
  assertSeedResponse('/rules/{quizID}', 'get', 200, rule);

  const all = Array.from({ length: 1000 }, (_, i) => result(42, `r${i + 1}`));
  await postResults(bed, 'quiz-1', all);
  const counts = await waitAllSettled(bed, 1000);
  assert.deepEqual(counts, { sent: 1000 });

  // Repeats (single and in an array) are acknowledged and create nothing.
  const again = await bed.h.app.inject({ method: 'POST', url: '/quiz/results', headers, payload: all.slice(0, 10) });
  assert.equal(again.statusCode, 202);
  assert.equal(again.json().duplicates.length, 10);
  assert.equal(bed.emu.control.entities.count('leads'), 1000);
  assert.equal(bed.emu.control.entities.count('contacts'), 1000);
  assert.equal(bed.emu.control.entities.count('companies'), 0, 'no company rules, no companies');

  const leads = bed.emu.control.entities.list('leads') as unknown as Lead[];
  for (const lead of leads) {
    assert.equal(lead.pipeline_id, ids.pipeline);
    assert.equal(lead.status_id, ids.step);
    assert.equal(lead.responsible_user_id, ids.performer);
    // The rule's tag, and the hub's marker (one lead per result across lost answers and crashes; docs/amocrm.md).
    assert.deepEqual(
      lead._embedded.tags.filter((x) => !x.name.startsWith('hub:')).map((x) => x.id),
      [ids.leadTagAmo],
    );
    assert.equal(lead._embedded.tags.filter((x) => x.name.startsWith('hub:')).length, 1);
    assert.equal(lead._embedded.contacts.length, 1);
  }
  const status = await bed.h.app.inject({ method: 'GET', url: '/quiz/results/r7', headers });
  assert.equal(status.json().status, 'sent');
  const lead = bed.emu.control.entities.get('leads', status.json().amoLeadId) as unknown as Lead;
  const values = new Map(lead.custom_fields_values!.map((v) => [v.field_id, v.values[0]!]));
  assert.equal(values.get(ids.comment)!.value, 'Ответ r7');
  assert.equal(values.get(ids.source)!.value, 'Сайт', 'the select answer "сайт" matched the enum "Сайт"');
  assert.equal(String(values.get(ids.quantity)!.value), '7');
  assert.equal(values.get(ids.utmSource)!.value, 'yandex');
  const contact = bed.emu.control.entities.get('contacts', status.json().amoContactId) as unknown as {
    name: string;
    custom_fields_values: Array<{ field_code: string | null; field_id: number; values: Array<{ value: unknown; enum_code?: string }> }>;
  };
  assert.equal(contact.name, 'Клиент r7');
  const phone = contact.custom_fields_values.find((v) => v.field_code === 'PHONE')!;
  assert.deepEqual([phone.values[0]!.value, phone.values[0]!.enum_code], ['+79990000007', 'WORK']);
  const email = contact.custom_fields_values.find((v) => v.field_code === 'EMAIL')!;
  assert.deepEqual([email.values[0]!.value, email.values[0]!.enum_code], ['c7@example.com', 'WORK']);
  assert.equal(contact.custom_fields_values.find((v) => v.field_id === ids.position)!.values[0]!.value, 'Директор');

  // Batching: 1,000 leads went out in /leads/complex calls of at most 50.
  const complexCalls = bed.emu.control.requests.list().filter((r) => r.method === 'POST' && r.path.endsWith('/leads/complex'));
  assert.equal(
    complexCalls.reduce((n, r) => n + (r.items ?? 0), 0),
    1000,
  );
  assert.ok(complexCalls.every((r) => (r.items ?? 0) <= 50));
  assert.ok(complexCalls.length <= 25, `${complexCalls.length} calls for 1,000 leads`);
});

test('an amoCRM validation error fails only that result; it is visible in the status, the admin views, and can be redelivered', async (t) => {
  const bed = await quizBed(t);
  const headers = await auth('quiz-1');
  await connectQuiz(bed, 'quiz-1');
  const ids = await ruleIds(bed, 'quiz-1');
  assert.equal((await bed.h.app.inject({ method: 'POST', url: '/quiz/rules/42', headers, payload: ruleBody(ids) })).statusCode, 200);
  // Our cache is stale: it believes "Источник" has an option amoCRM no longer has.
  const [source] = await bed.h.hub.db.select().from(quizFields).where(eq(quizFields.amoId, ids.source));
  await bed.h.hub.db
    .update(quizFields)
    .set({ enums: [...source!.enums, { id: 999_999, value: 'Реклама' }] })
    .where(eq(quizFields.id, source!.id));

  await postResults(bed, 'quiz-1', [result(42, 'ok1'), result(42, 'bad', { source: 'Реклама' }), result(42, 'ok2')]);
  assert.deepEqual(await waitAllSettled(bed, 3), { sent: 2, failed: 1 });
  const bad = (await bed.h.app.inject({ method: 'GET', url: '/quiz/results/bad', headers })).json();
  assert.equal(bad.status, 'failed');
  assert.equal(bad.error.code, 'VALIDATION_FAILED');
  assert.equal(bad.error.retryable, false);
  assert.ok(JSON.stringify(bad.error.details).includes('enum_id'), JSON.stringify(bad.error));
  assert.equal((await bed.h.app.inject({ method: 'GET', url: '/quiz/results/ok2', headers })).json().status, 'sent');

  const jobs = await eventually(async () => {
    const res = await bed.h.app.inject({ method: 'GET', url: '/admin/v1/jobs?queue=quiz.delivered&state=dead', headers: bed.h.admin });
    return res.json().items.length ? res.json().items : undefined;
  });
  // The dead-lettered reply carries the amoCRM error for the operator.
  assert.equal(jobs.length, 1);
  assert.equal(jobs[0].data.result.ok, false);
  assert.equal(jobs[0].data.result.error.code, 'VALIDATION_FAILED');
  const failed = await bed.h.app.inject({ method: 'GET', url: '/admin/v1/quiz/results?status=failed', headers: bed.h.admin });
  assert.deepEqual(
    failed.json().items.map((r: { resultId: string }) => r.resultId),
    ['bad'],
  );

  // After a sync fixes the cache, the operator redelivers: the answer is now reported, and the lead created.
  assert.equal((await bed.h.app.inject({ method: 'PATCH', url: '/quiz/fields', headers })).statusCode, 200);
  await eventually(
    async () =>
      !(await bed.h.hub.db.select().from(quizFields).where(eq(quizFields.amoId, ids.source)))[0]!.enums.some((e) => e.id === 999_999),
  );
  const redeliver = await bed.h.app.inject({
    method: 'POST',
    url: '/admin/v1/quiz/results/redeliver',
    headers: bed.h.admin,
    payload: { resultIds: ['bad'] },
  });
  assert.deepEqual(redeliver.json(), { requeued: 1 });
  const fixed = await eventually(async () => {
    const r = (await bed.h.app.inject({ method: 'GET', url: '/quiz/results/bad', headers })).json();
    return r.status === 'sent' ? r : undefined;
  });
  assert.match(fixed.warnings[0], /вопрос 2.*Реклама/);
  assert.equal(bed.emu.control.entities.count('leads'), 3);
});

test('token expiry and an amoCRM outage mid-delivery: every result still becomes exactly one lead', async (t) => {
  const bed = await quizBed(t);
  const headers = await auth('quiz-1');
  await connectQuiz(bed, 'quiz-1');
  const ids = await ruleIds(bed, 'quiz-1');
  assert.equal((await bed.h.app.inject({ method: 'POST', url: '/quiz/rules/42', headers, payload: ruleBody(ids) })).statusCode, 200);

  await postResults(
    bed,
    'quiz-1',
    Array.from({ length: 100 }, (_, i) => result(42, `a${i}`)),
  );
  bed.emu.control.clock.advance(25 * 3600); // the access token (24 h) expires while leads are being sent
  await postResults(
    bed,
    'quiz-1',
    Array.from({ length: 100 }, (_, i) => result(42, `b${i}`)),
  );
  assert.deepEqual(await waitAllSettled(bed, 200), { sent: 200 });
  const refreshes = bed.emu.control.requests.list().filter((r: { path: string }) => r.path.endsWith('/oauth2/access_token'));
  assert.ok(refreshes.length >= 2, 'the code exchange and at least one refresh');

  bed.emu.control.faults.outage(3);
  await postResults(
    bed,
    'quiz-1',
    Array.from({ length: 150 }, (_, i) => result(42, `c${i}`)),
  );
  const during = await statusCounts(bed);
  assert.equal(during.queued ?? 0, 150, 'accepted during the outage, waiting');
  assert.deepEqual(await waitAllSettled(bed, 350, 150_000), { sent: 350 });
  assert.equal(bed.emu.control.entities.count('leads'), 350, 'no lead lost, none doubled');
  const row = await resultRow(bed, 'c0');
  assert.equal(row.status, 'sent');
});

test('disconnect hook (signed) soft-deletes; bad signatures are refused; DELETE then re-connect works', async (t) => {
  const bed = await quizBed(t);
  const headers = await auth('quiz-1');
  await connectQuiz(bed, 'quiz-1');
  const first = (await bed.h.app.inject({ method: 'GET', url: '/quiz/account', headers })).json();

  const forged = await bed.h.app.inject({
    method: 'GET',
    url: `/quiz/webhook/delete?client_uuid=${bed.emu.defaults.clientId}&account_id=${first.AmocrmID}&signature=${'0'.repeat(64)}`,
  });
  assert.equal(forged.statusCode, 401);
  assert.equal((await bed.h.app.inject({ method: 'GET', url: '/quiz/account', headers })).statusCode, 200, 'a forged hook changes nothing');

  const hook = await bed.emu.control.disconnect();
  assert.equal(hook.hookStatus, 200, hook.hookError ?? '');
  const gone = await bed.h.app.inject({ method: 'GET', url: '/quiz/account', headers });
  assert.equal(gone.statusCode, 404);

  await connectQuiz(bed, 'quiz-1');
  const second = (await bed.h.app.inject({ method: 'GET', url: '/quiz/account', headers })).json();
  assert.notEqual(second.ID, first.ID, 'a new account record');
  assert.equal(second.AmocrmID, first.AmocrmID);

  const del = await bed.h.app.inject({ method: 'DELETE', url: '/quiz/account', headers });
  assert.equal(del.statusCode, 200);
  assertSeedResponse('/account', 'delete', 200, JSON.parse(del.body));
  assert.equal((await bed.h.app.inject({ method: 'GET', url: '/quiz/account', headers })).statusCode, 404);

  // Connect again, this time to another amoCRM account; results flow into it.
  // An explicit id: the emulator's id sequence would hand out the seeded account's id (31000001) again.
  bed.emu.control.addAccount({ subdomain: 'second', id: 31_000_002 });
  await connectQuiz(bed, 'quiz-1', 'second');
  const third = (await bed.h.app.inject({ method: 'GET', url: '/quiz/account', headers })).json();
  assert.equal(third.Subdomain, 'second');
  assert.equal(third.AmocrmID, 31_000_002);
  const ids = await ruleIds(
    { ...bed, emu: { ...bed.emu, control: { ...bed.emu.control, account: () => bed.emu.control.account('second') } } } as never,
    'quiz-1',
  );
  const saved = await bed.h.app.inject({ method: 'POST', url: '/quiz/rules/7', headers, payload: ruleBody(ids) });
  assert.equal(saved.statusCode, 200, saved.body);
  await postResults(bed, 'quiz-1', [result(7, 's1')]);
  assert.deepEqual(await waitAllSettled(bed, 1), { sent: 1 });
  assert.equal(bed.emu.control.entities.count('leads', 'second'), 1);
});

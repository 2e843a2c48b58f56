import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testHub, waitForJob, eventually } from '../helpers/hub.js';
import { newControl, probeModule } from '../fixtures/probe-module.js';
import { Agent, request } from 'undici';

test('a webhook is stored and processed once; a duplicate is acknowledged, not processed again', async (t) => {
  const ctl = newControl();
  const h = await testHub(t, { modules: [probeModule(ctl)] });
  const post = (body: object) =>
    h.app.inject({
      method: 'POST',
      url: '/probe/hook',
      headers: { 'x-event-id': 'evt-1', authorization: 'Bearer partner-secret' },
      payload: body,
    });
  const done = waitForJob(h, (e) => e.queue === 'probe.webhook' && e.state === 'completed');
  const first = await post({ n: 1 });
  assert.equal(first.statusCode, 200);
  assert.equal(first.json().duplicate, false);
  const second = await post({ n: 1 });
  assert.equal(second.statusCode, 200);
  assert.equal(second.json().duplicate, true);
  assert.equal(second.json().id, first.json().id);
  await done;
  assert.deepEqual(ctl.processed, ['{"n":1}'], 'raw body stored and processed exactly once');

  const list = await h.app.inject({ method: 'GET', url: '/admin/v1/inbox?source=probe', headers: h.admin });
  assert.equal(list.statusCode, 200);
  const items = list.json().items;
  assert.equal(items.length, 1);
  assert.equal(items[0].status, 'processed');
  assert.equal(items[0].attempts, 1);
  const one = await h.app.inject({ method: 'GET', url: `/admin/v1/inbox/${items[0].id}`, headers: h.admin });
  assert.equal(one.json().body, '{"n":1}');
  assert.equal(one.json().headers.authorization, '[redacted]', 'credentials are never stored');
  assert.equal(one.json().headers['x-event-id'], 'evt-1');

  const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
  assert.match(metrics.body, /hub_inbox_messages_total\{source="probe",outcome="stored"\} 1/);
  assert.match(metrics.body, /hub_inbox_messages_total\{source="probe",outcome="duplicate"\} 1/);
});

test('without a partner event id the body digest deduplicates', async (t) => {
  const ctl = newControl();
  const h = await testHub(t, { modules: [probeModule(ctl)] });
  const a = await h.app.inject({ method: 'POST', url: '/probe/hook', payload: { same: true } });
  const b = await h.app.inject({ method: 'POST', url: '/probe/hook', payload: { same: true } });
  const c = await h.app.inject({ method: 'POST', url: '/probe/hook', payload: { same: false } });
  assert.equal(a.json().duplicate, false);
  assert.equal(b.json().duplicate, true);
  assert.equal(c.json().duplicate, false);
});

test('a failing handler is retried until it succeeds; the inbox row shows the attempts', async (t) => {
  const ctl = newControl();
  ctl.failInbox = 2;
  const h = await testHub(t, { modules: [probeModule(ctl)] });
  const res = await h.app.inject({ method: 'POST', url: '/probe/hook', headers: { 'x-event-id': 'evt-r' }, payload: { retry: true } });
  const id = res.json().id;
  const row = await eventually(async () => {
    const r = (await h.app.inject({ method: 'GET', url: `/admin/v1/inbox/${id}`, headers: h.admin })).json();
    return r.status === 'processed' ? r : undefined;
  }, 60_000);
  assert.equal(row.attempts, 3);
  assert.equal(row.error, null);
  assert.equal(ctl.processed.length, 1);
});

test('an operator can replay a stored webhook', async (t) => {
  const ctl = newControl();
  const h = await testHub(t, { modules: [probeModule(ctl)] });
  const first = waitForJob(h, (e) => e.queue === 'probe.webhook' && e.state === 'completed');
  const res = await h.app.inject({ method: 'POST', url: '/probe/hook', headers: { 'x-event-id': 'evt-p' }, payload: { replay: 1 } });
  await first;
  const again = waitForJob(h, (e) => e.queue === 'probe.webhook' && e.state === 'completed');
  const replay = await h.app.inject({ method: 'POST', url: `/admin/v1/inbox/${res.json().id}/replay`, headers: h.admin });
  assert.equal(replay.statusCode, 202);
  assert.ok(replay.json().jobId);
  await again;
  assert.equal(ctl.processed.length, 2);
  const missing = await h.app.inject({ method: 'POST', url: '/admin/v1/inbox/999999/replay', headers: h.admin });
  assert.equal(missing.statusCode, 404);
});

test('concurrent webhooks are committed together, each answered correctly, duplicates inside one group included', async (t) => {
  const ctl = newControl();
  const h = await testHub(t, { modules: [probeModule(ctl)] });
  const ids = Array.from({ length: 60 }, (_, i) => `evt-${i % 40}`); // 20 repeats of ids already in the burst
  const replies = await Promise.all(
    ids.map((id, i) => h.app.inject({ method: 'POST', url: '/probe/hook', headers: { 'x-event-id': id }, payload: { i } })),
  );
  assert.ok(replies.every((r) => r.statusCode === 200));
  const stored = replies.filter((r) => !r.json().duplicate);
  assert.equal(stored.length, 40, 'one stored webhook per event id');
  const byEvent = new Map<string, Set<number>>();
  replies.forEach((r, i) => byEvent.set(ids[i]!, (byEvent.get(ids[i]!) ?? new Set()).add(r.json().id)));
  assert.ok(
    [...byEvent.values()].every((s) => s.size === 1),
    'a duplicate points at the stored message',
  );
  await eventually(async () => ctl.processed.length === 40 || undefined);
  const [row] = await h.hub.database.query<{ n: number }>("select count(*)::int as n from pgboss.job where name = 'probe.webhook'");
  assert.equal(row!.n, 40, 'exactly one job per stored webhook');
});

test('webhooks arriving together over HTTP share a transaction (group commit), on PGlite too', async (t) => {
  const ctl = newControl();
  const h = await testHub(t, { modules: [probeModule(ctl)] });
  const origin = await h.app.listen({ host: '127.0.0.1', port: 0 });
  const agent = new Agent({ connections: 40 });
  t.after(() => agent.close());
  const post = (path: string, headers: Record<string, string>, body: string) =>
    request(`${origin}${path}`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', ...headers },
      body,
    }).then(async (r) => ({ status: r.statusCode, text: await r.body.text() }));
  // Forty kept-alive connections (a partner that keeps its connections, as load generators do), then forty
  // webhooks at once: the server reads each in its own I/O callback. A group that started with the first one never
  // saw the others (a PGlite transaction runs without yielding to I/O): one transaction per webhook.
  await Promise.all(Array.from({ length: 40 }, () => request(`${origin}/healthz`, { dispatcher: agent }).then((r) => r.body.dump())));
  const replies = await Promise.all(
    Array.from({ length: 40 }, (_, i) => post('/probe/hook', { 'x-event-id': `group-${i}` }, JSON.stringify({ i }))),
  );
  assert.deepEqual(new Set(replies.map((r) => r.status)), new Set([200]));
  const metrics = (await h.app.inject({ url: '/metrics' })).body;
  const sum = Number(/^hub_inbox_commit_group_size_sum (\d+)/m.exec(metrics)?.[1]);
  const transactions = Number(/^hub_inbox_commit_group_size_count (\d+)/m.exec(metrics)?.[1]);
  assert.equal(sum, 40, 'every webhook committed');
  assert.ok(transactions <= 10, `40 webhooks in ${transactions} transactions`);
  t.diagnostic(`40 webhooks in ${transactions} transactions`);
  await eventually(async () => ctl.processed.length === 40 || undefined);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testHub, waitForJob, eventually } from '../helpers/hub.js';
import { newControl, probeModule, PROBE_WORK } from '../fixtures/probe-module.js';

test('a job that keeps failing is retried, then dead-lettered; an operator retries it', async (t) => {
  const ctl = newControl();
  ctl.work = 'fail';
  const h = await testHub(t, { modules: [probeModule(ctl, { retryLimit: 1 })] });
  const id = await h.hub.jobs.send(PROBE_WORK, { n: 1 });
  assert.ok(id);
  const dead = await eventually(async () => {
    const r = await h.app.inject({ method: 'GET', url: '/admin/v1/jobs?queue=probe.work&state=dead', headers: h.admin });
    return r.json().items[0];
  }, 60_000);
  assert.deepEqual(
    ctl.workRuns.map((r) => r.retryCount),
    [0, 1],
    'first run plus one retry',
  );
  assert.deepEqual(dead.data, { n: 1 });

  const failed = await h.app.inject({ method: 'GET', url: `/admin/v1/jobs/${id}`, headers: h.admin });
  assert.equal(failed.json().state, 'failed');
  assert.equal(failed.json().retryCount, 1);
  assert.match(JSON.stringify(failed.json().output), /work failed on purpose/);

  const summary = await h.app.inject({ method: 'GET', url: '/admin/v1/jobs/queues', headers: h.admin });
  const probe = summary.json().queues.find((q: { queue: string }) => q.queue === 'probe.work');
  assert.equal(probe.counts.failed, 1);
  assert.equal(probe.counts.dead, 1);

  ctl.work = 'ok';
  const completed = waitForJob(h, (e) => e.queue === 'probe.work' && e.state === 'completed');
  const retry = await h.app.inject({ method: 'POST', url: `/admin/v1/jobs/${dead.id}/retry`, headers: h.admin });
  assert.equal(retry.statusCode, 202);
  assert.equal(retry.json().jobId, id, 'retrying the dead letter re-runs the original job');
  await completed;
  const after = await h.app.inject({ method: 'GET', url: '/admin/v1/jobs?queue=probe.work&state=dead', headers: h.admin });
  assert.equal(after.json().items.length, 0, 'the letter is settled, so the work cannot run twice');
  const again = await h.app.inject({ method: 'POST', url: `/admin/v1/jobs/${id}/retry`, headers: h.admin });
  assert.equal(again.statusCode, 409, 'a completed job cannot be retried');
});

test('a permanent error skips the retries and goes straight to the dead-letter queue', async (t) => {
  const ctl = newControl();
  ctl.work = 'permanent';
  const h = await testHub(t, { modules: [probeModule(ctl, { retryLimit: 5 })] });
  await h.hub.jobs.send(PROBE_WORK, { n: 2 });
  await eventually(async () => {
    const r = await h.app.inject({ method: 'GET', url: '/admin/v1/jobs?queue=probe.work&state=dead', headers: h.admin });
    return r.json().items.length === 1;
  }, 60_000);
  assert.equal(ctl.workRuns.length, 1, 'no retries for a permanent error');
});

test('bulk retry by filter', async (t) => {
  const ctl = newControl();
  ctl.work = 'permanent';
  const h = await testHub(t, { modules: [probeModule(ctl, { retryLimit: 0 })] });
  for (let n = 0; n < 3; n++) await h.hub.jobs.send(PROBE_WORK, { n });
  await eventually(async () => {
    const r = await h.app.inject({ method: 'GET', url: '/admin/v1/jobs?queue=probe.work&state=failed', headers: h.admin });
    return r.json().items.length === 3;
  }, 60_000);
  ctl.work = 'ok';
  const res = await h.app.inject({
    method: 'POST',
    url: '/admin/v1/jobs/retry',
    headers: h.admin,
    payload: { queue: 'probe.work', state: 'failed' },
  });
  assert.equal(res.statusCode, 202);
  assert.equal(res.json().retried, 3);
  await eventually(async () => {
    const r = await h.app.inject({ method: 'GET', url: '/admin/v1/jobs?queue=probe.work&state=completed', headers: h.admin });
    return r.json().items.length === 3;
  }, 60_000);
  const dead = await h.app.inject({ method: 'GET', url: '/admin/v1/jobs?state=dead', headers: h.admin });
  assert.equal(dead.json().items.length, 0);
});

test('a job enqueued in a rolled-back transaction never runs', async (t) => {
  const ctl = newControl();
  const h = await testHub(t, { modules: [probeModule(ctl)] });
  await assert.rejects(
    h.hub.db.transaction(async (tx) => {
      await h.hub.jobs.send(PROBE_WORK, { n: 99 }, { tx });
      throw new Error('business write failed');
    }),
  );
  const committed = waitForJob(h, (e) => e.queue === 'probe.work');
  await h.hub.db.transaction(async (tx) => {
    await h.hub.jobs.send(PROBE_WORK, { n: 100 }, { tx });
  });
  await committed;
  const all = await h.app.inject({ method: 'GET', url: '/admin/v1/jobs?queue=probe.work', headers: h.admin });
  assert.deepEqual(
    all.json().items.map((j: { data: unknown }) => j.data),
    [{ n: 100 }],
  );
});

test('job metrics count outcomes by queue', async (t) => {
  const ctl = newControl();
  const h = await testHub(t, { modules: [probeModule(ctl)] });
  const done = waitForJob(h, (e) => e.queue === 'probe.work' && e.state === 'completed');
  await h.hub.jobs.send(PROBE_WORK, { n: 1 });
  await done;
  const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
  assert.match(metrics.body, /hub_jobs_total\{queue="probe.work",state="completed"\} 1/);
  assert.match(metrics.body, /hub_job_duration_seconds_count\{queue="probe.work",state="completed"\} 1/);
});

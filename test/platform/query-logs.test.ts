// Issue #19, finding 9: a failed statement is written down (log lines, a job's output, an inbox row) with its SQL
// error code and its name or text, never with the values it ran with. Each statement here fails on a value that
// looks like a quiz result's contact details, through every path the hub has: drizzle, database.query with and
// without a name, a unique violation (PostgreSQL quotes the row in `detail`), and a webhook's job.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { testHub, waitForJob, type TestHub } from '../helpers/hub.js';
import { defineModule } from '../../src/platform/module.js';
import { acceptWebhook } from '../../src/platform/inbox/accept.js';
import type { InboxJob } from '../../src/platform/inbox/inbox.js';
import { defineQueue } from '../../src/platform/jobs/queue.js';

const SECRET = 'Анна Секретова +7 999 123-45-67 anna.secret@example.com';
/** Any of these in a log line, an answer or a stored error means a value leaked. */
const FRAGMENTS = ['Секретова', '123-45-67', 'anna.secret'];

const LEAK_HOOK = defineQueue<InboxJob>('leak.hook', { retryLimit: 0 });

const leakModule = defineModule({
  name: 'leak',
  prefix: '/leak',
  create: ({ hub }) => ({
    queues: [
      hub.inbox.queue(LEAK_HOOK, async (m) => {
        await hub.db.execute(sql`select ${(JSON.parse(m.body) as { secret: string }).secret}::int`);
      }),
    ],
    routes(app) {
      app.post('/drizzle', async () => hub.db.execute(sql`select ${SECRET}::int`));
      app.post('/named', async () => hub.database.query('select $1::int as n', [SECRET], 'leak-named'));
      app.post('/unique', async () => {
        for (let i = 0; i < 2; i++) await hub.database.query('insert into hub_meta (key, value) values ($1, $2)', [SECRET, SECRET]);
      });
      app.post('/hook', async (req, reply) => {
        await acceptWebhook(hub, req, { source: 'leak', queue: LEAK_HOOK });
        return reply.status(200).send({ accepted: true });
      });
    },
  }),
});

function assertNoValue(where: string, text: string): void {
  for (const f of FRAGMENTS) assert.ok(!text.includes(f), `${where} contains "${f}":\n${text.slice(0, 2000)}`);
}

type LogErr = Record<string, unknown> & { cause?: Record<string, unknown> };

/** The error of the 'request failed' line of the request `url`. */
function loggedError(h: TestHub, requestId: string): LogErr {
  const line = h.logs.find((l) => l.requestId === requestId && l.msg === 'request failed');
  assert.ok(line, `a 'request failed' line for ${requestId}`);
  return line.err as LogErr;
}

test('failed statements are logged with their SQL error code and statement, never with their values', async (t) => {
  const h = await testHub(t, { modules: [leakModule] });
  const post = (url: string) =>
    h.app.inject({ method: 'POST', url: `/leak/${url}`, headers: { 'content-type': 'application/json' }, payload: '{}' });

  const drizzle = await post('drizzle');
  assert.equal(drizzle.statusCode, 500);
  const viaDrizzle = loggedError(h, drizzle.headers['x-request-id'] as string);
  assert.equal(viaDrizzle.type, 'DrizzleQueryError');
  assert.match(String(viaDrizzle.message), /^Failed query: 22P02: invalid input syntax for type integer: "…"/);
  assert.equal(viaDrizzle.sql, 'select $1::int', 'the statement text, with placeholders');
  assert.equal(viaDrizzle.cause?.code, '22P02', 'the SQL error code');

  const named = await post('named');
  assert.equal(named.statusCode, 500);
  const viaName = loggedError(h, named.headers['x-request-id'] as string);
  assert.equal(viaName.code, '22P02');
  assert.equal(viaName.statement, 'leak-named', 'a named statement is logged by its name');

  const unique = await post('unique');
  assert.equal(unique.statusCode, 500);
  const viaUnique = loggedError(h, unique.headers['x-request-id'] as string);
  assert.equal(viaUnique.code, '23505');
  assert.equal(viaUnique.constraint, 'hub_meta_pkey', 'which constraint, not which row');
  assert.equal(viaUnique.detail, undefined, 'PostgreSQL quotes the row in detail: dropped');

  // A webhook whose job fails on the value: the log, the job's stored output and the inbox row.
  const failed = waitForJob(h, (e) => e.queue === 'leak.hook' && e.state === 'failed');
  const hook = await h.app.inject({
    method: 'POST',
    url: '/leak/hook',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ secret: SECRET }),
  });
  assert.equal(hook.statusCode, 200);
  const job = await failed;
  assert.match(String((job.output as { message: string }).message), /^Failed query: 22P02: /);
  const [inbox] = await h.hub.database.query<{ error: string }>(`select error from inbox_messages where source = 'leak'`);
  assert.match(inbox!.error, /22P02/);
  assertNoValue('the inbox row', inbox!.error);
  const jobs = await h.app.inject({ method: 'GET', url: '/admin/v1/jobs?queue=leak.hook', headers: h.admin });
  assert.equal(jobs.statusCode, 200);
  assertNoValue('the admin job history', jobs.body);

  for (const res of [drizzle, named, unique]) assertNoValue('an answer', res.body);
  assertNoValue('the log', JSON.stringify(h.logs));
});

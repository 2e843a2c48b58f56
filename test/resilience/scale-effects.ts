// The scale-out test's verdict on effects (scale-out.test.ts): every acknowledged write took effect exactly once
// though two API processes took the writes and two workers ran the jobs. Quiz results: one lead each in the
// emulator (by its name and by the hub's marker tag) and the result row `sent` with that lead; tracking creates: one
// row each, the per-bot counters agreeing with the rows; inbox webhooks: one row each, processed, its handler run
// once over both workers.
import assert from 'node:assert/strict';
import type { AmoEmulator } from '../../src/emulators/amocrm/index.js';
import type { Database } from '../../src/platform/db/database.js';

export interface Write {
  readonly kind: 'quiz' | 'tracking' | 'webhook';
  readonly id: string;
}

export interface EffectsScope {
  readonly quizAccount: string;
  readonly quizId: number;
  /** The bot the stream's tracking numbers were created for. */
  readonly botId: number;
  /** The bodies the probe's inbox handler processed, over every worker. */
  readonly handlerRuns: readonly string[];
}

export async function checkEffects(database: Database, emu: AmoEmulator, writes: readonly Write[], scope: EffectsScope) {
  const byKind = (kind: Write['kind']) => writes.filter((w) => w.kind === kind);

  const quizRows = await database.query<{ result_id: string; status: string; amo_lead_id: number | null }>(
    'select result_id, status, amo_lead_id from quiz_results where quiz_account_id = $1',
    [scope.quizAccount],
  );
  const rowsByResult = new Map(quizRows.map((r) => [r.result_id, r]));
  const leads = emu.control.entities.list('leads') as unknown as Array<{
    id: number;
    name: string;
    _embedded: { tags: Array<{ name: string }> };
  }>;
  const leadsByName = new Map<string, number[]>();
  for (const l of leads) leadsByName.set(l.name, [...(leadsByName.get(l.name) ?? []), l.id]);
  const wrong = byKind('quiz').filter((w) => {
    const row = rowsByResult.get(w.id);
    const found = leadsByName.get(`Заявка с квиза ${scope.quizId}: Клиент ${w.id}`) ?? [];
    return !row || row.status !== 'sent' || found.length !== 1 || Number(row.amo_lead_id) !== found[0];
  });
  assert.deepEqual(
    wrong.map((w) => w.id),
    [],
    'every result sent with exactly one lead, and that lead recorded',
  );
  assert.equal(quizRows.length, byKind('quiz').length, 'one stored result per write');
  assert.equal(leads.length, quizRows.length, 'no stray leads');
  const markers = new Map<string, number>();
  for (const l of leads)
    for (const tag of l._embedded.tags) if (tag.name.startsWith('hub:')) markers.set(tag.name, (markers.get(tag.name) ?? 0) + 1);
  assert.equal(markers.size, leads.length, 'each lead carries a marker of its own');
  assert.ok(
    [...markers.values()].every((n) => n === 1),
    'one lead per marker',
  );

  const numbers = await database.query<{ tracking_number: string; n: number }>(
    'select tracking_number, count(*)::int as n from tracking_numbers where bot_id = $1 group by tracking_number',
    [scope.botId],
  );
  const numberCount = new Map(numbers.map((r) => [r.tracking_number, Number(r.n)]));
  assert.ok(
    byKind('tracking').every((w) => numberCount.get(w.id) === 1),
    'every tracking number stored once',
  );
  assert.equal(numbers.length, byKind('tracking').length, 'no other tracking numbers');
  const [counters] = await database.query<{ numbers: number; clients: number }>(
    `select coalesce(sum(n) filter (where kind <> 'clients'), 0)::int as numbers, coalesce(sum(n) filter (where kind = 'clients'), 0)::int as clients
       from tracking_counters where bot_id = $1`,
    [scope.botId],
  );
  const [clients] = await database.query<{ n: number }>('select count(*)::int as n from tracking_clients where bot_id = $1', [scope.botId]);
  assert.equal(Number(counters!.numbers), numbers.length, 'status counters = rows');
  assert.equal(Number(counters!.clients), Number(clients!.n), 'client counter = clients');

  const inbox = await database.query<{ dedupe_key: string; status: string }>(
    `select dedupe_key, status from inbox_messages where source = 'probe'`,
  );
  const inboxByKey = new Map<string, string[]>();
  for (const m of inbox) inboxByKey.set(m.dedupe_key, [...(inboxByKey.get(m.dedupe_key) ?? []), m.status]);
  assert.ok(
    byKind('webhook').every((w) => inboxByKey.get(w.id)?.join() === 'processed'),
    'every webhook stored once and processed',
  );
  assert.equal(inbox.length, byKind('webhook').length, 'no other inbox rows');
  const runs = new Map<string, number>();
  for (const body of scope.handlerRuns) {
    const id = (JSON.parse(body) as { event: string }).event;
    runs.set(id, (runs.get(id) ?? 0) + 1);
  }
  // No kill hits an inbox job (the stream has drained before it), so a second run would be two workers taking one job.
  assert.ok(
    byKind('webhook').every((w) => runs.get(w.id) === 1),
    `every webhook handled exactly once over both workers (${scope.handlerRuns.length} runs)`,
  );

  // The connector answers each lead once: one `quiz.delivered` job per result (a second would mean a complex-lead
  // job whose call went out twice, or two workers replying for one job).
  const replies = await database.query<{ result_id: number; n: number }>(
    `select (data->>'resultId')::int as result_id, count(*)::int as n from pgboss.job where name = 'quiz.delivered' group by 1`,
  );
  assert.equal(replies.length, quizRows.length, 'a reply for every result');
  assert.ok(
    replies.every((r) => Number(r.n) === 1),
    `one reply per result: ${JSON.stringify(replies.filter((r) => Number(r.n) !== 1))}`,
  );
  const jobs = await database.query<{ name: string; state: string; n: number }>(
    `select name, state::text as state, count(*)::int as n from pgboss.job group by name, state order by name, state`,
  );
  assert.deepEqual(
    jobs.filter((j) => j.name.endsWith('.dead') || j.state === 'failed'),
    [],
    'no job failed for good',
  );

  return {
    jobs: Object.fromEntries(jobs.map((j) => [`${j.name}:${j.state}`, Number(j.n)])),
    quiz: { results: quizRows.length, leads: leads.length },
    tracking: { stored: numbers.length },
    webhooks: { stored: inbox.length, handlerRuns: scope.handlerRuns.length },
  };
}

// The quiz module against the in-process amoCRM emulator on real ports: the hub listens (the emulator calls its
// disconnect hook), consent is followed like a browser, and a rule is built from the emulator's seeded account.
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { eq, sql } from 'drizzle-orm';
import { createAmoEmulator, type AmoEmulator } from '../../../src/emulators/amocrm/index.js';
import { eventually, testHub, type TestHub } from '../../helpers/hub.js';
import { createQuizModule, type DeliveryOptions } from '../../../src/modules/quiz/index.js';
import { quizResults } from '../../../src/modules/quiz/schema.js';
import { auth, JWT_SECRET } from './helpers.js';

export interface QuizBed {
  readonly emu: AmoEmulator;
  readonly h: TestHub;
  readonly hubOrigin: string;
}

export async function quizBed(t: TestContext, delivery: Partial<DeliveryOptions> = { retryBaseSeconds: 1 }): Promise<QuizBed> {
  const emu = createAmoEmulator({ redirectUri: 'http://127.0.0.1/quiz/webhook/create' });
  await emu.listen();
  const h = await testHub(t, {
    env: {
      QUIZ_JWT_SECRET: JWT_SECRET,
      LOG_LEVEL: 'info',
      ...emu.hubSettings(),
    },
    modules: [createQuizModule(delivery)],
  });
  t.after(() => emu.close());
  const hubOrigin = await h.app.listen({ port: 0, host: '127.0.0.1' });
  emu.control.updateIntegration(emu.defaults.clientId, { disconnectHookUrl: `${hubOrigin}/quiz/webhook/delete` });
  return { emu, h, hubOrigin };
}

/** POST /account → follow the consent link (the emulator answers "allow") → GET /webhook/create → first sync done. */
export async function connectQuiz(bed: QuizBed, quizAccountId: string, subdomain?: string): Promise<void> {
  const headers = await auth(quizAccountId);
  const link = await bed.h.app.inject({ method: 'POST', url: '/quiz/account', headers });
  assert.equal(link.statusCode, 200, link.body);
  const url = new URL(link.json().link);
  url.searchParams.set('_emulator_decision', 'allow');
  if (subdomain) url.searchParams.set('_emulator_account', subdomain);
  const consent = await request(url);
  await consent.body.dump();
  assert.equal(consent.statusCode, 302);
  const redirect = new URL(String(consent.headers.location));
  const done = await bed.h.app.inject({ method: 'GET', url: `/quiz/webhook/create${redirect.search}` });
  assert.equal(done.statusCode, 200, done.body);
  assert.match(done.body, /amoCRM подключён/);
  await eventually(async () => {
    const counts = await Promise.all(
      ['users', 'pipelines', 'fields', 'tags'].map(
        async (d) => (await bed.h.app.inject({ method: 'GET', url: `/quiz/${d}`, headers })).json().count as number,
      ),
    );
    return counts.every((n) => n > 0);
  });
}

export interface RuleIds {
  performer: number;
  pipeline: number;
  step: number;
  comment: number;
  source: number;
  quantity: number;
  utmSource: number;
  position: number;
  leadTag: number;
  leadTagAmo: number;
  contactTag: number;
}

/** Picks ids for a rule from the emulator's seeded account, and our tag ids from GET /quiz/tags. */
export async function ruleIds(bed: QuizBed, quizAccountId: string): Promise<RuleIds> {
  const acc = bed.emu.control.account();
  const main = acc.pipelines.find((p) => p.is_main)!;
  const field = (entity: 'leads' | 'contacts', name: string) => acc.customFields[entity].find((f) => f.name === name)!.id;
  const tags = (await bed.h.app.inject({ method: 'GET', url: '/quiz/tags?size=100', headers: await auth(quizAccountId) })).json()
    .items as Array<{ ID: number; AmoID: number; Entity: string; Name: string }>;
  const leadTag = tags.find((t) => t.Entity === 'leads' && t.Name === 'quiz')!;
  return {
    performer: acc.users.find((u) => !u.isAdmin && u.isActive)!.id,
    pipeline: main.id,
    step: main.statuses.find((s) => s.type === 0)!.id,
    comment: field('leads', 'Комментарий'),
    source: field('leads', 'Источник'),
    quantity: field('leads', 'Количество'),
    utmSource: field('leads', 'utm_source'),
    position: field('contacts', 'Должность'),
    leadTag: leadTag.ID,
    leadTagAmo: leadTag.AmoID,
    contactTag: tags.find((t) => t.Entity === 'contacts' && t.Name === 'vip')!.ID,
  };
}

export function ruleBody(ids: RuleIds) {
  return {
    PerformerID: ids.performer,
    PipelineID: ids.pipeline,
    StepID: ids.step,
    Fieldsrule: {
      Lead: [{ '1': ids.comment, '2': ids.source, '3': ids.quantity, utm_source: ids.utmSource }],
      Contact: [{ '4': ids.position }],
    },
    TagsToAdd: { Lead: [ids.leadTag], Contact: [ids.contactTag] },
  };
}

export function result(quizId: number, resultId: string, extra: { source?: string } = {}) {
  const n = Number(resultId.replace(/\D/g, '')) || 0;
  return {
    quizId,
    resultId,
    answers: [
      { questionId: 1, title: 'Комментарий', value: `Ответ ${resultId}` },
      { questionId: 2, title: 'Откуда вы узнали?', value: extra.source ?? 'сайт' },
      { questionId: 3, value: String(n % 10) },
      { questionId: 4, value: 'Директор' },
    ],
    contact: { name: `Клиент ${resultId}`, phone: `+7999${String(n).padStart(7, '0')}`, email: `c${n}@example.com` },
    utm: { utm_source: 'yandex' },
  };
}

/** Posts results in arrays of `chunk`. */
export async function postResults(bed: QuizBed, quizAccountId: string, results: object[], chunk = 500): Promise<void> {
  const headers = await auth(quizAccountId);
  for (let i = 0; i < results.length; i += chunk) {
    const res = await bed.h.app.inject({ method: 'POST', url: '/quiz/results', headers, payload: results.slice(i, i + chunk) });
    assert.equal(res.statusCode, 202, res.body);
  }
}

export async function statusCounts(bed: QuizBed): Promise<Record<string, number>> {
  const rows = await bed.h.hub.db
    .select({ status: quizResults.status, n: sql<number>`count(*)::int` })
    .from(quizResults)
    .groupBy(quizResults.status);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export async function waitAllSettled(bed: QuizBed, total: number, ms = 120_000): Promise<Record<string, number>> {
  return eventually(
    async () => {
      const c = await statusCounts(bed);
      return (c.sent ?? 0) + (c.failed ?? 0) === total ? c : undefined;
    },
    ms,
    200,
  );
}

export async function resultRow(bed: QuizBed, resultId: string) {
  const [row] = await bed.h.hub.db.select().from(quizResults).where(eq(quizResults.resultId, resultId));
  return row!;
}

// Shared pieces of the quiz tests: JWTs, the env, a cache seeded straight into the database (for tests that
// need no amoCRM), and small request helpers.
import { SignJWT } from 'jose';
import type { TestContext } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { testHub, type TestHub } from '../../helpers/hub.js';
import { createQuizModule, type DeliveryOptions } from '../../../src/modules/quiz/index.js';
import { quizAccounts, quizFields, quizPipelines, quizSteps, quizTags, quizUsers } from '../../../src/modules/quiz/schema.js';

export const JWT_SECRET = 'quiz-test-secret-0123456789abcdef';

export async function token(
  sub: string,
  opts: { secret?: string; claims?: Record<string, unknown>; expiresIn?: string } = {},
): Promise<string> {
  return new SignJWT({ ...opts.claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '1h')
    .sign(new TextEncoder().encode(opts.secret ?? JWT_SECRET));
}

export async function auth(sub: string): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await token(sub)}` };
}

export function quizHub(t: TestContext, env: Record<string, string> = {}, delivery: Partial<DeliveryOptions> = {}): Promise<TestHub> {
  return testHub(t, { env: { QUIZ_JWT_SECRET: JWT_SECRET, LOG_LEVEL: 'info', ...env }, modules: [createQuizModule(delivery)] });
}

/** JSON body of a response (the seed's string answers parse to strings). */
export const body = (res: LightMyRequestResponse): unknown => JSON.parse(res.body);

export const AMO_ACCOUNT = 30_000_001;

/** A connected account and a small cache written directly: ids chosen to be easy to read in assertions. */
export async function seedConnectedAccount(h: TestHub, quizAccountId: string, amoAccountId = AMO_ACCOUNT) {
  const db = h.hub.db;
  const [account] = await db
    .insert(quizAccounts)
    .values({ quizAccountId, amoAccountId, name: 'Тестовый аккаунт', subdomain: 'test', amoUserId: 501, country: 'RU' })
    .returning();
  await db.insert(quizUsers).values([
    { amoAccountId, amoId: 501, name: 'Админ', email: 'admin@test.example', role: 'admin', group: 0 },
    { amoAccountId, amoId: 502, name: 'Менеджер', email: 'm@test.example', role: 'user', group: 1 },
    { amoAccountId, amoId: 503, name: 'Уволенный', email: 'x@test.example', role: 'user', group: 1, deleted: true },
  ]);
  await db.insert(quizPipelines).values([
    { amoAccountId, amoId: 7001, name: 'Воронка' },
    { amoAccountId, amoId: 7002, name: 'Партнёры' },
  ]);
  await db.insert(quizSteps).values([
    { amoAccountId, pipelineAmoId: 7001, amoId: 8001, name: 'Первичный контакт', color: '#99ccff' },
    { amoAccountId, pipelineAmoId: 7001, amoId: 8002, name: 'Переговоры', color: '#99ccff' },
    { amoAccountId, pipelineAmoId: 7002, amoId: 8101, name: 'Новый партнёр', color: '#99ccff' },
  ]);
  await db.insert(quizFields).values([
    { amoAccountId, entityType: 'leads', amoId: 9001, name: 'Комментарий', type: 'textarea' },
    { amoAccountId, entityType: 'leads', amoId: 9002, name: 'Источник', type: 'select', enums: [{ id: 1, value: 'Сайт' }] },
    { amoAccountId, entityType: 'contacts', amoId: 9101, name: 'Телефон', type: 'multitext', code: 'PHONE' },
    { amoAccountId, entityType: 'companies', amoId: 9201, name: 'Адрес', type: 'textarea', code: 'ADDRESS' },
  ]);
  const tags = await db
    .insert(quizTags)
    .values([
      { amoAccountId, entity: 'leads', amoId: 6001, name: 'quiz' },
      { amoAccountId, entity: 'contacts', amoId: 6101, name: 'vip' },
    ])
    .returning();
  return { account: account!, leadTag: tags[0]!.id, contactTag: tags[1]!.id };
}

export const validRule = (tags: { leadTag: number; contactTag: number }) => ({
  PerformerID: 502,
  PipelineID: 7001,
  StepID: 8002,
  Fieldsrule: { Lead: [{ '1': 9001, '2': 9002 }], Contact: [{ '3': 9101 }] },
  TagsToAdd: { Lead: [tags.leadTag], Contact: [tags.contactTag] },
});

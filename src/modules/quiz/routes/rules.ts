// /rules/{quizID}: one rule per quiz. Thin: RuleService validates against the cache and enqueues the check.
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { QuizIdParams, Rule, RulesReq } from '../contract.js';
import { accountOf, QUIZ_SECURITY, type QuizJwtVerifier } from '../auth.js';
import { parseQuizId, type RuleService } from '../rules.js';
import { jsonString } from '../errors.js';
import { E400, E401, E404, E409, E500, OK, TAG } from './common.js';

type Req = { Params: Static<typeof QuizIdParams>; Body: Static<typeof RulesReq> };

export function ruleRoutes(app: FastifyInstance, deps: { auth: QuizJwtVerifier; rules: RuleService }): void {
  const { auth, rules } = deps;
  const tags = [TAG];
  const ids =
    'PerformerID, PipelineID, StepID и id полей в Fieldsrule — id amoCRM; id тегов в TagsToAdd — наши ID из GET /tags. ' +
    'Все они должны быть в кэше этого аккаунта (иначе 400 со списком). Сохранение ставит задачу проверки правила по свежим данным amoCRM (Status: pending → ready | broken).';

  app.get<{ Params: Static<typeof QuizIdParams> }>(
    '/rules/:quizID',
    {
      onRequest: auth.guard,
      schema: {
        operationId: 'GettingQuizRules',
        tags,
        description: 'получение настроек интеграции для конкретного квиза',
        security: QUIZ_SECURITY,
        params: QuizIdParams,
        response: { 200: Rule, 400: E400, 401: E401, 404: E404, 500: E500 },
      },
    },
    async (req) => rules.get(accountOf(req), parseQuizId(req.params.quizID)),
  );

  app.post<Req>(
    '/rules/:quizID',
    {
      onRequest: auth.guard,
      schema: {
        operationId: 'SetQuizSettings',
        tags,
        description: `создание настроек интеграции для квиза (на 1 квиз 1 правило, повтор — 409). ${ids}`,
        security: QUIZ_SECURITY,
        params: QuizIdParams,
        body: RulesReq,
        response: { 200: OK, 400: E400, 401: E401, 404: E404, 409: E409, 500: E500 },
      },
    },
    async (req, reply) => {
      await rules.create(accountOf(req), parseQuizId(req.params.quizID), req.body ?? {});
      return reply.type('application/json; charset=utf-8').send(jsonString('Success'));
    },
  );

  app.patch<Req>(
    '/rules/:quizID',
    {
      onRequest: auth.guard,
      schema: {
        operationId: 'ChangeQuizSettings',
        tags,
        description: `изменение настроек интеграции для квиза: переданные части заменяют сохранённые. ${ids}`,
        security: QUIZ_SECURITY,
        params: QuizIdParams,
        body: RulesReq,
        response: { 200: OK, 400: E400, 401: E401, 404: E404, 500: E500 },
      },
    },
    async (req, reply) => {
      await rules.update(accountOf(req), parseQuizId(req.params.quizID), req.body ?? {});
      return reply.type('application/json; charset=utf-8').send(jsonString('Success'));
    },
  );
}

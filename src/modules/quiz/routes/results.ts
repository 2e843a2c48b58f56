// POST /results and GET /results/{resultId}: the intake of quiz answers (our addition to seed 003).
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { accountOf, QUIZ_SECURITY, type QuizJwtVerifier } from '../auth.js';
import { MAX_RESULTS_PER_REQUEST, ResultIdParams, ResultsAccepted, ResultsBody, ResultStatus } from '../results-contract.js';
import type { ResultService } from '../results.js';
import { E400, E401, E404, E500, RESULTS_TAG } from './common.js';

/** Arrays of 500 results with long answers outgrow the hub's default 1 MiB body limit. */
const RESULTS_BODY_LIMIT = 8 * 1024 * 1024;

export function resultRoutes(app: FastifyInstance, deps: { auth: QuizJwtVerifier; results: ResultService; bodyLimitBytes: number }): void {
  const { auth, results } = deps;
  const tags = [RESULTS_TAG];

  app.post<{ Body: Static<typeof ResultsBody> }>(
    '/results',
    {
      onRequest: auth.guard,
      bodyLimit: Math.max(deps.bodyLimitBytes, RESULTS_BODY_LIMIT),
      schema: {
        operationId: 'SubmitQuizResults',
        tags,
        description:
          `Приём результатов квиза: один объект или массив до ${MAX_RESULTS_PER_REQUEST}. Каждый результат станет сделкой (с контактом и, если правило заполняет поля компании, компанией) ` +
          'в воронке и этапе правила квиза. Идемпотентно по (аккаунт, resultId): повтор не создаёт вторую сделку. ' +
          'Ответ 202 означает, что результаты сохранены и доставка поставлена в очередь. Для каждого quizId должно существовать правило.',
        security: QUIZ_SECURITY,
        body: ResultsBody,
        response: { 202: ResultsAccepted, 400: E400, 401: E401, 404: E404, 500: E500 },
      },
    },
    async (req, reply) => {
      const body = Array.isArray(req.body) ? req.body : [req.body];
      return reply.status(202).send(await results.accept(accountOf(req), body));
    },
  );

  app.get<{ Params: Static<typeof ResultIdParams> }>(
    '/results/:resultId',
    {
      onRequest: auth.guard,
      schema: {
        operationId: 'GetQuizResultStatus',
        tags,
        description:
          'Состояние доставки результата: queued — в очереди, sent — сделка создана (amoLeadId), failed — см. error (повторная доставка — у оператора).',
        security: QUIZ_SECURITY,
        params: ResultIdParams,
        response: { 200: ResultStatus, 401: E401, 404: E404, 500: E500 },
      },
    },
    async (req) => results.status(accountOf(req), req.params.resultId),
  );
}

// /account and amoCRM's two callbacks (/webhook/create, /webhook/delete). Thin: everything is in AccountService.
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { answerCallback, type AmoConnector } from '../../../connectors/amocrm/index.js';
import { ConnectAccountResp, DisconnectHookQuery, OAuthRedirectQuery, User } from '../contract.js';
import { accountOf, QUIZ_SECURITY, type QuizJwtVerifier } from '../auth.js';
import type { AccountService } from '../accounts.js';
import { jsonString } from '../errors.js';
import { E401, E404, E500, E502, E503, Html, OK, TAG } from './common.js';

export function accountRoutes(app: FastifyInstance, deps: { auth: QuizJwtVerifier; accounts: AccountService; amo: AmoConnector }): void {
  const { auth, accounts, amo } = deps;
  const tags = [TAG];
  const guarded = { onRequest: auth.guard };

  app.post(
    '/account',
    {
      ...guarded,
      schema: {
        operationId: 'ConnectAccount',
        tags,
        description: 'подключение аккаунта амо к аккаунту quiz: отдаёт ссылку на согласие в amoCRM, привязанную (state) к этому аккаунту',
        security: QUIZ_SECURITY,
        response: { 200: ConnectAccountResp, 401: E401, 500: E500, 503: E503 },
      },
    },
    async (req) => ({ link: await accounts.connectLink(accountOf(req)) }),
  );

  app.delete(
    '/account',
    {
      ...guarded,
      schema: {
        operationId: 'SoftDeleteAccount',
        tags,
        description: 'мягкое удаление аккаунта и токенов amoCRM; после него можно подключить новый (или тот же) аккаунт',
        security: QUIZ_SECURITY,
        response: { 200: OK, 401: E401, 404: E404, 500: E500 },
      },
    },
    async (req, reply) => {
      await accounts.remove(accountOf(req));
      return reply.type('application/json; charset=utf-8').send(jsonString('Success'));
    },
  );

  app.get(
    '/account',
    {
      ...guarded,
      schema: {
        operationId: 'GetCurrentAccount',
        tags,
        description: 'получение текущего аккаунта (404, если amoCRM не подключён)',
        security: QUIZ_SECURITY,
        response: { 200: User, 401: E401, 404: E404, 500: E500 },
      },
    },
    async (req) => accounts.current(accountOf(req)),
  );

  app.get<{ Querystring: Static<typeof OAuthRedirectQuery> }>(
    '/webhook/create',
    {
      schema: {
        operationId: 'WebhookCreate',
        tags,
        description:
          'OAuth-редирект amoCRM (Redirect URI интеграции): обмен кода на токены, создание аккаунта, первая синхронизация справочников. ' +
          'Отвечает браузеру страницей или редиректом на QUIZ_AFTER_CONNECT_URL.',
        querystring: OAuthRedirectQuery,
        response: {
          200: Html('Success'),
          303: Type.Null({ description: 'переход на QUIZ_AFTER_CONNECT_URL' }),
          400: Html('Подключение не удалось'),
          502: Html('amoCRM недоступен'),
          503: Html('Сервис временно недоступен (база данных) или amoCRM не настроен; когда повторить — в Retry-After'),
        },
      },
    },
    async (req, reply) => {
      // The connector does the work and tells whichever module asked (the state names it); this is the seed's path.
      const answer = await answerCallback(amo, req.query as Record<string, string | undefined>, req.log);
      if (answer.status === 303) return reply.redirect(answer.location, 303);
      if ('headers' in answer && answer.headers) reply.headers(answer.headers);
      return reply.status(answer.status).type('text/html; charset=utf-8').send(answer.html);
    },
  );

  app.get<{ Querystring: Static<typeof DisconnectHookQuery> }>(
    '/webhook/delete',
    {
      schema: {
        operationId: 'WebhookDelete',
        tags,
        description:
          'хук amoCRM об отключении интеграции (client_uuid, account_id, signature = HMAC-SHA256): подпись проверяется, аккаунт мягко удаляется',
        querystring: DisconnectHookQuery,
        response: { 200: OK, 401: E401, 502: E502 },
      },
    },
    async (req, reply) => {
      await accounts.disconnectHook(req.query as Record<string, string | undefined>);
      return reply.type('application/json; charset=utf-8').send(jsonString('Success'));
    },
  );
}

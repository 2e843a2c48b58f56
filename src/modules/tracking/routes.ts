// The seed's public API under /api/v1. Handlers are thin: the gate (auth.ts) has already checked the key, the
// rate limit and the bot binding; the schemas validate input and serialise output; services do the work.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { TSchema } from '@sinclair/typebox';
import * as C from './contract.js';
import type { ClientService } from './clients.js';
import type { TrackingService } from './tracking.js';
import { resolvePeriod, trackingStats } from './stats.js';
import type { Hub } from '../../platform/hub.js';
import { VIEW_JSON } from '../../platform/http/view-json.js';
import { useTrackingEnvelope } from './errors.js';
import { installGate, type GateDeps } from './auth.js';
import { useCors } from '../../platform/http/cors.js';
import type { ResponseHeaders } from '../../platform/http/error-responses.js';
import type { BotService } from './bots.js';

const SECURITY = [{ trackingApiKey: [] }];
/** The bot id of a public API path: /api/v1/{tracking|clients|statistics|bots}/{bot_id}… */
const BOT_IN_PATH = /^\/api\/v1\/(?:tracking|clients|statistics|bots)\/(\d+)(?:[/?]|$)/;
const E = C.ErrorBody;

/** The error answers every authenticated route can give, plus the route's own. */
function responses(ok: Record<number, TSchema>, extra: Record<number, TSchema> = {}): Record<number, TSchema> {
  return { ...ok, 400: E, 401: E, 403: E, 429: E, ...extra };
}

export interface RouteDeps extends GateDeps {
  readonly hub: Hub;
  readonly bots: BotService;
  readonly tracking: TrackingService;
  readonly clients: ClientService;
}

/** The rate-limit headers (auth.ts rateLimitHeaders), for the OpenAPI document. */
const RATE_LIMIT_HEADERS = {
  'X-RateLimit-Limit': { type: 'integer', description: 'Запросов в минуту для этого ключа', examples: [60] },
  'X-RateLimit-Remaining': { type: 'integer', description: 'Осталось в текущем окне', examples: [59] },
  'X-RateLimit-Reset': { type: 'integer', description: 'Когда окно восстановится: Unix-время, секунды', examples: [1737972060] },
  'RateLimit-Policy': { type: 'string', description: 'IETF draft: лимит и окно, секунды', examples: ['"default";q=60;w=60'] },
  RateLimit: { type: 'string', description: 'IETF draft: остаток и секунды до восстановления', examples: ['"default";r=59;t=1'] },
};
/** Every answer given after the key was recognised carries the rate-limit headers; a 401 (no or unknown key) does not. */
const responseHeaders: ResponseHeaders = (status) => (status === 401 || status === 414 ? undefined : RATE_LIMIT_HEADERS);

export async function publicRoutes(scope: FastifyInstance, deps: RouteDeps): Promise<void> {
  useTrackingEnvelope(scope);
  scope.addHook('onRoute', (route) => {
    route.config = { ...(route.config as object), responseHeaders } as typeof route.config;
  });
  // Per-bot CORS (the seed's website widget): the bot is the path's, so a preflight, which carries no key, is
  // decided by the operator's list for that bot (PATCH /admin/v1/tracking/bots/{id} allowed_origins).
  await useCors(scope, {
    origins: (req) => {
      const bot = BOT_IN_PATH.exec(req.url)?.[1];
      return bot && bot.length <= 16 ? deps.bots.allowedOrigins(Number(bot)) : [];
    },
    methods: ['GET', 'POST', 'PUT'],
    allowedHeaders: ['X-API-Key', 'Content-Type'],
    exposedHeaders: ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'RateLimit-Policy', 'RateLimit', 'Retry-After'],
  });
  installGate(scope, deps);
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const { tracking, clients, bots, hub } = deps;
  const tags = ['tracking'];
  const paging = C.pageOf;

  app.get(
    '/tracking/:bot_id',
    {
      schema: {
        operationId: 'ListTrackingNumbers',
        tags,
        summary: 'Список трек-номеров',
        description:
          'Новые сначала. `total` — точное число с учётом фильтров. `tracking_number` — поиск по точному трек-номеру (0 или 1 элемент). ' +
          'Неизвестный параметр запроса — 400 с его именем.',
        security: SECURITY,
        params: C.BotParams,
        querystring: C.TrackingListQuery,
        response: responses({ 200: C.TrackingList }),
      },
      // Rows come out of SQL in the view's exact shape (store.ts), and this is the API's hottest answer.
      ...VIEW_JSON,
    },
    async (req) =>
      tracking.list(req.params.bot_id, {
        ...paging(req.query),
        ...(req.query.status_filter ? { status: req.query.status_filter } : {}),
        ...(req.query.client_code !== undefined ? { clientCode: req.query.client_code } : {}),
        ...(req.query.tracking_number !== undefined ? { trackingNumber: req.query.tracking_number } : {}),
      }),
  );

  app.post(
    '/tracking/:bot_id',
    {
      schema: {
        operationId: 'CreateTrackingNumber',
        tags,
        summary: 'Создать трек-номер',
        description: 'Клиент находится по client_code или создаётся. Повтор трек-номера у того же бота — 409.',
        security: SECURITY,
        params: C.BotParams,
        body: C.CreateTracking,
        response: responses({ 201: C.TrackingNumber }, { 409: E }),
      },
    },
    async (req, reply) => reply.status(201).send(await tracking.create(req.params.bot_id, req.body)),
  );

  app.get(
    '/tracking/:bot_id/by-client/:client_code',
    {
      schema: {
        operationId: 'GetTrackingNumbersByClient',
        tags,
        summary: 'Трек-номера клиента',
        security: SECURITY,
        params: C.ByClientParams,
        querystring: C.PageQuery,
        response: responses({ 200: C.ClientTrackingList }, { 404: E }),
      },
      ...VIEW_JSON,
    },
    async (req) => tracking.byClient(req.params.bot_id, req.params.client_code, paging(req.query)),
  );

  app.get(
    '/tracking/:bot_id/:tracking_id',
    {
      schema: {
        operationId: 'GetTrackingNumber',
        tags,
        summary: 'Трек-номер с историей статусов',
        security: SECURITY,
        params: C.TrackingParams,
        response: responses({ 200: C.TrackingDetail }, { 404: E }),
      },
    },
    async (req) => tracking.get(req.params.bot_id, req.params.tracking_id),
  );

  app.put(
    '/tracking/:bot_id/:tracking_id',
    {
      schema: {
        operationId: 'UpdateTrackingStatus',
        tags,
        summary: 'Обновить трек-номер (статус и/или поля)',
        description:
          'Статусы двигаются только вперёд; недопустимый переход — 409 со списком допустимых (`allowed_statuses`). Тот же статус повторно — без изменений.',
        security: SECURITY,
        params: C.TrackingParams,
        body: C.UpdateTracking,
        response: responses({ 200: C.TrackingDetail }, { 404: E, 409: C.InvalidTransitionBody }),
      },
    },
    async (req) => tracking.update(req.params.bot_id, req.params.tracking_id, req.body),
  );

  app.get(
    '/clients/:bot_id',
    {
      schema: {
        operationId: 'ListClients',
        tags,
        summary: 'Список клиентов',
        security: SECURITY,
        params: C.BotParams,
        querystring: C.PageQuery,
        response: responses({ 200: C.ClientList }),
      },
    },
    async (req) => clients.list(req.params.bot_id, paging(req.query)),
  );

  app.get(
    '/clients/:bot_id/:client_id',
    {
      schema: {
        operationId: 'GetClient',
        tags,
        summary: 'Клиент',
        security: SECURITY,
        params: C.ClientParams,
        response: responses({ 200: C.Client }, { 404: E }),
      },
    },
    async (req) => clients.get(req.params.bot_id, req.params.client_id),
  );

  app.get(
    '/statistics/:bot_id/overview',
    {
      schema: {
        operationId: 'GetOverviewStatistics',
        tags,
        summary: 'Общая статистика',
        security: SECURITY,
        params: C.BotParams,
        response: responses({ 200: C.Overview }),
      },
    },
    async (req) => clients.overview(req.params.bot_id),
  );

  app.get(
    '/statistics/:bot_id/tracking',
    {
      schema: {
        operationId: 'GetTrackingStatistics',
        tags,
        summary: 'Статистика по трек-номерам за период',
        description:
          '`by_status`: трек-номера, созданные за период, по текущему статусу, с суммарным весом и стоимостью. ' +
          '`by_day`: по дням (UTC) — сколько трек-номеров перешло в каждый статус (включая начальный). По умолчанию последние 30 дней, максимум 366.',
        security: SECURITY,
        params: C.BotParams,
        querystring: C.StatsQuery,
        response: responses({ 200: C.TrackingStats }),
      },
    },
    async (req) => trackingStats(hub, req.params.bot_id, resolvePeriod(req.query.date_from, req.query.date_to)),
  );

  app.get(
    '/bots/:bot_id',
    {
      schema: {
        operationId: 'GetBot',
        tags,
        summary: 'Информация о боте',
        security: SECURITY,
        params: C.BotParams,
        response: responses({ 200: C.Bot }, { 404: E }),
      },
    },
    async (req) => bots.get(req.params.bot_id),
  );
}

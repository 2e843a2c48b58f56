// The endpoints of seed 002 under /samba. Thin handlers: the gate (auth.ts) has checked the user, the schemas the
// input; services resolve, check and store; every answer is the seed's `{status, message, result}`. Lists answer
// "seccess" (sic, as the seed's examples; clients may compare it), invoice, payment and act reads answer null.
import type { FastifyInstance, RouteShorthandOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from '@sinclair/typebox';
import type { Hub } from '../../platform/hub.js';
import * as A from './answers.js';
import * as C from './contract.js';
import { useSambaEnvelope } from './errors.js';
import { installGate } from './auth.js';
import type { Services } from './services.js';

const F = A.SambaFailure;
const security = [{ sambaBasic: [] }];
/** Error statuses by kind of route: reads, writes that may clash, and the invoice operations. */
const errors = (...codes: Array<400 | 404 | 409>) => Object.fromEntries([401, 429, ...codes].map((c) => [c, F])) as Record<number, TSchema>;

export const ok = <T>(message: string | null, result: T) => ({ status: 'ok' as const, message, result });
const LIST = 'seccess';

export function publicRoutes(scope: FastifyInstance, deps: { hub: Hub; services: Services }): void {
  useSambaEnvelope(scope);
  installGate(scope, { hub: deps.hub, users: deps.services.users });
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const s = deps.services;
  const tags = [C.TAG];
  const opts = (operationId: string, summary: string, schema: Record<string, unknown>): RouteShorthandOptions => ({
    schema: { operationId, summary, tags, security, ...schema },
  });

  // 1. Конечные рекламодатели
  app.get(
    '/finaladv',
    opts('SambaFinalAdvList', 'Список конечных рекламодателей (§1.1)', {
      querystring: C.FinalAdvQuery,
      response: { 200: A.Ok(Type.Array(A.FinalAdv), 'SambaFinalAdvListAnswer'), ...errors(400) },
    }),
    async (req) => ok(LIST, await s.finaladv.list(req.query as C.FinalAdvQueryT)),
  );
  app.post(
    '/finaladv',
    opts('SambaFinalAdvCreate', 'Создать конечного рекламодателя (§1.2); такой ИНН+КПП уже есть — 409 с ним', {
      body: C.FinalAdvCreate,
      response: { 200: A.Ok(A.FinalAdv, 'SambaFinalAdvCreated'), ...errors(400, 409) },
    }),
    async (req) => ok('Конечный рекламодатель успешно создан', await s.finaladv.create(req.body as C.FinalAdvUpdateT)),
  );
  app.put(
    '/finaladv',
    opts('SambaFinalAdvUpdate', 'Обновить конечного рекламодателя (§1.3): по uuid или ИНН (+КПП)', {
      body: C.FinalAdvUpdate,
      response: { 200: A.Ok(A.FinalAdvUpdated, 'SambaFinalAdvUpdatedAnswer'), ...errors(400, 404, 409) },
    }),
    async (req) => {
      const r = await s.finaladv.update(req.body as C.FinalAdvUpdateT);
      return ok(r.message, r.result);
    },
  );

  // 2. Конечные договоры
  app.get(
    '/finalcontracts',
    opts('SambaContractList', 'Список конечных договоров рекламодателей (§2.1)', {
      querystring: C.ContractQuery,
      response: { 200: A.Ok(Type.Array(A.Contract), 'SambaContractListAnswer'), ...errors(400) },
    }),
    async (req) => ok(LIST, await s.contracts.list(req.query as C.ContractQueryT)),
  );
  for (const [method, operationId, summary] of [
    ['post', 'SambaContractCreate', 'Создать конечный договор (§2.2): рекламодатель и юр. лицо — по uuid или ИНН (+КПП)'],
    ['put', 'SambaContractUpdate', 'Обновить конечный договор (§2.3): по uuid или номеру и дате'],
  ] as const) {
    app[method](
      '/finalcontracts',
      opts(operationId, summary, {
        body: method === 'post' ? C.ContractCreate : C.ContractUpdate,
        response: { 200: A.Ok(A.ContractShort, `${operationId}Answer`), ...errors(400, 404, 409) },
      }),
      async (req) => {
        const r = await s.contracts[method === 'post' ? 'create' : 'update'](req.body as C.ContractUpdateT);
        return ok(r.message, r.result);
      },
    );
  }

  // 3. Юр. лица
  app.get(
    '/customers',
    opts('SambaCustomerList', 'Список юр. лиц (§3.1); заводятся через API администратора', {
      querystring: C.CustomerQuery,
      response: { 200: A.Ok(Type.Array(A.Customer), 'SambaCustomerListAnswer'), ...errors(400) },
    }),
    async (req) => ok(LIST, await s.customers.list(req.query as C.FinalAdvQueryT)),
  );

  // 4. Бренды
  app.get(
    '/brands',
    opts('SambaBrandList', 'Список брендов (§4.1)', {
      querystring: C.BrandQuery,
      response: { 200: A.Ok(Type.Array(A.Brand), 'SambaBrandListAnswer'), ...errors(400) },
    }),
    async (req) => ok(LIST, await s.brands.list(req.query as C.BrandQueryT)),
  );
  app.post(
    '/brands',
    opts('SambaBrandCreate', 'Создать бренд (§4.2): юр. лицо по uuid или ИНН (+КПП)', {
      body: C.BrandCreate,
      response: { 200: A.Ok(A.BrandShort, 'SambaBrandCreated'), ...errors(400, 404, 409) },
    }),
    async (req) => {
      const r = await s.brands.create(req.body as C.BrandCreateT);
      return ok(r.message, r.result);
    },
  );
  app.put(
    '/brands',
    opts('SambaBrandUpdate', 'Обновить бренд (§4.3)', {
      body: C.BrandUpdate,
      response: { 200: A.Ok(A.BrandShort, 'SambaBrandUpdated'), ...errors(400, 404, 409) },
    }),
    async (req) => {
      const r = await s.brands.update(req.body as { name?: string; uuid?: string });
      return ok(r.message, r.result);
    },
  );

  campaignRoutes(app as unknown as FastifyInstance, s, opts);
}

type Opts = (operationId: string, summary: string, schema: Record<string, unknown>) => RouteShorthandOptions;

function campaignRoutes(scope: FastifyInstance, s: Services, opts: Opts): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/rk',
    opts('SambaRkList', 'Список рекламных кампаний (§5.1)', {
      querystring: C.RkQuery,
      response: { 200: A.Ok(Type.Array(A.Campaign), 'SambaRkListAnswer'), ...errors(400) },
    }),
    async (req) => ok(LIST, await s.campaigns.list(req.query as C.RkQueryT)),
  );
  for (const [method, operationId, summary] of [
    ['post', 'SambaRkCreate', 'Создать РК (§5.2): rk_id уникален («РК уже существует» — 409 с ней); numberMF присваивается'],
    ['put', 'SambaRkUpdate', 'Обновить РК (§5.3): по uuid или rk_id'],
  ] as const) {
    app[method](
      '/rk',
      opts(operationId, summary, {
        body: method === 'post' ? C.RkCreate : C.RkUpdate,
        response: { 200: A.Ok(A.Campaign, `${operationId}Answer`), ...errors(400, 404, 409) },
      }),
      async (req) => {
        const r = await s.campaigns[method === 'post' ? 'create' : 'update'](req.body as C.RkUpdateT);
        return ok(r.message, r.result);
      },
    );
  }
  app.get(
    '/acts/rk',
    opts('SambaActsSums', 'Суммы размещений и актов по РК (§7.2); без РК — по всем, где они есть', {
      querystring: C.ActsQuery,
      response: { 200: A.Ok(Type.Array(A.ActsSum), 'SambaActsSumsAnswer'), ...errors(400, 404, 409) },
    }),
    async (req) => ok(null, await s.acts.sums(req.query as C.ActsQueryT)),
  );
  app.get(
    '/acts/rk/details',
    opts('SambaActsDetails', 'Размещения и акты РК (§7.3): [размещения, акты]', {
      querystring: C.ActsQuery,
      response: { 200: A.Ok(A.ActsDetails, 'SambaActsDetailsAnswer'), ...errors(400, 404, 409) },
    }),
    async (req) => ok(null, await s.acts.details(req.query as C.ActsQueryT)),
  );
}

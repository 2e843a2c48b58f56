// The endpoints 1C calls (seed 001 §2), under /onec. Thin handlers: the gate (auth.ts) has already proved the
// account, the schemas have checked the input, and every answer is the seed's `{success, data, error}`.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Hub } from '../../platform/hub.js';
import * as C from './contract.js';
import { useOnecEnvelope } from './errors.js';
import { installGate, type OnecRouteConfig } from './auth.js';
import type { BaseService, MappedEntity } from './bases.js';
import type { HandlerService } from './handlers.js';
import type { SecretService } from './secrets.js';
import type { OnecSyncSettings } from './settings.js';

export interface RouteDeps {
  readonly hub: Hub;
  readonly secrets: SecretService;
  readonly bases: BaseService;
  readonly handlers: HandlerService;
  readonly settings: OnecSyncSettings;
}

const ok = <T>(data: T) => ({ success: true, data, error: null });
const F = C.OnecFailure;
const security = [{ onecBasic: [] }];

export function publicRoutes(scope: FastifyInstance, deps: RouteDeps): void {
  useOnecEnvelope(scope);
  installGate(scope, deps);
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const { bases, handlers } = deps;
  const tags = [C.TAG];

  app.get(
    '/sync/check_active',
    {
      schema: {
        operationId: 'OnecCheckActive',
        tags,
        security,
        summary: 'Проверка соединения с amoCRM (§2.1): true, если key и секрет интеграции верны',
        querystring: C.CheckActiveQuery,
        response: { 200: C.ActiveAnswer, ...C.authFailures },
      },
    },
    async () => ok(true),
  );

  app.post(
    '/sync/base',
    {
      schema: {
        operationId: 'OnecSaveBase',
        tags,
        security,
        summary: 'Первичная синхронизация (§2.2): адрес обработчиков 1C, адрес сервера, логин и пароль',
        body: C.SaveBase,
        response: { 200: C.EmptyAnswer, ...C.authFailures, 424: F },
      },
    },
    async (req) => {
      const b = req.body;
      await bases.save({
        key: String(b.key),
        idBase: String(b.id_base),
        webAddress: b.web_address,
        urlAddress: b.url_address,
        login: b.param1,
        password: b.param2,
      });
      return ok(null);
    },
  );

  const saveFields = (path: string, entity: MappedEntity, operationId: string, what: string) =>
    app.post(
      path,
      {
        schema: {
          operationId,
          tags,
          security,
          summary: `Сохранение соответствия полей (§2.7): ${what}`,
          body: C.SaveFields,
          response: { 200: C.EmptyAnswer, ...C.authFailures, 404: F },
        },
      },
      async (req) => {
        const { key, id_base, ...fields } = req.body as Record<string, number | string>;
        await bases.saveFields(String(key), String(id_base), entity, fields);
        return ok(null);
      },
    );
  saveFields('/sync/clients_contacts_save_fields', 'contacts', 'OnecSaveContactFields', 'физ. контрагент → Контакт');
  saveFields('/sync/clients_companies_save_fields', 'companies', 'OnecSaveCompanyFields', 'юр. контрагент → Компания');
  saveFields('/sync/leads_save_fields', 'leads', 'OnecSaveLeadFields', 'заказ → Сделка');

  app.post(
    '/update_handlers/get_actual_version',
    {
      schema: {
        operationId: 'OnecHandlersVersion',
        tags,
        security,
        summary: 'Актуальная версия обработчиков базы (§2.8): своя, иначе общая по умолчанию',
        body: C.BaseRef,
        response: { 200: C.VersionAnswer, ...C.authFailures, 404: F },
      },
    },
    async (req) => ok({ version: (await handlers.actual(String(req.body.key), String(req.body.id_base))).version }),
  );

  app.post(
    '/update_handlers/get_actual_handlers',
    {
      schema: {
        operationId: 'OnecHandlersGet',
        tags,
        security,
        summary: 'Актуальные обработчики базы (§2.9)',
        body: C.BaseRef,
        response: { 200: C.HandlersAnswer, ...C.authFailures, 404: F },
      },
    },
    async (req) => ok(await handlers.actual(String(req.body.key), String(req.body.id_base))),
  );

  app.post(
    '/update_handlers/set_handlers',
    {
      config: { onecAuth: 'publisher' } satisfies OnecRouteConfig,
      schema: {
        operationId: 'OnecHandlersSet',
        tags,
        security: [{ onecPublisher: [] }],
        summary: 'Новый пакет обработчиков базы (§2.10): следующая версия; Basic-авторизация публикатора',
        body: C.SetHandlers,
        response: { 200: C.VersionAnswer, ...C.authFailures },
      },
    },
    async (req) => ok(await handlers.publish(req.body.handlers, String(req.body.key), String(req.body.id_base))),
  );
}

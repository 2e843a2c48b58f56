// Read-mostly account data: /account, /users, pipelines and statuses, custom fields (50 per page), tag
// directories (+ POST to add tags), and the webhooks API.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { paginate } from './paging.js';
import { problem, sendEmpty, sendHal, ValidationErrors } from './problem.js';
import { apiContext, type EmulatorRuntime } from './runtime.js';
import type { AccountState } from './store.js';
import { createTag, findTagByName } from './tags.js';
import { ENTITY_TYPES, type EntityType, type Pipeline, type User } from './types.js';
import { requestIdOf, requireBatch } from './entity-write.js';

type Q = Record<string, unknown>;
const CUSTOM_FIELDS_PER_PAGE = 50;

function serialiseUser(user: User, base: string) {
  const crud = user.isAdmin ? 'A' : 'M';
  const rights = { view: crud, edit: crud, add: crud, delete: crud, export: crud };
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    lang: user.lang,
    rights: {
      leads: rights,
      contacts: rights,
      companies: rights,
      tasks: { edit: crud, delete: crud },
      mail_access: true,
      catalog_access: true,
      files_access: true,
      status_rights: [],
      catalog_rights: null,
      custom_fields_rights: null,
      oper_day_reports_view_access: false,
      oper_day_user_tracking: false,
      is_admin: user.isAdmin,
      is_free: false,
      is_active: user.isActive,
      group_id: null,
      role_id: null,
    },
    _links: { self: { href: `${base}/api/v4/users/${user.id}` } },
  };
}

function serialisePipeline(account: AccountState, p: Pipeline, base: string) {
  return {
    id: p.id,
    name: p.name,
    sort: p.sort,
    is_main: p.is_main,
    is_unsorted_on: p.is_unsorted_on,
    is_archive: p.is_archive,
    account_id: account.id,
    _links: { self: { href: `${base}/api/v4/leads/pipelines/${p.id}` } },
    _embedded: { statuses: p.statuses.map((s) => serialiseStatus(account, s, base)) },
  };
}

function serialiseStatus(account: AccountState, s: Pipeline['statuses'][number], base: string) {
  return { ...s, account_id: account.id, _links: { self: { href: `${base}/api/v4/leads/pipelines/${s.pipeline_id}/statuses/${s.id}` } } };
}

export function catalogRoutes(app: FastifyInstance, rt: EmulatorRuntime): void {
  app.get('/account', async (req, reply) => {
    const { account, access, apiBase } = apiContext(req);
    const withSet = new Set(String((req.query as Q).with ?? '').split(','));
    const body: Record<string, unknown> = {
      id: account.id,
      name: account.name,
      subdomain: account.subdomain,
      created_at: account.createdAt,
      created_by: account.admin().id,
      updated_at: account.createdAt,
      updated_by: account.admin().id,
      current_user_id: access.userId,
      country: 'RU',
      currency: 'RUB',
      currency_symbol: '₽',
      customers_mode: 'disabled',
      is_unsorted_on: true,
      is_loss_reason_enabled: true,
      is_helpbot_enabled: false,
      is_technical_account: false,
      contact_name_display_order: 1,
      mobile_feature_version: 0,
      _links: { self: { href: `${apiBase}/api/v4/account` } },
    };
    if (withSet.has('amojo_id')) body.amojo_id = `amojo-${account.id}`;
    if (withSet.has('uuid')) body.uuid = `00000000-0000-4000-8000-${String(account.id).padStart(12, '0')}`;
    if (withSet.has('version')) body.version = 9;
    if (withSet.has('is_api_filter_enabled')) body.is_api_filter_enabled = account.apiFilterEnabled;
    if (withSet.has('drive_url')) body.drive_url = `https://drive-b.amocrm.ru`;
    const embedded: Record<string, unknown> = {};
    if (withSet.has('users_groups')) embedded.users_groups = [{ id: 0, name: 'Отдел продаж', uuid: null }];
    if (withSet.has('task_types'))
      embedded.task_types = [
        { id: 1, name: 'Связаться', color: null, icon_id: null, code: 'FOLLOW_UP' },
        { id: 2, name: 'Встреча', color: null, icon_id: null, code: 'MEETING' },
      ];
    if (withSet.has('datetime_settings'))
      embedded.datetime_settings = {
        date_pattern: 'd.m.Y H:i',
        short_date_pattern: 'd.m.Y',
        short_time_pattern: 'H:i',
        date_format: 'd.m.Y',
        time_format: 'H:i:s',
        timezone: 'Europe/Moscow',
        timezone_offset: '+03:00',
      };
    if (Object.keys(embedded).length) body._embedded = embedded;
    return sendHal(reply, body);
  });

  app.get('/users', async (req, reply) => {
    const { account, apiBase } = apiContext(req);
    const page = paginate(account.users, req.query as Q, `${apiBase}/api/v4/users`);
    if (!page) return sendEmpty(reply);
    return sendHal(reply, {
      _total_items: account.users.length,
      _page: page.page,
      _links: page.links,
      _embedded: { users: page.items.map((u) => serialiseUser(u, apiBase)) },
    });
  });

  app.get('/users/:id', async (req, reply) => {
    const { account, apiBase } = apiContext(req);
    const user = account.user(Number((req.params as Q).id));
    if (!user) throw problem(404, 'User not found');
    return sendHal(reply, serialiseUser(user, apiBase));
  });

  app.get('/leads/pipelines', async (req, reply) => {
    const { account, apiBase } = apiContext(req);
    return sendHal(reply, {
      _total_items: account.pipelines.length,
      _links: { self: { href: `${apiBase}/api/v4/leads/pipelines` } },
      _embedded: { pipelines: account.pipelines.map((p) => serialisePipeline(account, p, apiBase)) },
    });
  });

  const pipelineOf = (req: FastifyRequest) => {
    const { account } = apiContext(req);
    const pipeline = account.pipeline(Number((req.params as Q).pipelineId));
    if (!pipeline) throw problem(404, 'Pipeline not found');
    return pipeline;
  };
  app.get('/leads/pipelines/:pipelineId', async (req, reply) =>
    sendHal(reply, serialisePipeline(apiContext(req).account, pipelineOf(req), apiContext(req).apiBase)),
  );
  app.get('/leads/pipelines/:pipelineId/statuses', async (req, reply) => {
    const { account, apiBase } = apiContext(req);
    const pipeline = pipelineOf(req);
    return sendHal(reply, {
      _total_items: pipeline.statuses.length,
      _links: { self: { href: `${apiBase}/api/v4/leads/pipelines/${pipeline.id}/statuses` } },
      _embedded: { statuses: pipeline.statuses.map((s) => serialiseStatus(account, s, apiBase)) },
    });
  });
  app.get('/leads/pipelines/:pipelineId/statuses/:statusId', async (req, reply) => {
    const { account, apiBase } = apiContext(req);
    const status = pipelineOf(req).statuses.find((s) => s.id === Number((req.params as Q).statusId));
    if (!status) throw problem(404, 'Status not found');
    return sendHal(reply, serialiseStatus(account, status, apiBase));
  });

  for (const type of ENTITY_TYPES) entityCatalogRoutes(app, rt, type);
}

function entityCatalogRoutes(app: FastifyInstance, rt: EmulatorRuntime, type: EntityType): void {
  app.get(`/${type}/custom_fields`, async (req, reply) => {
    const { account, apiBase } = apiContext(req);
    const query = req.query as Q;
    const filter = (query.filter ?? {}) as Q;
    const types = filter.type === undefined ? undefined : ([] as unknown[]).concat(filter.type).map(String);
    const fields = account.customFields[type].filter((f) => !types || types.includes(f.type));
    const page = paginate(fields, query, `${apiBase}/api/v4/${type}/custom_fields`, CUSTOM_FIELDS_PER_PAGE);
    if (!page) return sendEmpty(reply);
    const items = page.items.map((f) => ({
      id: f.id,
      name: f.name,
      type: f.type,
      account_id: account.id,
      code: f.code,
      sort: f.sort,
      is_api_only: f.is_api_only,
      enums: f.enums,
      group_id: null,
      required_statuses: [],
      is_deletable: !f.is_predefined,
      is_predefined: f.is_predefined,
      entity_type: f.entity_type,
      remind: null,
      tracking_callback: null,
      hidden_statuses: [],
      chained_lists: null,
      currency: null,
      _links: { self: { href: `${apiBase}/api/v4/${type}/custom_fields/${f.id}` } },
    }));
    return sendHal(reply, { _total_items: fields.length, _page: page.page, _links: page.links, _embedded: { custom_fields: items } });
  });

  app.get(`/${type}/tags`, async (req, reply) => {
    const { account, apiBase } = apiContext(req);
    const query = req.query as Q;
    const filter = (query.filter ?? {}) as Q;
    const ids = filter.id === undefined ? undefined : ([] as unknown[]).concat(filter.id).map(Number);
    const needle = typeof query.query === 'string' ? query.query.toLowerCase() : '';
    const tags = [...account.tags[type].values()].filter(
      (t) =>
        (!ids || ids.includes(t.id)) &&
        (filter.name === undefined || t.name === filter.name) &&
        (!needle || t.name.toLowerCase().includes(needle)),
    );
    const page = paginate(tags, query, `${apiBase}/api/v4/${type}/tags`);
    if (!page) return sendEmpty(reply);
    return sendHal(reply, { _page: page.page, _links: page.links, _embedded: { tags: page.items } });
  });

  app.post(`/${type}/tags`, async (req, reply) => {
    const { account, apiBase } = apiContext(req);
    const items = requireBatch(req.body);
    const errors = new ValidationErrors();
    items.forEach((item, i) => {
      if (typeof item.name !== 'string' || item.name.trim() === '') errors.add(requestIdOf(item, i), 'NotBlank', 'name');
    });
    errors.throwIfAny();
    const created = items.map((item, i) => {
      const name = (item.name as string).trim();
      const tag =
        findTagByName(account, type, name) ?? createTag(rt.store, account, type, name, typeof item.color === 'string' ? item.color : null);
      return { ...tag, request_id: requestIdOf(item, i) };
    });
    return sendHal(reply, { _links: { self: { href: `${apiBase}/api/v4/${type}/tags` } }, _embedded: { tags: created } });
  });
}

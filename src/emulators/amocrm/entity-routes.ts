// /api/v4/{leads|contacts|companies}: list, get, batch create/update, single PATCH, complex leads, notes, links.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createComplex } from './complex.js';
import { listEntities, parseWith, serialiseEntity } from './entity-read.js';
import { createEntities, updateEntities, updateOne, requireBatch, type WriteContext } from './entity-write.js';
import { addLink, ALLOWED_LINKS, linksOf, removeLink } from './links.js';
import { createNotes, serialiseNote } from './notes.js';
import { paginate, sortByOrder } from './paging.js';
import { problem, sendEmpty, sendHal, ValidationErrors } from './problem.js';
import { apiContext, type EmulatorRuntime } from './runtime.js';
import { ENTITY_TYPES, type EntityType } from './types.js';

type Q = Record<string, unknown>;

/** Runs a write with a fresh context and hands the resulting events to the webhook dispatcher. */
function write<T>(rt: EmulatorRuntime, req: FastifyRequest, fn: (ctx: WriteContext) => T): T {
  const { account, access } = apiContext(req);
  const ctx: WriteContext = { store: rt.store, account, userId: access.userId, events: [] };
  const result = fn(ctx);
  rt.webhooks.dispatch(account, ctx.events);
  return result;
}

const idParam = (req: FastifyRequest): number => {
  const id = Number((req.params as Q).id);
  if (!Number.isInteger(id) || id <= 0) throw problem(404, `Cannot ${req.method} ${req.url}`);
  return id;
};

export function entityRoutes(app: FastifyInstance, rt: EmulatorRuntime): void {
  for (const type of ENTITY_TYPES) routesFor(app, rt, type);

  app.post('/leads/complex', async (req, reply) => {
    const { access } = apiContext(req);
    const duplicateControl = rt.store.integrations.get(access.clientId)?.duplicateControl ?? false;
    const results = write(rt, req, (ctx) => createComplex(ctx, req.body, duplicateControl));
    return reply.code(200).type('application/json').send(JSON.stringify(results));
  });
}

function routesFor(app: FastifyInstance, rt: EmulatorRuntime, type: EntityType): void {
  app.get(`/${type}`, async (req, reply) => {
    const { account, apiBase } = apiContext(req);
    const query = req.query as Q;
    const page = paginate(listEntities(account, type, query), query, `${apiBase}/api/v4/${type}`);
    if (!page) return sendEmpty(reply);
    const withSet = parseWith(query);
    return sendHal(reply, {
      _page: page.page,
      _links: page.links,
      _embedded: { [type]: page.items.map((e) => serialiseEntity(account, e, apiBase, withSet)) },
    });
  });

  app.get(`/${type}/:id`, async (req, reply) => {
    const { account, apiBase } = apiContext(req);
    const entity = account.entities[type].get(idParam(req));
    if (!entity || entity.is_deleted) return sendEmpty(reply);
    return sendHal(reply, serialiseEntity(account, entity, apiBase, parseWith(req.query as Q)));
  });

  app.post(`/${type}`, async (req, reply) => {
    const { apiBase } = apiContext(req);
    const created = write(rt, req, (ctx) => createEntities(ctx, type, req.body));
    const items = (req.body as Q[]).map((item, i) => ({ item, i }));
    return sendHal(reply, {
      _links: { self: { href: `${apiBase}/api/v4/${type}` } },
      _embedded: {
        [type]: created.map((e, i) => ({
          id: e.id,
          request_id: requestIdFrom(items[i]?.item, i),
          _links: { self: { href: `${apiBase}/api/v4/${type}/${e.id}` } },
        })),
      },
    });
  });

  app.patch(`/${type}`, async (req, reply) => {
    const { apiBase } = apiContext(req);
    const updated = write(rt, req, (ctx) => updateEntities(ctx, type, req.body));
    return sendHal(reply, {
      _links: { self: { href: `${apiBase}/api/v4/${type}` } },
      _embedded: {
        [type]: updated.map(({ entity, requestId }) => ({
          id: entity.id,
          updated_at: entity.updated_at,
          request_id: requestId,
          _links: { self: { href: `${apiBase}/api/v4/${type}/${entity.id}` } },
        })),
      },
    });
  });

  app.patch(`/${type}/:id`, async (req, reply) => {
    const { apiBase } = apiContext(req);
    const entity = write(rt, req, (ctx) => updateOne(ctx, type, idParam(req), req.body));
    return sendHal(reply, {
      id: entity.id,
      updated_at: entity.updated_at,
      _links: { self: { href: `${apiBase}/api/v4/${type}/${entity.id}` } },
    });
  });

  notesRoutes(app, rt, type);
  linkRoutes(app, type);
}

const requestIdFrom = (item: Q | undefined, i: number): string =>
  item && (typeof item.request_id === 'string' || typeof item.request_id === 'number') ? String(item.request_id) : String(i);

function notesRoutes(app: FastifyInstance, rt: EmulatorRuntime, type: EntityType): void {
  const answer = (req: FastifyRequest, created: ReturnType<typeof createNotes>) => {
    const { account, apiBase } = apiContext(req);
    return {
      _links: { self: { href: `${apiBase}/api/v4/${type}/notes` } },
      _embedded: {
        notes: created.map(({ note, requestId }) => ({
          id: note.id,
          entity_id: note.entity_id,
          request_id: requestId,
          _links: serialiseNote(account.id, note, apiBase)._links,
        })),
      },
    };
  };
  app.post(`/${type}/notes`, async (req, reply) =>
    sendHal(
      reply,
      answer(
        req,
        write(rt, req, (ctx) => createNotes(ctx, type, req.body)),
      ),
    ),
  );
  app.post(`/${type}/:id/notes`, async (req, reply) =>
    sendHal(
      reply,
      answer(
        req,
        write(rt, req, (ctx) => createNotes(ctx, type, req.body, idParam(req))),
      ),
    ),
  );

  const list = (entityId?: number) => async (req: FastifyRequest, reply: import('fastify').FastifyReply) => {
    const { account, apiBase } = apiContext(req);
    const query = req.query as Q;
    const noteType = ((query.filter ?? {}) as Q).note_type;
    const types = noteType === undefined ? undefined : ([] as unknown[]).concat(noteType).map(String);
    const notes = sortByOrder(
      [...account.notes.values()].filter(
        (n) => n.entity_type === type && (entityId === undefined || n.entity_id === entityId) && (!types || types.includes(n.note_type)),
      ),
      query.order,
    );
    const page = paginate(notes, query, entityId ? `${apiBase}/api/v4/${type}/${entityId}/notes` : `${apiBase}/api/v4/${type}/notes`);
    if (!page) return sendEmpty(reply);
    return sendHal(reply, {
      _page: page.page,
      _links: page.links,
      _embedded: { notes: page.items.map((n) => serialiseNote(account.id, n, apiBase)) },
    });
  };
  app.get(`/${type}/notes`, (req, reply) => list()(req, reply));
  app.get(`/${type}/:id/notes`, (req, reply) => list(idParam(req))(req, reply));
}

function linkRoutes(app: FastifyInstance, type: EntityType): void {
  const parseLinks = (req: FastifyRequest) => {
    const { account } = apiContext(req);
    const id = idParam(req);
    if (!account.entities[type].has(id)) throw problem(404, 'Entity not found');
    const items = requireBatch(req.body);
    const errors = new ValidationErrors();
    const links = items.map((item, i) => {
      const toType = item.to_entity_type as EntityType;
      const toId = item.to_entity_id;
      if (!ALLOWED_LINKS[type].includes(toType)) errors.add(String(i), 'NotSupportedChoice', 'to_entity_type');
      else if (typeof toId !== 'number' || !account.entities[toType].has(toId)) errors.add(String(i), 'NotSupportedChoice', 'to_entity_id');
      const metadata = typeof item.metadata === 'object' && item.metadata !== null ? (item.metadata as Record<string, unknown>) : null;
      return { toType, toId: toId as number, metadata };
    });
    errors.throwIfAny();
    return { account, id, links };
  };
  const view = (req: FastifyRequest, id: number, views: ReturnType<typeof linksOf>) => ({
    _total_items: views.length,
    _links: { self: { href: `${apiContext(req).apiBase}/api/v4/${type}/${id}/links` } },
    _embedded: { links: views },
  });

  app.post(`/${type}/:id/link`, async (req, reply) => {
    const { account, id, links } = parseLinks(req);
    for (const l of links) addLink(account, type, id, l.toType, l.toId, l.metadata);
    const wanted = new Set(links.map((l) => `${l.toType}:${l.toId}`));
    return sendHal(
      reply,
      view(
        req,
        id,
        linksOf(account, type, id).filter((v) => wanted.has(`${v.to_entity_type}:${v.to_entity_id}`)),
      ),
    );
  });

  app.post(`/${type}/:id/unlink`, async (req, reply) => {
    const { account, id, links } = parseLinks(req);
    for (const l of links) removeLink(account, type, id, l.toType, l.toId);
    return sendEmpty(reply);
  });

  app.get(`/${type}/:id/links`, async (req, reply) => {
    const { account } = apiContext(req);
    const id = idParam(req);
    const filter = ((req.query as Q).filter ?? {}) as Q;
    const views = linksOf(account, type, id).filter(
      (v) =>
        (filter.to_entity_type === undefined || v.to_entity_type === filter.to_entity_type) &&
        (filter.to_entity_id === undefined || v.to_entity_id === Number(filter.to_entity_id)),
    );
    if (views.length === 0) return sendEmpty(reply);
    return sendHal(reply, view(req, id, views));
  });
}

// The typed amoCRM API of one account, on top of AmoTransport (pacing, tokens, errors). Lists are async
// iterators that treat 204 as "no more" and follow `_links.next`; writes go out in batches of up to 50.
import { AmoError } from './errors.js';
import { AMO_FACTS } from './facts.js';
import { isMarkerTag } from './reconcile.js';
import type { AmoTransport } from './transport.js';
import type {
  AmoAccountInfo,
  AmoApi,
  AmoCompany,
  AmoContact,
  AmoCustomField,
  AmoEntity,
  AmoEntityApi,
  AmoLead,
  AmoListQuery,
  AmoPipeline,
  AmoStatus,
  AmoTag,
  AmoUser,
  AmoWebhookSubscription,
  AmoWriteResult,
  ComplexLeadCreated,
  ComplexLeadInput,
  CompanyWrite,
  ContactWrite,
  AmoNote,
  LeadWrite,
  WithId,
} from './types.js';

interface HalList {
  _links?: { next?: { href?: string } };
  _embedded?: Record<string, unknown[]>;
}

export function createAmoApi(transport: AmoTransport, amoAccountId: number): AmoApi {
  const get = async <T>(path: string, query?: Record<string, unknown>) =>
    (await transport.request<T>(amoAccountId, { method: 'GET', path, ...(query ? { query } : {}), kind: 'read' })).data;

  /** Every item of a HAL list, page by page; 204 ends it. */
  async function* paged<T>(path: string, key: string, query: Record<string, unknown>): AsyncGenerator<T> {
    let next: Record<string, unknown> | string | undefined = query;
    while (next !== undefined) {
      const res: { data: HalList | undefined } = await transport.request<HalList>(amoAccountId, {
        method: 'GET',
        path,
        query: next,
        kind: 'read',
      });
      const page = res.data;
      if (!page) return;
      for (const item of page._embedded?.[key] ?? []) yield item as T;
      const href = page._links?.next?.href;
      // Only the query of `next` is used: the bearer token never goes to a host other than the account's.
      next = href ? new URL(href, 'http://placeholder').search : undefined;
    }
  }

  const collect = async <T>(it: AsyncIterable<T>) => {
    const out: T[] = [];
    for await (const x of it) out.push(x);
    return out;
  };

  function listQuery(q: AmoListQuery = {}): Record<string, unknown> {
    return {
      limit: Math.min(q.limit ?? AMO_FACTS.pageLimitMax, AMO_FACTS.pageLimitMax),
      ...(q.query !== undefined ? { query: q.query } : {}),
      ...(q.with?.length ? { with: q.with.join(',') } : {}),
      ...(q.filter ? { filter: q.filter } : {}),
      ...(q.order ? { order: q.order } : {}),
    };
  }

  async function writeBatches(
    method: 'POST' | 'PATCH',
    path: string,
    key: string,
    items: readonly object[],
    batchMax: number = AMO_FACTS.writeBatchMax,
  ): Promise<AmoWriteResult[]> {
    if (!(batchMax >= 1 && batchMax <= AMO_FACTS.writeBatchHardMax))
      throw new RangeError(`batchMax must be 1–${AMO_FACTS.writeBatchHardMax}`);
    const out: AmoWriteResult[] = [];
    for (let start = 0; start < items.length; start += batchMax) {
      const chunk = items.slice(start, start + batchMax).map((item, i) => ({ request_id: String(start + i), ...item }));
      const res = await transport.request<{ _embedded?: Record<string, Array<{ id: number; request_id?: string; updated_at?: number }>> }>(
        amoAccountId,
        {
          method,
          path,
          json: chunk,
          kind: 'write',
        },
      );
      const results = res.data?._embedded?.[key];
      if (!results) throw new AmoError('UNEXPECTED_RESPONSE', `amoCRM answered ${method} ${path} without _embedded.${key}`);
      for (const r of results)
        out.push({ id: r.id, request_id: String(r.request_id ?? ''), ...(r.updated_at !== undefined ? { updated_at: r.updated_at } : {}) });
    }
    return out;
  }

  function entityApi<R, W extends object>(entity: AmoEntity): AmoEntityApi<R, W> {
    const path = `/api/v4/${entity}`;
    return {
      list: (q) => paged<R>(path, entity, listQuery(q)),
      listAll: (q) => collect(paged<R>(path, entity, listQuery(q))),
      async get(id, withRelated) {
        try {
          return await get<R>(`${path}/${id}`, withRelated?.length ? { with: withRelated.join(',') } : undefined);
        } catch (err) {
          if (err instanceof AmoError && err.code === 'NOT_FOUND') return undefined;
          throw err;
        }
      },
      create: (items, opts) => writeBatches('POST', path, entity, items, opts?.batchMax),
      update: (items: ReadonlyArray<WithId<W>>, opts) => writeBatches('PATCH', path, entity, items, opts?.batchMax),
    };
  }

  return {
    amoAccountId,
    async account(withRelated) {
      const data = await get<AmoAccountInfo>('/api/v4/account', withRelated?.length ? { with: withRelated.join(',') } : undefined);
      if (!data) throw new AmoError('UNEXPECTED_RESPONSE', 'amoCRM answered /api/v4/account without a body');
      return data;
    },
    users: () => collect(paged<AmoUser>('/api/v4/users', 'users', { limit: AMO_FACTS.pageLimitMax })),
    async pipelines() {
      const raw = await collect(
        paged<Omit<AmoPipeline, 'statuses'> & { _embedded?: { statuses?: AmoStatus[] } }>('/api/v4/leads/pipelines', 'pipelines', {}),
      );
      return raw.map(({ _embedded, ...p }) => ({ ...p, statuses: _embedded?.statuses ?? [] }));
    },
    customFields: (entity) => collect(paged<AmoCustomField>(`/api/v4/${entity}/custom_fields`, 'custom_fields', { limit: 50 })),
    // The hub's marker tags (one per complex lead, reconcile.ts) are bookkeeping: no caller should offer them to users.
    tags: async (entity) =>
      (await collect(paged<AmoTag>(`/api/v4/${entity}/tags`, 'tags', { limit: AMO_FACTS.pageLimitMax }))).filter(
        (t) => !isMarkerTag(t.name),
      ),
    leads: entityApi<AmoLead, LeadWrite>('leads'),
    contacts: entityApi<AmoContact, ContactWrite>('contacts'),
    companies: entityApi<AmoCompany, CompanyWrite>('companies'),
    async complex(items: readonly ComplexLeadInput[]) {
      if (items.length > AMO_FACTS.complexBatchMax)
        throw new RangeError(`/leads/complex takes at most ${AMO_FACTS.complexBatchMax} items, got ${items.length}`);
      if (items.length === 0) return [];
      const body = items.map((item, i) => ({ ...item, request_id: String(i) }));
      const res = await transport.request<ComplexLeadCreated[]>(amoAccountId, {
        method: 'POST',
        path: '/api/v4/leads/complex',
        json: body,
        kind: 'write',
      });
      if (!Array.isArray(res.data)) throw new AmoError('UNEXPECTED_RESPONSE', 'amoCRM answered /leads/complex without a result array');
      return res.data.map((r) => ({ ...r, request_id: (Array.isArray(r.request_id) ? r.request_id : [r.request_id]).map(String) }));
    },
    notes: {
      async add(entity, notes, opts) {
        return writeBatches('POST', `/api/v4/${entity}/notes`, 'notes', notes, opts?.batchMax);
      },
      async recent(entity, entityId, opts) {
        const limit = Math.min(AMO_FACTS.pageLimitMax, opts?.limit ?? 50);
        const filter = opts?.noteType ? { filter: { note_type: opts.noteType } } : {};
        const page = await get<HalList>(`/api/v4/${entity}/${entityId}/notes`, { limit, order: { id: 'desc' }, ...filter });
        return (page?._embedded?.notes ?? []) as AmoNote[];
      },
    },
    links: {
      async link(entity, id, links) {
        await transport.request(amoAccountId, { method: 'POST', path: `/api/v4/${entity}/${id}/link`, json: links, kind: 'write' });
      },
    },
    webhooks: {
      async list(destination) {
        const page = await get<HalList>('/api/v4/webhooks', destination ? { filter: { destination } } : undefined);
        return (page?._embedded?.webhooks ?? []) as AmoWebhookSubscription[];
      },
      // Subscribing the same destination again only replaces its events, so a retried subscribe is harmless.
      async subscribe(destination, settings, opts) {
        const res = await transport.request<AmoWebhookSubscription>(amoAccountId, {
          method: 'POST',
          path: '/api/v4/webhooks',
          json: { destination, settings, ...(opts?.sort !== undefined ? { sort: opts.sort } : {}) },
          kind: 'write',
        });
        if (!res.data || typeof res.data.id !== 'number')
          throw new AmoError('UNEXPECTED_RESPONSE', 'amoCRM answered POST /api/v4/webhooks without the webhook');
        return res.data;
      },
      async unsubscribe(destination) {
        try {
          await transport.request(amoAccountId, { method: 'DELETE', path: '/api/v4/webhooks', json: { destination }, kind: 'write' });
          return true;
        } catch (err) {
          if (err instanceof AmoError && err.code === 'NOT_FOUND') return false;
          throw err;
        }
      },
    },
  };
}

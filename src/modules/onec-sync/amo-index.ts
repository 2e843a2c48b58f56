// The hub's own index of each account's contacts and companies (onec_sync_match_keys): filled once by a paged
// read of amoCRM (250 per page, so 10,000 contacts cost 40 requests), then kept fresh by the hub's own writes and
// by amoCRM's webhooks. Matching a 1C counterparty by phone, e-mail or ИНН reads only this table.
import type { AmoConnector } from '../../connectors/amocrm/index.js';
import type { Hub } from '../../platform/hub.js';
import { keysFromAmo, type MatchKey } from './match-keys.js';

export type IndexedEntity = 'contacts' | 'companies';
const ENTITIES: readonly IndexedEntity[] = ['contacts', 'companies'];
/** Rows per insert statement while loading (each row is 6 parameters). */
const INSERT_CHUNK = 1000;

export class AmoIndex {
  /** Loads under way in this process, so concurrent first calls share one. */
  readonly #loading = new Map<string, Promise<void>>();
  /** Accounts known to be loaded (a loaded index never becomes unloaded, except by reload). */
  readonly #loaded = new Set<string>();

  constructor(
    private readonly hub: Hub,
    private readonly amo: () => AmoConnector,
  ) {}

  /** Fills the account's index unless it was filled already (by this or another process). */
  async ensureLoaded(key: string): Promise<void> {
    if (this.#loaded.has(key)) return;
    const [row] = await this.hub.database.query<{ loaded_at: Date | null }>(
      'select loaded_at from onec_sync_index_state where account_key = $1',
      [key],
    );
    if (row?.loaded_at) {
      this.#loaded.add(key);
      return;
    }
    let loading = this.#loading.get(key);
    if (!loading) {
      loading = this.#load(key).finally(() => this.#loading.delete(key));
      this.#loading.set(key, loading);
    }
    await loading;
  }

  /** Reads every contact and company again (operators, after a long webhook outage). */
  async reload(key: string): Promise<{ contacts: number; companies: number }> {
    this.#loaded.delete(key);
    await this.hub.database.query('update onec_sync_index_state set loaded_at = null where account_key = $1', [key]);
    await this.ensureLoaded(key);
    return this.state(key).then((s) => ({ contacts: s?.contacts ?? 0, companies: s?.companies ?? 0 }));
  }

  async state(key: string): Promise<{ loadedAt: string | null; contacts: number; companies: number } | undefined> {
    const [row] = await this.hub.database.query<{ loaded_at: Date | string | null; contacts: number; companies: number }>(
      'select loaded_at, contacts, companies from onec_sync_index_state where account_key = $1',
      [key],
    );
    return (
      row && {
        loadedAt: row.loaded_at === null ? null : new Date(row.loaded_at).toISOString(),
        contacts: row.contacts,
        companies: row.companies,
      }
    );
  }

  async #load(key: string): Promise<void> {
    const api = this.amo().api(Number(key));
    const counts: Record<IndexedEntity, number> = { contacts: 0, companies: 0 };
    for (const entity of ENTITIES) {
      let rows: Row[] = [];
      const list = entity === 'contacts' ? api.contacts.list({ limit: 250 }) : api.companies.list({ limit: 250 });
      for await (const e of list) {
        counts[entity]++;
        for (const k of keysFromAmo(entity, e.custom_fields_values)) rows.push({ entity, amoId: e.id, ...k });
        if (rows.length >= INSERT_CHUNK) {
          await this.#insert(key, rows);
          rows = [];
        }
      }
      await this.#insert(key, rows);
    }
    await this.hub.database.query(
      `insert into onec_sync_index_state (account_key, loaded_at, contacts, companies) values ($1, now(), $2, $3)
       on conflict (account_key) do update set loaded_at = now(), contacts = excluded.contacts, companies = excluded.companies`,
      [key, counts.contacts, counts.companies],
    );
    this.#loaded.add(key);
    this.hub.log.info({ account: key, ...counts }, '1C sync: amoCRM index loaded');
  }

  /**
   * The entity matching any of the keys: keys are tried in the order given (the caller puts the strongest first),
   * and among several entities with the same key the oldest (smallest id) wins.
   */
  async lookup(key: string, entity: IndexedEntity, keys: readonly MatchKey[]): Promise<number | undefined> {
    if (keys.length === 0) return undefined;
    const rows = await this.hub.database.query<{ kind: string; value: string; amo_id: string | number }>(
      `select kind, value, min(amo_id) as amo_id from onec_sync_match_keys
       where account_key = $1 and entity = $2 and (kind, value) in (select * from unnest($3::text[], $4::text[]))
       group by kind, value`,
      [key, entity, keys.map((k) => k.kind), keys.map((k) => k.value)],
    );
    for (const k of keys) {
      const hit = rows.find((r) => r.kind === k.kind && r.value === k.value);
      if (hit) return Number(hit.amo_id);
    }
    return undefined;
  }

  /** The keys the index holds for one entity (to merge a phone into its existing ones on an update). */
  async keysOf(key: string, entity: IndexedEntity, amoId: number): Promise<MatchKey[]> {
    const rows = await this.hub.database.query<{ kind: MatchKey['kind']; value: string; raw: string }>(
      'select kind, value, raw from onec_sync_match_keys where account_key = $1 and entity = $2 and amo_id = $3 order by kind, value',
      [key, entity, amoId],
    );
    return rows;
  }

  /** Adds keys to an entity (the hub wrote them into amoCRM). */
  async add(key: string, entity: IndexedEntity, amoId: number, keys: readonly MatchKey[]): Promise<void> {
    await this.#insert(
      key,
      keys.map((k) => ({ entity, amoId, ...k })),
    );
  }

  /** Replaces an entity's keys with what amoCRM now holds (a webhook, or a re-read). */
  async apply(key: string, entity: IndexedEntity, amoId: number, fields: Parameters<typeof keysFromAmo>[1]): Promise<void> {
    await this.forget(key, entity, amoId);
    await this.add(key, entity, amoId, keysFromAmo(entity, fields));
  }

  /** The entity was deleted (or is about to be re-applied). */
  async forget(key: string, entity: IndexedEntity, amoId: number): Promise<void> {
    await this.hub.database.query('delete from onec_sync_match_keys where account_key = $1 and entity = $2 and amo_id = $3', [
      key,
      entity,
      amoId,
    ]);
  }

  async #insert(key: string, rows: readonly Row[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      await this.hub.database.query(
        `insert into onec_sync_match_keys (account_key, entity, kind, value, amo_id, raw)
         select $1, * from unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[])
         on conflict do nothing`,
        [
          key,
          chunk.map((r) => r.entity),
          chunk.map((r) => r.kind),
          chunk.map((r) => r.value),
          chunk.map((r) => r.amoId),
          chunk.map((r) => r.raw),
        ],
      );
    }
  }
}

interface Row extends MatchKey {
  readonly entity: IndexedEntity;
  readonly amoId: number;
}

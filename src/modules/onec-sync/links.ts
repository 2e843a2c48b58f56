// The pairs "1C record ↔ amoCRM entity" of each base (onec_sync_links). Both directions write them: a sync from
// 1C after creating or finding the entity, a push to 1C after 1C answered with its id_1c and link.
import type { Hub } from '../../platform/hub.js';
import type { MappedEntity } from './bases.js';

export interface LinkRow {
  readonly id1c: string;
  readonly amoId: number;
  readonly link: string | null;
  readonly amoUpdatedAt: number | null;
}

export class LinkService {
  constructor(private readonly hub: Hub) {}

  async byId1c(key: string, idBase: string, entity: MappedEntity, id1c: string): Promise<LinkRow | undefined> {
    const [row] = await this.hub.database.query<{
      id_1c: string;
      amo_id: string | number;
      link: string | null;
      amo_updated_at: string | number | null;
    }>(
      `select id_1c, amo_id, link, amo_updated_at from onec_sync_links
       where account_key = $1 and id_base = $2 and entity = $3 and id_1c = $4`,
      [key, idBase, entity, id1c],
    );
    return row && toLink(row);
  }

  /** The 1C records an amoCRM entity is linked to, one per base at most (every base of the account). */
  async byAmoId(key: string, entity: MappedEntity, amoId: number): Promise<Array<LinkRow & { idBase: string }>> {
    const rows = await this.hub.database.query<{
      id_base: string;
      id_1c: string;
      amo_id: string | number;
      link: string | null;
      amo_updated_at: string | number | null;
    }>(
      `select id_base, id_1c, amo_id, link, amo_updated_at from onec_sync_links
       where account_key = $1 and entity = $2 and amo_id = $3 order by id_base`,
      [key, entity, amoId],
    );
    return rows.map((r) => ({ ...toLink(r), idBase: r.id_base }));
  }

  /** Stores (or moves) a pair; `amoUpdatedAt` is the stamp of the hub's own write, when it made one. */
  async save(
    key: string,
    idBase: string,
    entity: MappedEntity,
    pair: { id1c: string; amoId: number; link?: string | null; amoUpdatedAt?: number | null },
  ): Promise<void> {
    await this.hub.database.query(
      `insert into onec_sync_links (account_key, id_base, entity, id_1c, amo_id, link, amo_updated_at)
       values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (account_key, id_base, entity, id_1c) do update set amo_id = excluded.amo_id,
         link = coalesce(excluded.link, onec_sync_links.link),
         amo_updated_at = coalesce(excluded.amo_updated_at, onec_sync_links.amo_updated_at), updated_at = now()`,
      [key, idBase, entity, pair.id1c, pair.amoId, pair.link ?? null, pair.amoUpdatedAt ?? null],
    );
  }

  /** Records the stamp of the hub's own write of an entity (for every link it has): its webhook echo is ignored. */
  async stamp(key: string, entity: MappedEntity, amoId: number, amoUpdatedAt: number): Promise<void> {
    await this.hub.database.query(
      `update onec_sync_links set amo_updated_at = greatest(coalesce(amo_updated_at, 0), $4)
       where account_key = $1 and entity = $2 and amo_id = $3`,
      [key, entity, amoId, amoUpdatedAt],
    );
  }
}

const toLink = (r: { id_1c: string; amo_id: string | number; link: string | null; amo_updated_at: string | number | null }): LinkRow => ({
  id1c: r.id_1c,
  amoId: Number(r.amo_id),
  link: r.link,
  amoUpdatedAt: r.amo_updated_at === null ? null : Number(r.amo_updated_at),
});

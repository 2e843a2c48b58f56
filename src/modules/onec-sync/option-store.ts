// Reading and writing a base's BaseOptions (options.ts) in onec_sync_bases.options.
import type { Hub } from '../../platform/hub.js';
import { onecError } from './errors.js';
import type { BaseOptions } from './options.js';

export class OptionStore {
  constructor(private readonly hub: Hub) {}

  /** The options of one base; BASE_NOT_FOUND when the base is not registered. */
  async get(key: string, idBase: string): Promise<BaseOptions> {
    const [row] = await this.hub.database.query<{ options: BaseOptions }>(
      'select options from onec_sync_bases where account_key = $1 and id_base = $2',
      [key, idBase],
    );
    if (!row) throw onecError('BASE_NOT_FOUND');
    return row.options ?? {};
  }

  /** Replaces the options of a base (validated by the route's schema). */
  async set(key: string, idBase: string, options: BaseOptions): Promise<BaseOptions> {
    const rows = await this.hub.database.query(
      'update onec_sync_bases set options = $3::jsonb, updated_at = now() where account_key = $1 and id_base = $2 returning 1',
      [key, idBase, JSON.stringify(options)],
    );
    if (rows.length === 0) throw onecError('BASE_NOT_FOUND');
    return options;
  }

  /** Every base of an account with its options (what a webhook fans out to). */
  async bases(key: string): Promise<Array<{ idBase: string; options: BaseOptions }>> {
    const rows = await this.hub.database.query<{ id_base: string; options: BaseOptions | null }>(
      'select id_base, options from onec_sync_bases where account_key = $1 order by id_base',
      [key],
    );
    return rows.map((r) => ({ idBase: r.id_base, options: r.options ?? {} }));
  }
}

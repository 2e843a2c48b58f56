// Versioned packages of 1C handlers. A base (key, id_base) reads its own newest package when it has one, else the
// newest global default (account_key = id_base = ''). Every new package takes the next number of one sequence over
// all packages, so whichever package a base gets, its version only grows and 1C's "newer than mine?" check holds.
import type { Hub } from '../../platform/hub.js';
import { onecError } from './errors.js';

export interface HandlerPackage {
  readonly version: number;
  readonly handlers: unknown;
}

const GLOBAL = '';

/** What jsonb cannot hold: U+0000 and lone surrogates (JSON.stringify writes them as \\u escapes PostgreSQL refuses). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const unstorable = (s: string) => s.includes('\u0000') || LONE_SURROGATE.test(s);

/** The package as jsonb text; a key or string jsonb cannot hold is refused as a 400, not a 500 from the database. */
function jsonbText(value: unknown): string {
  let bad = false;
  const text = JSON.stringify(value, (k, v: unknown) => {
    if (unstorable(k) || (typeof v === 'string' && unstorable(v))) bad = true;
    return v;
  });
  if (bad) throw onecError('BAD_HANDLERS');
  return text;
}

export class HandlerService {
  constructor(private readonly hub: Hub) {}

  /** Publishes the next version for a base, or for everyone when key and idBase are omitted (the global default). */
  async publish(handlers: unknown, key = GLOBAL, idBase = GLOBAL): Promise<{ version: number }> {
    const text = jsonbText(handlers);
    // Publishers racing for the same number: the unique index refuses all but one, and each refused one takes the
    // next free number (bounded: publishing is an operator's or a release's act, never a flood).
    for (let attempt = 0; ; attempt++) {
      try {
        const [row] = await this.hub.database.query<{ version: number }>(
          `insert into onec_sync_handlers (account_key, id_base, version, handlers)
           select $1, $2, coalesce(max(version), 0) + 1, $3::jsonb from onec_sync_handlers returning version`,
          [key, idBase, text],
        );
        return { version: row!.version };
      } catch (err) {
        if ((err as { code?: string }).code !== '23505' || attempt >= 19) throw err;
      }
    }
  }

  /** The package a base should run: its own newest, else the global default's newest. */
  async actual(key: string, idBase: string): Promise<HandlerPackage> {
    const [row] = await this.hub.database.query<{ version: number; handlers: unknown }>(
      `select version, handlers from onec_sync_handlers
       where (account_key = $1 and id_base = $2) or (account_key = '' and id_base = '')
       order by (account_key = '') asc, version desc limit 1`,
      [key, idBase],
    );
    if (!row) throw onecError('HANDLERS_NOT_FOUND');
    return { version: row.version, handlers: row.handlers };
  }

  /** Every package's scope and version, newest first (for the operator; bodies stay out). */
  async list(): Promise<Array<{ key: string | null; id_base: string | null; version: number; created_at: string }>> {
    const rows = await this.hub.database.query<{ account_key: string; id_base: string; version: number; created_at: Date | string }>(
      'select account_key, id_base, version, created_at from onec_sync_handlers order by version desc limit 500',
    );
    return rows.map((r) => ({
      key: r.account_key || null,
      id_base: r.id_base || null,
      version: r.version,
      created_at: new Date(r.created_at).toISOString(),
    }));
  }
}

// 1C bases and their field-correspondence tables. A base is saved by 1C's POST /onec/sync/base: its addresses
// are refused when they are not http(s) or point into the hub's own network (SSRF; OUTBOUND_ALLOW_HOSTS lets a
// known private 1C server in), its password is sealed, and the connection is checked with get_handlers_version
// through `checkBase` (base-check.ts by default; tests may inject another) before anything is stored.
import type { Hub } from '../../platform/hub.js';
import { assertTargetAllowed, HostLookupError, SsrfBlockedError, type ResolveAll } from '../../platform/outbound/ssrf.js';
import { onecError } from './errors.js';

export type MappedEntity = 'contacts' | 'companies' | 'leads';

export interface OnecBase {
  readonly key: string;
  readonly idBase: string;
  readonly webAddress: string;
  readonly urlAddress: string;
  readonly login: string;
  readonly password: string;
}

/**
 * The connection check of a base being saved: base-check.ts calls its get_handlers_version through the 1C
 * connector (tests may inject another). Absent: the base is stored unchecked (checked_at stays null); a
 * `{ ok: false }` answer refuses the base with the reason.
 */
export type CheckBase = (base: OnecBase) => Promise<{ ok: true } | { ok: false; reason: string }>;

export interface BaseView {
  readonly key: string;
  readonly id_base: string;
  readonly web_address: string;
  readonly url_address: string;
  readonly login: string;
  readonly checked_at: string | null;
  readonly updated_at: string;
  readonly fields: Record<MappedEntity, Record<string, number | string> | null>;
}

const sealContext = (key: string, idBase: string) => `onec_sync_bases:${key}:${idBase}`;

/** What follows a stored change (outbound.ts: subscribe the account's webhook, push the corr_table to 1C). */
export interface BaseHooks {
  saved?(key: string, idBase: string): Promise<void>;
  fieldsSaved?(key: string, idBase: string, entity: MappedEntity): Promise<void>;
}

export class BaseService {
  constructor(
    private readonly hub: Hub,
    private readonly checkBase?: CheckBase,
    private readonly resolve?: ResolveAll,
    private readonly hooks: BaseHooks = {},
  ) {}

  async save(base: OnecBase): Promise<{ checked: boolean }> {
    for (const address of [base.webAddress, base.urlAddress]) await this.#assertAddress(address);
    let checked = false;
    if (this.checkBase) {
      const result = await this.checkBase(base);
      if (!result.ok) throw onecError('BASE_CHECK_FAILED', `Не удалось проверить соединение с 1С: ${result.reason}`);
      checked = true;
    }
    await this.hub.database.query(
      `insert into onec_sync_bases (account_key, id_base, web_address, url_address, login, password_sealed, checked_at)
       values ($1, $2, $3, $4, $5, $6, case when $7::boolean then now() end)
       on conflict (account_key, id_base) do update set web_address = excluded.web_address, url_address = excluded.url_address,
         login = excluded.login, password_sealed = excluded.password_sealed, checked_at = excluded.checked_at, updated_at = now()`,
      [
        base.key,
        base.idBase,
        base.webAddress,
        base.urlAddress,
        base.login,
        this.hub.secrets.encrypt(base.password, sealContext(base.key, base.idBase)),
        checked,
      ],
    );
    await this.hooks.saved?.(base.key, base.idBase);
    return { checked };
  }

  /** The stored base with its password opened (for the 1C connector), or undefined. */
  async credentials(key: string, idBase: string): Promise<OnecBase | undefined> {
    const [row] = await this.hub.database.query<{ web_address: string; url_address: string; login: string; password_sealed: string }>(
      'select web_address, url_address, login, password_sealed from onec_sync_bases where account_key = $1 and id_base = $2',
      [key, idBase],
    );
    if (!row) return undefined;
    return {
      key,
      idBase,
      webAddress: row.web_address,
      urlAddress: row.url_address,
      login: row.login,
      password: this.hub.secrets.decrypt(row.password_sealed, sealContext(key, idBase)),
    };
  }

  async exists(key: string, idBase: string): Promise<boolean> {
    const rows = await this.hub.database.query('select 1 from onec_sync_bases where account_key = $1 and id_base = $2', [key, idBase]);
    return rows.length > 0;
  }

  /** Replaces one entity's field-correspondence table of a registered base. */
  async saveFields(key: string, idBase: string, entity: MappedEntity, fields: Record<string, number | string>): Promise<void> {
    const rows = await this.hub.database.query(
      `insert into onec_sync_field_maps (account_key, id_base, entity, fields)
       select $1, $2, $3, $4::jsonb where exists (select 1 from onec_sync_bases where account_key = $1 and id_base = $2)
       on conflict (account_key, id_base, entity) do update set fields = excluded.fields, updated_at = now()
       returning 1`,
      [key, idBase, entity, JSON.stringify(fields)],
    );
    if (rows.length === 0) throw onecError('BASE_NOT_FOUND');
    await this.hooks.fieldsSaved?.(key, idBase, entity);
  }

  /** One entity's table (null when 1C never sent it): what every sync of that entity reads. */
  async fields(key: string, idBase: string, entity: MappedEntity): Promise<Record<string, number | string> | null> {
    const [row] = await this.hub.database.query<{ fields: Record<string, number | string> }>(
      'select fields from onec_sync_field_maps where account_key = $1 and id_base = $2 and entity = $3',
      [key, idBase, entity],
    );
    return row?.fields ?? null;
  }

  async list(key?: string): Promise<BaseView[]> {
    const rows = await this.hub.database.query<{
      account_key: string;
      id_base: string;
      web_address: string;
      url_address: string;
      login: string;
      checked_at: Date | string | null;
      updated_at: Date | string;
      maps: Array<{ entity: MappedEntity; fields: Record<string, number | string> }> | null;
    }>(
      `select b.account_key, b.id_base, b.web_address, b.url_address, b.login, b.checked_at, b.updated_at,
         (select json_agg(json_build_object('entity', m.entity, 'fields', m.fields)) from onec_sync_field_maps m
           where m.account_key = b.account_key and m.id_base = b.id_base) as maps
       from onec_sync_bases b where $1::text is null or b.account_key = $1 order by b.account_key, b.id_base`,
      [key ?? null],
    );
    return rows.map((r) => {
      const fields: BaseView['fields'] = { contacts: null, companies: null, leads: null };
      for (const m of r.maps ?? []) fields[m.entity] = m.fields;
      return {
        key: r.account_key,
        id_base: r.id_base,
        web_address: r.web_address,
        url_address: r.url_address,
        login: r.login,
        checked_at: r.checked_at === null ? null : new Date(r.checked_at).toISOString(),
        updated_at: new Date(r.updated_at).toISOString(),
        fields,
      };
    });
  }

  async #assertAddress(address: string): Promise<void> {
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      throw onecError('BAD_ADDRESS', `Адрес «${address.slice(0, 200)}» не является ссылкой http:// или https://`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw onecError('BAD_ADDRESS');
    try {
      await assertTargetAllowed(url, this.hub.config.outbound.allowHosts, this.resolve);
    } catch (err) {
      if (err instanceof SsrfBlockedError)
        throw onecError(
          'ADDRESS_FORBIDDEN',
          `Адрес ${url.host} указывает на внутреннюю или локальную сеть; разрешите его в OUTBOUND_ALLOW_HOSTS`,
        );
      if (err instanceof HostLookupError) throw onecError('ADDRESS_UNRESOLVED', `Имя сервера ${url.hostname} не найдено`);
      throw err;
    }
  }
}

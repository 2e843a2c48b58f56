// The 1C base the customs module talks to, one per amoCRM account (the account a caller's token is bound to):
// id_base, web_address, the HTTP Basic login and the password — sealed with hub.secrets bound to the account id,
// because the hub must send it to 1C, and never returned by get/set/remove. The address is checked with the 1C
// connector's checkTarget (http(s), no login in the URL, not the hub's own network) before anything is stored.
import type { Hub } from '../../platform/hub.js';
import type { OnecConnector, OnecTarget } from '../../connectors/onec/index.js';
import { isOnecError } from '../../connectors/onec/index.js';
import { customsError } from './errors.js';

export interface OnecBaseInput {
  readonly idBase: string;
  readonly webAddress: string;
  readonly login: string;
  readonly password: string;
}

/** What operators see: everything but the password. */
export interface OnecBaseView {
  readonly amo_account_id: number;
  readonly id_base: string;
  readonly web_address: string;
  readonly login: string;
  readonly updated_at: string;
}

interface Row {
  amo_account_id: number | string;
  id_base: string;
  web_address: string;
  login: string;
  password_sealed: string;
  updated_at: Date | string;
}

const sealContext = (accountId: number) => `customs_onec_bases:${accountId}`;
const COLUMNS = 'amo_account_id, id_base, web_address, login, password_sealed, updated_at';

const view = (r: Row): OnecBaseView => ({
  amo_account_id: Number(r.amo_account_id),
  id_base: r.id_base,
  web_address: r.web_address,
  login: r.login,
  updated_at: new Date(r.updated_at).toISOString(),
});

export class OnecBaseService {
  /** `assertAccount` refuses an account not connected for customs (amo-account.ts): a base for a typo'd id helps nobody. */
  constructor(
    private readonly hub: Hub,
    private readonly onec: Pick<OnecConnector, 'checkTarget'>,
    private readonly assertAccount: (accountId: number) => Promise<void> = async () => undefined,
  ) {}

  /** Saves (or replaces) the account's base; ONEC_ADDRESS_REFUSED when the connector refuses its address. */
  async set(accountId: number, input: OnecBaseInput): Promise<OnecBaseView> {
    await this.assertAccount(accountId);
    try {
      await this.onec.checkTarget(input.webAddress);
    } catch (err) {
      if (isOnecError(err)) throw customsError('ONEC_ADDRESS_REFUSED', `Адрес базы 1С не принят: ${err.message}`);
      throw err;
    }
    const [row] = await this.hub.database.query<Row>(
      `insert into customs_onec_bases (amo_account_id, id_base, web_address, login, password_sealed)
       values ($1, $2, $3, $4, $5)
       on conflict (amo_account_id) do update set id_base = excluded.id_base, web_address = excluded.web_address,
         login = excluded.login, password_sealed = excluded.password_sealed, updated_at = now()
       returning ${COLUMNS}`,
      [accountId, input.idBase, input.webAddress, input.login, this.hub.secrets.encrypt(input.password, sealContext(accountId))],
    );
    return view(row!);
  }

  async get(accountId: number): Promise<OnecBaseView> {
    return view(await this.#row(accountId));
  }

  async remove(accountId: number): Promise<OnecBaseView> {
    const [row] = await this.hub.database.query<Row>(`delete from customs_onec_bases where amo_account_id = $1 returning ${COLUMNS}`, [
      accountId,
    ]);
    if (!row) throw customsError('ONEC_BASE_NOT_SET');
    return view(row);
  }

  /** What the 1C connector needs to call the account's base (the password unsealed). */
  async target(accountId: number): Promise<OnecTarget> {
    const r = await this.#row(accountId);
    return {
      key: accountId,
      idBase: r.id_base,
      webAddress: r.web_address,
      login: r.login,
      password: this.hub.secrets.decrypt(r.password_sealed, sealContext(accountId)),
    };
  }

  async #row(accountId: number): Promise<Row> {
    const [row] = await this.hub.database.query<Row>(`select ${COLUMNS} from customs_onec_bases where amo_account_id = $1`, [accountId]);
    if (!row) throw customsError('ONEC_BASE_NOT_SET');
    return row;
  }
}

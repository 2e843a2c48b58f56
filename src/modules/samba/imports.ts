// Imports of the records 1C would own and the seed only reads: customers (юр. лица), placements and acts, from CSV
// or XLSX (import-table.ts). Each row goes through the same service as the admin API's JSON (so the same checks and
// messages); a row that fails is reported with its line and the rest are imported. Importing a file again changes
// nothing: a customer is its ИНН+КПП, a placement its campaign+name, an act its campaign+placement+document — an
// existing one is updated when its values differ and counted unchanged when they do not.
import type { Hub } from '../../platform/hub.js';
import { HubError } from '../../platform/http/errors.js';
import { readTable, type TableRow } from './import-table.js';
import type { Services } from './services.js';
import { checkTaxIds, given, toKopecks } from './values.js';
import * as S from './store.js';

export const IMPORT_KINDS = ['customers', 'placements', 'acts'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export type Outcome = 'created' | 'updated' | 'unchanged';

export interface TableImportReport {
  readonly kind: ImportKind;
  readonly rows: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly rejected: Array<{ line: number; message: string }>;
}

const RK = { uuid_rk: ['uuid_rk', 'uuid рк', 'uuid'], rk_id: ['rk_id', 'рк', 'номер рк'] };
const PLACEMENT = ['placement', 'размещение'];
const AMOUNT = ['amount', 'сумма'];
const COLUMNS: Record<ImportKind, Record<string, readonly string[]>> = {
  customers: {
    inn: ['inn', 'инн'],
    kpp: ['kpp', 'кпп'],
    name: ['name', 'наименование'],
    fullName: ['fullname', 'full_name', 'полное наименование'],
  },
  placements: { ...RK, placement: PLACEMENT, amount: AMOUNT },
  acts: { ...RK, placement: PLACEMENT, document: ['document', 'документ'], amount: AMOUNT },
};
const REQUIRED: Record<ImportKind, readonly string[]> = {
  customers: ['inn', 'name'],
  placements: ['placement', 'amount'],
  acts: ['placement', 'document', 'amount'],
};

/** Called as rows are done: after each tenth of the file (and each row of a short one). */
export type Progress = (done: number, total: number) => void;

export class TableImportService {
  constructor(
    private readonly hub: Hub,
    private readonly s: Services,
  ) {}

  async import(kind: ImportKind, bytes: Uint8Array, progress: Progress = () => {}): Promise<TableImportReport> {
    const rows = await readTable(bytes, COLUMNS[kind], REQUIRED[kind]);
    const counts: Record<Outcome, number> = { created: 0, updated: 0, unchanged: 0 };
    const rejected: Array<{ line: number; message: string }> = [];
    const step = Math.max(1, Math.ceil(rows.length / 10));
    for (const [i, row] of rows.entries()) {
      try {
        counts[await this.#row(kind, row)] += 1;
      } catch (err) {
        // The catalogue's 4xx are the row's problem (a bad ИНН, an unknown campaign); anything else is the hub's.
        if (!(err instanceof HubError) || err.status >= 500) throw err;
        rejected.push({ line: row.line, message: err.message });
      }
      if ((i + 1) % step === 0 || i + 1 === rows.length) progress(i + 1, rows.length);
    }
    return { kind, rows: rows.length, ...counts, rejected };
  }

  #row(kind: ImportKind, row: TableRow): Promise<Outcome> {
    const c = row.cells;
    if (kind === 'customers') return this.#customer(c);
    if (kind === 'placements') return this.#placement(c);
    return this.#act(c);
  }

  async #customer(c: Record<string, string>): Promise<Outcome> {
    const b = { inn: c.inn, kpp: c.kpp ?? '', name: c.name, fullName: c.fullName };
    S.required(b, 'inn', 'name');
    checkTaxIds(b);
    const [found] = await this.hub.database.query<{ uuid: string; name: string; full_name: string }>(
      `select uuid, name, full_name from samba_customers where inn = $1 and kpp = $2`,
      [b.inn, b.kpp],
    );
    if (!found) {
      await this.s.customers.create(b);
      return 'created';
    }
    // A file without «Полное наименование» keeps the one entered before.
    const fullName = given(b.fullName) ? b.fullName : found.full_name;
    if (found.name === b.name && found.full_name === fullName) return 'unchanged';
    await this.s.customers.update({ uuid: found.uuid, name: b.name, fullName });
    return 'updated';
  }

  async #placement(c: Record<string, string>): Promise<Outcome> {
    S.required(c, 'placement', 'amount');
    const campaign = await this.s.campaigns.resolve({ uuid: c.uuid_rk, rk_id: c.rk_id }, ['uuid_rk', 'rk_id']);
    const kop = toKopecks(c.amount!, 'amount');
    const [found] = await this.hub.database.query<{ amount_kop: number }>(
      `select amount_kop from samba_placements where campaign_uuid = $1 and placement = $2`,
      [campaign.uuid, c.placement],
    );
    if (found && Number(found.amount_kop) === kop) return 'unchanged';
    await this.s.acts.addPlacement({ uuid_rk: campaign.uuid, placement: c.placement!, amount: c.amount! });
    return found ? 'updated' : 'created';
  }

  async #act(c: Record<string, string>): Promise<Outcome> {
    S.required(c, 'placement', 'document', 'amount');
    const campaign = await this.s.campaigns.resolve({ uuid: c.uuid_rk, rk_id: c.rk_id }, ['uuid_rk', 'rk_id']);
    const kop = toKopecks(c.amount!, 'amount', { allowNegative: true });
    const [found] = await this.hub.database.query<{ amount_kop: number }>(
      `select amount_kop from samba_acts where campaign_uuid = $1 and placement = $2 and document = $3`,
      [campaign.uuid, c.placement, c.document],
    );
    if (found && Number(found.amount_kop) === kop) return 'unchanged';
    await this.s.acts.addAct({ uuid_rk: campaign.uuid, placement: c.placement!, document: c.document!, amount: c.amount! });
    return found ? 'updated' : 'created';
  }
}

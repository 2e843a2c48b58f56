// Per-account status mappings: what a status of a kind does to the amoCRM lead (stage, fields, note). Saved through
// the operator API, checked against the account itself before they are kept — the stage must exist in the pipeline,
// each field on leads, each {placeholder} in the kind — so a typo is a 400 at set-up, not a silent no-op at 3 a.m.
import type { AmoConnector } from '../../connectors/amocrm/index.js';
import type { Hub } from '../../platform/hub.js';
import { assertKnownAccount } from './amo-account.js';
import { customsError } from './errors.js';
import { kindOf, unknownPlaceholders, type NotificationKind } from './kinds.js';

/** The fallback code: every code of the kind without its own mapping. */
export const ANY_CODE = '*';

export interface MappingInput {
  readonly pipeline_id?: number | null;
  readonly status_id?: number | null;
  readonly fields?: ReadonlyArray<{ readonly field_id: number; readonly value: string }>;
  readonly note?: string | null;
}

export interface Mapping {
  account_id: number;
  kind: string;
  code: string;
  pipeline_id: number | null;
  status_id: number | null;
  fields: Array<{ field_id: number; value: string }>;
  note: string | null;
  updated_at: string;
}

interface Row {
  amo_account_id: number | string;
  kind: string;
  code: string;
  pipeline_id: number | string | null;
  status_id: number | string | null;
  fields: Array<{ field_id: number; value: string }>;
  note: string | null;
  updated_at: Date | string;
}

const COLUMNS = 'amo_account_id, kind, code, pipeline_id, status_id, fields, note, updated_at';
const num = (v: number | string | null) => (v === null ? null : Number(v));
const view = (r: Row): Mapping => ({
  account_id: Number(r.amo_account_id),
  kind: r.kind,
  code: r.code,
  pipeline_id: num(r.pipeline_id),
  status_id: num(r.status_id),
  fields: r.fields,
  note: r.note,
  updated_at: new Date(r.updated_at).toISOString(),
});

export class MappingService {
  constructor(
    private readonly hub: Hub,
    private readonly amo: AmoConnector,
  ) {}

  /** Creates or replaces the mapping of (kind, code) after checking it against the account's pipelines and fields. */
  async set(accountId: number, kindName: string, code: string, input: MappingInput): Promise<Mapping> {
    const kind = this.#kind(kindName);
    const problems = [...(await this.#checkAmo(accountId, input)), ...checkTemplates(kind, input)];
    if (problems.length) throw customsError('MAPPING_INVALID', undefined, problems);
    const [row] = await this.hub.database.query<Row>(
      `insert into customs_status_mappings (amo_account_id, kind, code, pipeline_id, status_id, fields, note)
       values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (amo_account_id, kind, code) do update set pipeline_id = excluded.pipeline_id,
         status_id = excluded.status_id, fields = excluded.fields, note = excluded.note, updated_at = now()
       returning ${COLUMNS}`,
      [
        accountId,
        kind.kind,
        code,
        input.pipeline_id ?? null,
        input.status_id ?? null,
        JSON.stringify(input.fields ?? []),
        input.note ?? null,
      ],
    );
    return view(row!);
  }

  async list(accountId: number): Promise<Mapping[]> {
    const rows = await this.hub.database.query<Row>(
      `select ${COLUMNS} from customs_status_mappings where amo_account_id = $1 order by kind, code`,
      [accountId],
    );
    return rows.map(view);
  }

  async remove(accountId: number, kind: string, code: string): Promise<Mapping> {
    const [row] = await this.hub.database.query<Row>(
      `delete from customs_status_mappings where amo_account_id = $1 and kind = $2 and code = $3 returning ${COLUMNS}`,
      [accountId, kind, code],
    );
    if (!row) throw customsError('MAPPING_NOT_FOUND');
    return view(row);
  }

  /** The mapping a status uses: its code's own, else the kind's fallback (`*`), else none. */
  async resolve(accountId: number, kind: string, code: string): Promise<Mapping | undefined> {
    const rows = await this.hub.database.query<Row>(
      `select ${COLUMNS} from customs_status_mappings where amo_account_id = $1 and kind = $2 and code in ($3, '*')
       order by (code = '*')`,
      [accountId, kind, code],
      'customs_mapping_resolve',
    );
    return rows[0] ? view(rows[0]) : undefined;
  }

  #kind(name: string): NotificationKind {
    const kind = kindOf(name);
    if (!kind) throw customsError('MAPPING_INVALID', `Неизвестный вид уведомления: ${name}`);
    return kind;
  }

  /** The stage belongs to the pipeline and each field exists on leads — asked of amoCRM itself. */
  async #checkAmo(accountId: number, input: MappingInput): Promise<Array<{ field: string; code: string; message: string }>> {
    await assertKnownAccount(this.amo, accountId);
    const problems: Array<{ field: string; code: string; message: string }> = [];
    const api = this.amo.api(accountId);
    if (input.status_id != null || input.pipeline_id != null) {
      if (input.status_id == null)
        problems.push({ field: 'status_id', code: 'STATUS_REQUIRED', message: 'Укажите этап (status_id) вместе с воронкой' });
      else {
        const pipelines = await api.pipelines();
        const owner = pipelines.find((p) => p.statuses.some((s) => s.id === input.status_id));
        if (!owner) problems.push({ field: 'status_id', code: 'UNKNOWN_STATUS', message: `В amoCRM нет этапа ${input.status_id}` });
        else if (input.pipeline_id != null && owner.id !== input.pipeline_id)
          problems.push({
            field: 'pipeline_id',
            code: 'STATUS_NOT_IN_PIPELINE',
            message: `Этап ${input.status_id} не из воронки ${input.pipeline_id}`,
          });
      }
    }
    if (input.fields?.length) {
      const defs = new Set((await api.customFields('leads')).map((f) => f.id));
      input.fields.forEach((f, i) => {
        if (!defs.has(f.field_id))
          problems.push({ field: `fields.${i}.field_id`, code: 'UNKNOWN_FIELD', message: `У сделок в amoCRM нет поля ${f.field_id}` });
      });
    }
    return problems;
  }
}

function checkTemplates(kind: NotificationKind, input: MappingInput): Array<{ field: string; code: string; message: string }> {
  const problems: Array<{ field: string; code: string; message: string }> = [];
  const check = (template: string, field: string) => {
    for (const name of unknownPlaceholders(template, kind))
      problems.push({ field, code: 'UNKNOWN_PLACEHOLDER', message: `Подстановки {${name}} у вида ${kind.kind} нет` });
  };
  input.fields?.forEach((f, i) => check(f.value, `fields.${i}.value`));
  if (input.note) check(input.note, 'note');
  return problems;
}

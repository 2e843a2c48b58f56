// Events from 1C (seed 001 §2.6): cancellation, payment, shipment and their partial forms. Each moves the deal to
// the stage the base's options name for it, fills the lead fields they name (sum, remaining debt, document), and
// leaves a note in Russian. The same event delivered twice changes nothing the second time: its content (name,
// deal, sums, document) is its identity in onec_sync_events.
import { createHash } from 'node:crypto';
import type { Hub } from '../../platform/hub.js';
import { amoId, money, textOf } from './amo-values.js';
import type { EntitySync, SyncDeps } from './entity-sync.js';
import { onecError } from './errors.js';
import type { OnecEventName } from './options.js';
import type { OptionStore } from './option-store.js';
import type { EventBody } from './sync-contract.js';

const TITLES: Record<OnecEventName, string> = {
  cancel_order: 'Заказ аннулирован в 1С',
  payment: 'Оплата по данным 1С',
  part_payment: 'Частичная оплата по данным 1С',
  shipment: 'Отгрузка по данным 1С',
  part_shipment: 'Частичная отгрузка по данным 1С',
};

/** A pending event older than this is taken over (its first delivery died with its process). */
const STALE_PENDING_MS = 10 * 60_000;

const rub = new Intl.NumberFormat('ru-RU', { style: 'currency', currency: 'RUB', minimumFractionDigits: 2 });

/** The note on the deal: what happened, the document, the sum and what is left. */
export function eventNote(name: OnecEventName, e: { sum?: number; debt?: number; document?: string }): string {
  return [
    TITLES[name],
    ...(e.document !== undefined ? [`Документ: ${e.document}`] : []),
    ...(e.sum !== undefined ? [`Сумма: ${rub.format(e.sum)}`] : []),
    ...(e.debt !== undefined ? [`Ожидаемый остаток: ${rub.format(e.debt)}`] : []),
  ].join('\n');
}

export class EventService {
  constructor(
    private readonly hub: Hub,
    private readonly deps: SyncDeps,
    private readonly sync: EntitySync,
    private readonly options: OptionStore,
  ) {}

  /** Carries the event out (once) and answers the deal's amoCRM id. */
  async handle(body: EventBody): Promise<number> {
    const t = await this.sync.target(body.key, body.id_base);
    const name = body.event_name as OnecEventName;
    const id1c = textOf(body.id_1c);
    const leadId =
      amoId(body.id) ?? (id1c === undefined ? undefined : (await this.deps.links.byId1c(t.key, t.idBase, 'leads', id1c))?.amoId);
    if (leadId === undefined) throw onecError('LEAD_NOT_FOUND');
    const sum = money(body.sum);
    const debt = money(body.debt_sum);
    const document = textOf(body.document_name);
    const eventKey = createHash('sha256')
      .update(JSON.stringify([name, leadId, id1c ?? null, sum ?? null, debt ?? null, document ?? null]))
      .digest('hex');
    if (!(await this.#claim(t.key, t.idBase, eventKey, name, leadId))) return leadId;
    try {
      const options = await this.options.get(t.key, t.idBase);
      const stage = options.events?.[name];
      const fields = options.eventFields ?? {};
      const values = [
        ...(fields.sum !== undefined && sum !== undefined ? [{ field_id: fields.sum, values: [{ value: sum }] }] : []),
        ...(fields.debt_sum !== undefined && debt !== undefined ? [{ field_id: fields.debt_sum, values: [{ value: debt }] }] : []),
        ...(fields.document_name !== undefined && document !== undefined
          ? [{ field_id: fields.document_name, values: [{ value: document }] }]
          : []),
      ];
      const writes: Array<Promise<unknown>> = [
        this.sync.amo(
          () =>
            this.deps.batcher.submit(t.account, 'leads', 'note', {
              body: {
                entity_id: leadId,
                note_type: 'common',
                params: {
                  text: eventNote(name, {
                    ...(sum !== undefined ? { sum } : {}),
                    ...(debt !== undefined ? { debt } : {}),
                    ...(document !== undefined ? { document } : {}),
                  }),
                },
              },
            }),
          'leads',
          leadId,
        ),
      ];
      if (stage || values.length > 0)
        writes.push(
          this.sync
            .amo(
              () =>
                this.deps.batcher.submit(t.account, 'leads', 'update', {
                  body: { id: leadId, ...(stage ?? {}), ...(values.length > 0 ? { custom_fields_values: values } : {}) },
                }),
              'leads',
              leadId,
            )
            // The move's webhook is the hub's own echo, not a change to send back to 1C.
            .then(async (r) => {
              if (r.updated_at !== undefined) await this.deps.links.stamp(t.key, 'leads', leadId, r.updated_at);
            }),
        );
      const settled = await Promise.allSettled(writes);
      const failed = settled.find((s) => s.status === 'rejected');
      if (failed) throw failed.reason;
      await this.hub.database.query(
        `update onec_sync_events set state = 'done' where account_key = $1 and id_base = $2 and event_key = $3`,
        [t.key, t.idBase, eventKey],
      );
    } catch (err) {
      // Not carried out: 1C will send it again, and that delivery must not be taken for a duplicate.
      await this.hub.database.query('delete from onec_sync_events where account_key = $1 and id_base = $2 and event_key = $3', [
        t.key,
        t.idBase,
        eventKey,
      ]);
      throw err;
    }
    return leadId;
  }

  /** True when this delivery is the one to carry the event out; false for a duplicate of a finished one. */
  async #claim(key: string, idBase: string, eventKey: string, name: string, leadId: number): Promise<boolean> {
    const claimed = await this.hub.database.query(
      `insert into onec_sync_events (account_key, id_base, event_key, event_name, lead_id) values ($1, $2, $3, $4, $5)
       on conflict (account_key, id_base, event_key) do update set created_at = now()
         where onec_sync_events.state = 'pending' and onec_sync_events.created_at < now() - make_interval(secs => $6)
       returning 1`,
      [key, idBase, eventKey, name, leadId, STALE_PENDING_MS / 1000],
    );
    if (claimed.length > 0) return true;
    const [row] = await this.hub.database.query<{ state: string }>(
      'select state from onec_sync_events where account_key = $1 and id_base = $2 and event_key = $3',
      [key, idBase, eventKey],
    );
    if (row?.state === 'pending') throw onecError('EVENT_IN_PROGRESS');
    return false;
  }
}

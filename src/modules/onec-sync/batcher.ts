// Gathers the amoCRM writes of concurrent 1C calls into shared batch requests. 1C waits for every /sync/* answer
// and an account allows 7 requests/s, so one request per counterparty would cap a full sync at 7 counterparties/s.
// Writes queue per (account, entity, operation) lane; a lane waits ONEC_SYNC_BATCH_WINDOW_MS for company before
// each request — after an idle spell and after each answer, when the callers it answered come back — and sends
// at once when 250 have gathered.
//
// A create whose answer was lost (timeout, 5xx, unreadable answer: `notApplied` false) may have landed, and amoCRM
// has no idempotency key: before sending it again the lane lists what the account created since the batch left and
// adopts the entity each item's `matches` recognises (its id_1c field, or its name and responsible). Updates are
// idempotent and are simply sent again; a note may then appear twice, which beats losing it.
import { AmoError, isAmoError, type AmoApi, type AmoWriteResult } from '../../connectors/amocrm/index.js';

export type WriteEntity = 'contacts' | 'companies' | 'leads';
export type WriteOp = 'create' | 'update' | 'note';

/** What amoCRM holds for an entity, as far as recognising a lost create needs. */
export interface CreatedEntity {
  readonly id: number;
  readonly name: string;
  readonly responsible_user_id?: number;
  readonly updated_at: number;
  readonly custom_fields_values: ReadonlyArray<{ field_id: number; values?: ReadonlyArray<{ value?: unknown }> | null }> | null;
}

export interface WriteItem {
  /** The entity (with `id` for an update) or the note (with `entity_id`), as amoCRM takes it. */
  readonly body: object;
  /** Creates only: recognises the entity this item created when the answer was lost. */
  readonly matches?: (entity: CreatedEntity) => boolean;
}

export interface BatcherOptions {
  readonly windowMs: number;
  /** Items per request (≤ 250). */
  readonly max: number;
  readonly apiFor: (amoAccountId: number) => AmoApi;
  /** How far amoCRM's clock may be from ours when listing what a lost batch created. */
  readonly clockSkewMs: number;
  /** Sends of one item after which an ambiguous outcome is given up (the caller answers 1C with a retryable error). */
  readonly maxAttempts: number;
}

interface Pending {
  readonly item: WriteItem;
  attempts: number;
  resolve(result: AmoWriteResult): void;
  reject(err: unknown): void;
}

interface Lane {
  readonly accountId: number;
  readonly entity: WriteEntity;
  readonly op: WriteOp;
  readonly items: Pending[];
  busy: boolean;
  timer: NodeJS.Timeout | undefined;
}

export interface BatcherStats {
  requests: number;
  items: number;
  adopted: number;
}

export class AmoWriteBatcher {
  readonly #lanes = new Map<string, Lane>();
  readonly stats: BatcherStats = { requests: 0, items: 0, adopted: 0 };

  constructor(private readonly opts: BatcherOptions) {}

  submit(accountId: number, entity: WriteEntity, op: WriteOp, item: WriteItem): Promise<AmoWriteResult> {
    if (op === 'create' && !item.matches) throw new TypeError('a create needs `matches` to be recognised after a lost answer');
    const id = `${accountId}:${entity}:${op}`;
    let lane = this.#lanes.get(id);
    if (!lane) {
      lane = { accountId, entity, op, items: [], busy: false, timer: undefined };
      this.#lanes.set(id, lane);
    }
    const promise = new Promise<AmoWriteResult>((resolve, reject) => lane.items.push({ item, attempts: 0, resolve, reject }));
    if (!lane.busy) {
      if (lane.items.length >= this.opts.max) this.#run(lane);
      else lane.timer ??= setTimeout(() => this.#run(lane), this.opts.windowMs);
    }
    return promise;
  }

  #run(lane: Lane): void {
    clearTimeout(lane.timer);
    lane.timer = undefined;
    lane.busy = true;
    void (async () => {
      try {
        while (lane.items.length > 0) {
          await this.#send(lane, lane.items.splice(0, this.opts.max));
          // The callers just answered come back within milliseconds with their next item (1C waits for each
          // answer): sending what gathered at once would alternate full and near-empty batches.
          if (lane.items.length > 0 && lane.items.length < this.opts.max) await new Promise((r) => setTimeout(r, this.opts.windowMs));
        }
      } finally {
        lane.busy = false;
      }
    })();
  }

  async #send(lane: Lane, batch: Pending[]): Promise<void> {
    const api = this.opts.apiFor(lane.accountId);
    const sentAt = Date.now();
    for (const p of batch) p.attempts++;
    this.stats.requests += Math.ceil(batch.length / this.opts.max);
    this.stats.items += batch.length;
    try {
      const results = await write(
        api,
        lane,
        batch.map((p) => p.item.body),
        this.opts.max,
      );
      batch.forEach((p, i) => {
        const r = results[i];
        if (r) p.resolve(r);
        else p.reject(new AmoError('UNEXPECTED_RESPONSE', 'amoCRM answered a batch write with fewer results than items'));
      });
    } catch (err) {
      if (!isAmoError(err)) return rejectAll(batch, err);
      if (err.notApplied) {
        // A refusal of the whole batch for one bad item (400 with validation errors): each item alone, so only the
        // bad one fails. Retryable refusals (429 past the wait, 503) fail the callers, who answer 1C "try later".
        if (!err.retryable && batch.length > 1) {
          for (const p of batch) await this.#send(lane, [p]);
          return;
        }
        return rejectAll(batch, err);
      }
      const again = lane.op === 'create' ? await this.#adopt(api, lane, batch, sentAt) : batch;
      const retry = again.filter((p) => p.attempts < this.opts.maxAttempts);
      rejectAll(
        again.filter((p) => p.attempts >= this.opts.maxAttempts),
        err,
      );
      if (retry.length > 0) await this.#send(lane, retry);
    }
  }

  /** Resolves the items whose entity landed after all; returns the ones that did not. */
  async #adopt(api: AmoApi, lane: Lane, batch: Pending[], sentAt: number): Promise<Pending[]> {
    const from = Math.floor((sentAt - this.opts.clockSkewMs) / 1000);
    const source = lane.entity === 'contacts' ? api.contacts : lane.entity === 'companies' ? api.companies : api.leads;
    let created: CreatedEntity[];
    try {
      created = (await source.listAll({ filter: { created_at: { from } }, limit: 250 })) as unknown as CreatedEntity[];
    } catch (err) {
      rejectAll(batch, err);
      return [];
    }
    const claimed = new Set<number>();
    const left: Pending[] = [];
    for (const p of batch) {
      const hit = created.find((e) => !claimed.has(e.id) && p.item.matches!(e));
      if (!hit) {
        left.push(p);
        continue;
      }
      claimed.add(hit.id);
      this.stats.adopted++;
      p.resolve({ id: hit.id, request_id: '', updated_at: hit.updated_at });
    }
    return left;
  }
}

function rejectAll(batch: readonly Pending[], err: unknown): void {
  for (const p of batch) p.reject(err);
}

function write(api: AmoApi, lane: Lane, bodies: object[], batchMax: number): Promise<AmoWriteResult[]> {
  const opts = { batchMax };
  if (lane.op === 'note') return api.notes.add(lane.entity, bodies as never, opts);
  const target = lane.entity === 'contacts' ? api.contacts : lane.entity === 'companies' ? api.companies : api.leads;
  return lane.op === 'create' ? target.create(bodies as never, opts) : target.update(bodies as never, opts);
}

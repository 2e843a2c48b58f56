// What happens to a stored notification, for every kind alike (the job behind each webhook queue): the status is
// recorded unless a newer one is held, the timeline gets a line for each step, and the account's mapping for the
// status is applied to the amoCRM lead. A retried job skips the steps already written (amoCRM is asked once per
// notification, unless the hub crashed between amoCRM's answer and the timeline line — then the note may repeat).
import type { Logger } from 'pino';
import type { InboxMessage } from '../../platform/inbox/inbox.js';
import type { EventLog } from './events.js';
import { valuesOf, type NotificationBody, type NotificationKind } from './kinds.js';
import type { LeadUpdater } from './lead-updater.js';
import type { Mapping, MappingService } from './mappings.js';
import type { StatusService } from './statuses.js';

/** An action's result (onec-side.ts): the code selecting the mapping and the values templates may quote. */
export interface ActionResult {
  readonly code: string;
  readonly values: Readonly<Record<string, string>>;
}
export type Action = (accountId: number, body: never) => Promise<ActionResult>;

export interface PipelineDeps {
  readonly statuses: StatusService;
  readonly events: EventLog;
  readonly mappings: MappingService;
  readonly updater: LeadUpdater;
  /** The actions of kinds with `perform`, by name. */
  readonly actions?: Readonly<Record<string, Action>>;
}

export type Outcome = 'stale' | 'no_mapping' | 'amo_updated' | 'amo_failed' | 'done' | 'action_failed';

/** An error a later attempt may get past (1C down, a timeout): the job is retried. */
const retryable = (err: unknown) => typeof err === 'object' && err !== null && (err as { retryable?: unknown }).retryable === true;

export class NotificationPipeline {
  constructor(private readonly deps: PipelineDeps) {}

  async process(kind: NotificationKind, message: InboxMessage, log: Logger): Promise<Outcome> {
    const { statuses, events, mappings } = this.deps;
    const accountId = Number(message.tenant);
    if (!Number.isSafeInteger(accountId) || accountId <= 0) throw new Error(`customs: inbox message ${message.id} has no account`);
    const body = JSON.parse(message.body) as NotificationBody;
    if (kind.perform) return this.#perform(kind, kind.perform, accountId, message, body, log);
    const code = kind.codeOf(body);
    const label = kind.labels[code];
    const at = body.occurredAt;
    const base = { accountId, leadId: body.leadId, kind: kind.kind, code, inboxId: message.id };
    const summary = `${kind.title}: ${label ?? `код ${code} (неизвестный)`}`;
    await events.record({ ...base, source: kind.source, step: 'received', summary, at, details: { eventId: body.eventId } });
    if (await events.done(message.id, 'recorded')) {
      // A retry after the status was recorded: go on with amoCRM only if that was not done either.
      if ((await events.done(message.id, 'stale')) || (await events.done(message.id, 'amo_updated'))) return 'done';
    } else {
      const { applied } = await statuses.record(accountId, kind, body, message.id);
      if (!applied) {
        await events.record({ ...base, source: 'hub', step: 'stale', summary: 'Более новый статус уже получен: этот только записан', at });
        return 'stale';
      }
      await events.record({ ...base, source: 'hub', step: 'recorded', summary: `Статус записан: ${summary}`, at });
    }
    const mapping = await mappings.resolve(accountId, kind.kind, code);
    if (!mapping) {
      await events.record({ ...base, source: 'hub', step: 'no_mapping', summary: 'Для статуса нет настройки: amoCRM не менялся', at });
      return 'no_mapping';
    }
    return this.#apply(base, mapping, valuesOf(kind, body), at, log);
  }

  /**
   * A kind whose job performs an action (the 1C side): the action runs — again on a retry, which each action
   * makes safe (idempotent by the event) —, its result goes on the timeline and its code selects the mapping. A
   * retryable failure (1C down) is thrown so the job tries again; a permanent one ends on the timeline.
   */
  async #perform(
    kind: NotificationKind,
    name: string,
    accountId: number,
    message: InboxMessage,
    body: NotificationBody,
    log: Logger,
  ): Promise<Outcome> {
    const { events, mappings } = this.deps;
    const action = this.deps.actions?.[name];
    if (!action) throw new Error(`customs: no action ${name} for kind ${kind.kind}`);
    const at = typeof body.paidAt === 'string' ? body.paidAt : undefined;
    const base = { accountId, leadId: body.leadId, kind: kind.kind, inboxId: message.id };
    await events.record({ ...base, source: kind.source, step: 'received', summary: kind.title, at, details: { eventId: body.eventId } });
    if (await events.done(message.id, 'amo_updated')) return 'done';
    let result: ActionResult;
    try {
      result = await action(accountId, body as never);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      const code = (err as { code?: unknown }).code;
      if (retryable(err)) {
        // One line per stored request (the step is written once): the first failure, not every retry.
        await events.record({
          ...base,
          source: 'hub',
          step: 'retrying',
          summary: `${kind.title}: не выполнено, повтор позже (${why})`,
          at,
        });
        throw err;
      }
      log.warn({ accountId, leadId: body.leadId, kind: kind.kind, code }, 'customs: the 1C action failed for good');
      await events.record({ ...base, source: 'hub', step: 'action_failed', summary: `${kind.title}: не выполнено (${why})`, at });
      return 'action_failed';
    }
    const label = kind.labels[result.code] ?? result.code;
    await events.record({
      ...base,
      code: result.code,
      source: 'hub',
      step: 'performed',
      summary: `${label}: ${Object.entries(result.values)
        .filter(([k]) => k !== 'link')
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
      at,
      details: { code: result.code, values: result.values },
    });
    const withCode = { ...base, code: result.code };
    const mapping = await mappings.resolve(accountId, kind.kind, result.code);
    if (!mapping) {
      await events.record({
        ...withCode,
        source: 'hub',
        step: 'no_mapping',
        summary: 'Для результата нет настройки: amoCRM не менялся',
        at,
      });
      return 'no_mapping';
    }
    const values = { ...valuesOf(kind, body), ...result.values, code: result.code, label };
    return this.#apply(withCode, mapping, values, at, log);
  }

  async #apply(
    base: { accountId: number; leadId: number; kind: string; code: string; inboxId: number },
    mapping: Mapping,
    values: Record<string, string>,
    at: string | undefined,
    log: Logger,
  ): Promise<Outcome> {
    const { events, updater } = this.deps;
    const { accountId, kind, code } = base;
    const update = await updater.apply(accountId, base.leadId, mapping, values);
    if (update.outcome === 'failed') {
      log.warn({ accountId, leadId: base.leadId, kind, code, error: update.error }, 'customs: amoCRM refused the lead update');
      await events.record({ ...base, source: 'hub', step: 'amo_failed', summary: `amoCRM отказал: ${update.error}`, at });
      return 'amo_failed';
    }
    await events.record({
      ...base,
      source: 'hub',
      step: 'amo_updated',
      summary: `Сделка обновлена в amoCRM (${update.changed.join(', ') || 'без изменений'})`,
      at,
      details: { mapping: { kind: mapping.kind, code: mapping.code }, changed: update.changed },
    });
    return 'amo_updated';
  }
}

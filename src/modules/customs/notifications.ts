// What happens to a stored notification, for every kind alike (the job behind each webhook queue): the status is
// recorded unless a newer one is held, the timeline gets a line for each step, and the account's mapping for the
// status is applied to the amoCRM lead. A retried job skips the steps already written; one that may have reached
// amoCRM before (the status was recorded by an earlier run) sets stage and fields again, which changes nothing, and
// adds the note only if the lead does not have it yet (note-once.ts).
import type { Logger } from 'pino';
import type { InboxMessage } from '../../platform/inbox/inbox.js';
import type { EventLog } from './events.js';
import { valuesOf, withDerived, type NotificationBody, type NotificationKind } from './kinds.js';
import type { LeadUpdater } from './lead-updater.js';
import type { Mapping, MappingService } from './mappings.js';
import type { StatusService } from './statuses.js';

export interface PipelineDeps {
  readonly statuses: StatusService;
  readonly events: EventLog;
  readonly mappings: MappingService;
  readonly updater: LeadUpdater;
  /** Runs the kinds whose job performs an action instead of recording a status (the 1C side: onec-pipeline.ts). */
  readonly perform?: (kind: NotificationKind, accountId: number, message: InboxMessage, log: Logger) => Promise<Outcome>;
}

export type Outcome = 'stale' | 'no_mapping' | 'amo_updated' | 'amo_failed' | 'done' | 'action_failed';

/** Which notification a timeline line is about. */
export interface StepBase {
  readonly accountId: number;
  readonly leadId: number;
  readonly kind: string;
  readonly code: string;
  readonly inboxId: number;
}

export class NotificationPipeline {
  constructor(private readonly deps: PipelineDeps) {}

  async process(kind: NotificationKind, message: InboxMessage, log: Logger): Promise<Outcome> {
    const { statuses, events, mappings } = this.deps;
    const accountId = Number(message.tenant);
    if (!Number.isSafeInteger(accountId) || accountId <= 0) throw new Error(`customs: inbox message ${message.id} has no account`);
    if (kind.perform) {
      if (!this.deps.perform) throw new Error(`customs: kind ${kind.kind} performs an action but no performer is set`);
      return this.deps.perform(kind, accountId, message, log);
    }
    const body = withDerived(kind, JSON.parse(message.body) as NotificationBody);
    const code = kind.codeOf(body);
    const label = kind.labels[code];
    const at = body.occurredAt;
    const base = { accountId, leadId: body.leadId, kind: kind.kind, code, inboxId: message.id };
    const summary = `${kind.title}: ${label ?? `код ${code} (неизвестный)`}`;
    await events.record({ ...base, source: kind.source, step: 'received', summary, at, details: { eventId: body.eventId } });
    const done = await events.stepsOf(message.id);
    const rerun = done.has('recorded');
    if (rerun) {
      // A retry after the status was recorded: go on with amoCRM only if that was not done either.
      if (done.has('stale') || done.has('amo_updated')) return 'done';
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
    return applyMapping(this.deps, base, mapping, valuesOf(kind, body), at, log, rerun);
  }
}

/** The mapping applied to the lead, and its outcome on the timeline (shared with the 1C actions' pipeline). */
export async function applyMapping(
  deps: Pick<PipelineDeps, 'events' | 'updater'>,
  base: StepBase,
  mapping: Mapping,
  values: Readonly<Record<string, string>>,
  at: string | undefined,
  log: Logger,
  rerun: boolean,
): Promise<Outcome> {
  const { events, updater } = deps;
  const { accountId, leadId, kind, code } = base;
  const update = await updater.apply(accountId, leadId, quotingWarnings(mapping, values), values, rerun);
  if (update.outcome === 'failed') {
    log.warn({ accountId, leadId, kind, code, error: update.error }, 'customs: amoCRM refused the lead update');
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

/**
 * The mapping, its note made to quote the notification's warnings (the lab's ЭПТС number not in the EEC form) when
 * its template does not: what the hub accepted with a doubt reaches the manager, whatever the template says.
 */
function quotingWarnings(mapping: Mapping, values: Readonly<Record<string, string>>): Mapping {
  if (!values.warnings || mapping.note?.includes('{warnings}')) return mapping;
  return { ...mapping, note: `${mapping.note ? `${mapping.note}\n\n` : '{title}: {label}\n'}Замечания:\n{warnings}` };
}

// The job of a kind that performs an action (the 1C side, onec-kinds.ts) instead of recording a status: the action
// runs — again on a retry, which each action makes safe (idempotent by the event, onec-side.ts) —, its result goes
// on the timeline and its code selects the account's mapping, applied to the lead like any status's. A retryable
// failure (1C down, a timeout) is thrown so the job tries again later; a permanent one ends on the timeline.
import type { Logger } from 'pino';
import type { InboxMessage } from '../../platform/inbox/inbox.js';
import type { EventLog } from './events.js';
import { valuesOf, type NotificationBody, type NotificationKind } from './kinds.js';
import type { LeadUpdater } from './lead-updater.js';
import type { MappingService } from './mappings.js';
import { applyMapping, type Outcome } from './notifications.js';

/** An action's result (onec-side.ts): the code selecting the mapping and the values its templates may quote. */
export interface ActionResult {
  readonly code: string;
  readonly values: Readonly<Record<string, string>>;
}
export type Action = (accountId: number, body: never) => Promise<ActionResult>;

export interface ActionDeps {
  readonly events: EventLog;
  readonly mappings: MappingService;
  readonly updater: LeadUpdater;
  /** By the kinds' `perform` name. */
  readonly actions: Readonly<Record<string, Action>>;
}

/** An error a later attempt may get past (1C down, a timeout): OnecError and others that say so. */
const retryable = (err: unknown) => typeof err === 'object' && err !== null && (err as { retryable?: unknown }).retryable === true;

/** The step line of an action's result: its label and values (the link left out: long, and in the details). */
const summaryOf = (label: string, values: Readonly<Record<string, string>>) =>
  `${label}: ${Object.entries(values)
    .filter(([k]) => k !== 'link')
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}`;

export function actionPerformer(deps: ActionDeps) {
  return async (kind: NotificationKind, accountId: number, message: InboxMessage, log: Logger): Promise<Outcome> => {
    const { events, mappings } = deps;
    const action = kind.perform ? deps.actions[kind.perform] : undefined;
    if (!action) throw new Error(`customs: no action ${String(kind.perform)} for kind ${kind.kind}`);
    const body = JSON.parse(message.body) as NotificationBody;
    // A payment happened at paidAt; an amoCRM trigger carries no time (the hub's clock is used).
    const at = typeof body.paidAt === 'string' ? body.paidAt : undefined;
    const base = { accountId, leadId: body.leadId, kind: kind.kind, inboxId: message.id };
    await events.record({ ...base, source: kind.source, step: 'received', summary: kind.title, at, details: { eventId: body.eventId } });
    const done = await events.stepsOf(message.id);
    if (done.has('amo_updated')) return 'done';
    // Past `performed`, an earlier run may have reached amoCRM: its note is added once (note-once.ts).
    const rerun = done.has('performed');
    let result: ActionResult;
    try {
      result = await action(accountId, body as never);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      if (retryable(err)) {
        // Written once per stored request (a step is unique): the first failure, not every retry.
        await events.record({
          ...base,
          source: 'hub',
          step: 'retrying',
          summary: `${kind.title}: не выполнено, повтор позже (${why})`,
          at,
        });
        throw err;
      }
      log.warn(
        { accountId, leadId: body.leadId, kind: kind.kind, code: (err as { code?: unknown }).code },
        'customs: a 1C action failed for good',
      );
      await events.record({ ...base, source: 'hub', step: 'action_failed', summary: `${kind.title}: не выполнено (${why})`, at });
      return 'action_failed';
    }
    const label = kind.labels[result.code] ?? result.code;
    const withCode = { ...base, code: result.code };
    await events.record({
      ...withCode,
      source: 'hub',
      step: 'performed',
      summary: summaryOf(label, result.values),
      at,
      details: { code: result.code, values: result.values },
    });
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
    return applyMapping(deps, withCode, mapping, values, at, log, rerun);
  };
}

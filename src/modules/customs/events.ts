// The deal timeline's log: each notification received and each step the hub took on it, and the hub's own actions
// (a ПТД exported), per amoCRM lead. A step of a stored request is written once (unique inbox id + step), so a
// retried job does not repeat its lines. GET /admin/v1/deals/{leadId}/timeline reads it back, in order.
import type { Hub } from '../../platform/hub.js';

export interface EventInput {
  readonly accountId: number;
  readonly leadId: number;
  readonly source: string;
  readonly kind: string;
  readonly step: string;
  readonly code?: string | null;
  readonly summary: string;
  /** When it happened (the sender's occurredAt); the hub's clock when absent. */
  readonly at?: string | Date;
  readonly inboxId?: number | null;
  readonly details?: Record<string, unknown>;
}

export interface TimelineEvent {
  id: number;
  account_id: number;
  lead_id: number;
  at: string;
  source: string;
  kind: string;
  step: string;
  code: string | null;
  summary: string;
  details: Record<string, unknown>;
  inbox_id: number | null;
  /** Where the raw request is (the operator API), when the event came from one. */
  raw: string | null;
  recorded_at: string;
}

interface Row {
  id: number | string;
  amo_account_id: number | string;
  lead_id: number | string;
  at: Date | string;
  source: string;
  kind: string;
  step: string;
  code: string | null;
  summary: string;
  details: Record<string, unknown>;
  inbox_id: number | string | null;
  created_at: Date | string;
}

const iso = (v: Date | string) => new Date(v).toISOString();

export class EventLog {
  constructor(private readonly hub: Hub) {}

  /** Writes one event; false when this step of this stored request is already written (a retried job). */
  async record(e: EventInput): Promise<boolean> {
    const rows = await this.hub.database.query(
      `insert into customs_events (amo_account_id, lead_id, source, kind, step, code, summary, at, inbox_id, details)
       values ($1, $2, $3, $4, $5, $6, $7, coalesce($8::timestamptz, now()), $9, $10)
       on conflict do nothing returning id`,
      [
        e.accountId,
        e.leadId,
        e.source,
        e.kind,
        e.step,
        e.code ?? null,
        e.summary,
        e.at === undefined ? null : new Date(e.at).toISOString(),
        e.inboxId ?? null,
        JSON.stringify(e.details ?? {}),
      ],
    );
    return rows.length === 1;
  }

  /** The steps of a stored request already written (a retried job skips what it did): one read. */
  async stepsOf(inboxId: number): Promise<Set<string>> {
    const rows = await this.hub.database.query<{ step: string }>('select step from customs_events where inbox_id = $1', [inboxId]);
    return new Set(rows.map((r) => r.step));
  }

  /** A lead's events, oldest first (by when they happened, then as written); `accountId` narrows to one account. */
  async timeline(leadId: number, accountId?: number, limit = 1000): Promise<TimelineEvent[]> {
    const rows = await this.hub.database.query<Row>(
      `select id, amo_account_id, lead_id, at, source, kind, step, code, summary, details, inbox_id, created_at
       from customs_events where lead_id = $1 and ($2::bigint is null or amo_account_id = $2)
       order by at, id limit $3`,
      [leadId, accountId ?? null, limit],
    );
    return rows.map((r) => {
      const inboxId = r.inbox_id === null ? null : Number(r.inbox_id);
      return {
        id: Number(r.id),
        account_id: Number(r.amo_account_id),
        lead_id: Number(r.lead_id),
        at: iso(r.at),
        source: r.source,
        kind: r.kind,
        step: r.step,
        code: r.code,
        summary: r.summary,
        details: r.details,
        inbox_id: inboxId,
        raw: inboxId === null ? null : `/admin/v1/inbox/${inboxId}`,
        recorded_at: iso(r.created_at),
      };
    });
  }
}

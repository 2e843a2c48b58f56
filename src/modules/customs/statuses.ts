// The latest status of each kind a lead holds: a notification is recorded unless a newer one (by the sender's
// occurredAt) is already held — webhooks may arrive out of order. Unknown codes are kept with no label. Knows
// nothing of HTTP; runs in a worker on the stored message.
import type { Hub } from '../../platform/hub.js';
import { kindOf, type NotificationBody, type NotificationKind } from './kinds.js';

export interface LeadStatus {
  account_id: number;
  kind: string;
  code: string;
  /** The code's meaning; null for a code the hub does not know (kept as sent). */
  label: string | null;
  occurred_at: string;
  details: Record<string, unknown>;
  event_id: string;
  updated_at: string;
}

interface Row {
  amo_account_id: number | string;
  kind: string;
  code: string;
  occurred_at: Date | string;
  details: Record<string, unknown>;
  event_id: string;
  updated_at: Date | string;
}

export class StatusService {
  constructor(private readonly hub: Hub) {}

  /** Records one notification; `applied: false` when the lead already holds a newer status of its kind. */
  async record(accountId: number, kind: NotificationKind, body: NotificationBody, inboxId: number): Promise<{ applied: boolean }> {
    // The code column holds `status`; the rest of the notification is kept as its details.
    const details = Object.fromEntries(Object.entries(body).filter(([k]) => !['eventId', 'leadId', 'occurredAt', 'status'].includes(k)));
    const { eventId, leadId, occurredAt } = body;
    const rows = await this.hub.database.query(
      `insert into customs_lead_statuses (amo_account_id, lead_id, kind, code, occurred_at, details, event_id, inbox_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (amo_account_id, lead_id, kind) do update set code = excluded.code, occurred_at = excluded.occurred_at,
         details = excluded.details, event_id = excluded.event_id, inbox_id = excluded.inbox_id, updated_at = now()
       where customs_lead_statuses.occurred_at <= excluded.occurred_at
       returning lead_id`,
      [accountId, leadId, kind.kind, kind.codeOf(body), occurredAt, JSON.stringify(details), eventId, inboxId],
    );
    return { applied: rows.length === 1 };
  }

  async of(leadId: number, accountId?: number): Promise<LeadStatus[]> {
    const rows = await this.hub.database.query<Row>(
      `select amo_account_id, kind, code, occurred_at, details, event_id, updated_at from customs_lead_statuses
       where lead_id = $1 and ($2::bigint is null or amo_account_id = $2) order by amo_account_id, kind`,
      [leadId, accountId ?? null],
    );
    return rows.map((r) => ({
      account_id: Number(r.amo_account_id),
      kind: r.kind,
      code: r.code,
      label: kindOf(r.kind)?.labels[r.code] ?? null,
      occurred_at: new Date(r.occurred_at).toISOString(),
      details: r.details,
      event_id: r.event_id,
      updated_at: new Date(r.updated_at).toISOString(),
    }));
  }
}

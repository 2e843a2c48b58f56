// Alta's status notifications after the inbox: each is recorded as the lead's latest status of its kind unless a
// newer one (by occurredAt) is already held — webhooks may arrive out of order. Unknown codes are kept with no
// label. Knows nothing of HTTP; runs in a worker on the stored message.
import type { Hub } from '../../platform/hub.js';
import type { InboxMessage } from '../../platform/inbox/inbox.js';
import { PTD_STATUSES, TRANSIT_STATUSES, type PtdStatus, type TransitStatus } from './status-contract.js';

export type StatusKind = 'ptd' | 'transit';
const LABELS: Record<StatusKind, Readonly<Record<string, string>>> = { ptd: PTD_STATUSES, transit: TRANSIT_STATUSES };

export interface LeadStatus {
  kind: StatusKind;
  code: string;
  /** The code's meaning; null for a code the hub does not know (kept as sent). */
  label: string | null;
  occurred_at: string;
  details: Record<string, unknown>;
  event_id: string;
  updated_at: string;
}

interface Row {
  kind: StatusKind;
  code: string;
  occurred_at: Date | string;
  details: Record<string, unknown>;
  event_id: string;
  updated_at: Date | string;
}

export class StatusService {
  constructor(private readonly hub: Hub) {}

  /** Records one stored notification; `applied: false` when the lead already holds a newer status of its kind. */
  async record(kind: StatusKind, message: InboxMessage): Promise<{ applied: boolean; code: string; known: boolean }> {
    const { eventId, leadId, occurredAt, status, ...details } = JSON.parse(message.body) as PtdStatus | TransitStatus;
    const rows = await this.hub.database.query(
      `insert into customs_lead_statuses (lead_id, kind, code, occurred_at, details, event_id, inbox_id)
       values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (lead_id, kind) do update set code = excluded.code, occurred_at = excluded.occurred_at,
         details = excluded.details, event_id = excluded.event_id, inbox_id = excluded.inbox_id, updated_at = now()
       where customs_lead_statuses.occurred_at <= excluded.occurred_at
       returning lead_id`,
      [leadId, kind, status, occurredAt, JSON.stringify(details), eventId, message.id],
    );
    return { applied: rows.length === 1, code: status, known: status in LABELS[kind] };
  }

  async of(leadId: number): Promise<LeadStatus[]> {
    const rows = await this.hub.database.query<Row>(
      'select kind, code, occurred_at, details, event_id, updated_at from customs_lead_statuses where lead_id = $1 order by kind',
      [leadId],
    );
    return rows.map((r) => ({
      kind: r.kind,
      code: r.code,
      label: LABELS[r.kind][r.code] ?? null,
      occurred_at: new Date(r.occurred_at).toISOString(),
      details: r.details,
      event_id: r.event_id,
      updated_at: new Date(r.updated_at).toISOString(),
    }));
  }
}

// Exactly one lead per complex-lead job, across lost answers and crashes. Before a /leads/complex call, an intent
// per item is committed (one statement per batch) naming the marker tag the item carries into amoCRM; the outcome
// (lead id) is recorded after the answer. A job that runs again and finds an intent with no outcome does not know
// whether amoCRM created the lead (a timeout, a connection lost after sending, a 5xx, a crash): it looks the
// marker up in amoCRM and adopts the lead it finds, and sends only what is not there.
import { createHash } from 'node:crypto';
import type { Database } from '../../platform/db/database.js';
import { AMO_FACTS } from './facts.js';
import type { AmoApi, AmoLead, ComplexLeadInput } from './types.js';

/** What amoCRM created for one item: the answer of /leads/complex, or the lead found by its marker. */
export interface CreatedLead {
  readonly leadId: number;
  readonly contactId: number | null;
  readonly companyId: number | null;
  readonly merged: boolean;
}

/** An intent recorded by an earlier run of the same item. */
export interface EarlierIntent {
  readonly sentAtMs: number;
  readonly attemptAtMs: number;
  /** Null: the earlier attempt's outcome is unknown. */
  readonly created: CreatedLead | null;
}

/**
 * The marker of an item: `hub:` + 32 hex digits of SHA-256 over the account and the caller's key (a result id…),
 * so the same key always gives the same marker, even on a later job (a re-dispatch).
 */
export function markerFor(amoAccountId: number, key: string): string {
  return AMO_FACTS.markerTagPrefix + createHash('sha256').update(`${amoAccountId}\u0000${key}`).digest('hex').slice(0, 32);
}

const MARKER_TAG = new RegExp(`^${AMO_FACTS.markerTagPrefix}[0-9a-f]{32}$`, 'i');

/** A marker tag of the hub's (bookkeeping, not a tag anyone chose): tag lists the API returns leave them out. */
export const isMarkerTag = (name: string): boolean => MARKER_TAG.test(name);

/** The item with its marker added to the lead's tags (the caller's own tags are kept). */
export function withMarker(item: ComplexLeadInput, marker: string): ComplexLeadInput {
  const embedded = item._embedded ?? {};
  return { ...item, _embedded: { ...embedded, tags: [...(embedded.tags ?? []), { name: marker }] } };
}

/** The intents table (`amo_complex_intents`); every write is one statement for a whole batch. */
export class ComplexIntents {
  constructor(private readonly db: Database) {}

  /**
   * Records an intent for every marker not seen before, and returns the intents earlier runs left for the rest —
   * in one statement: the main query does not see the rows its own WITH clause inserts.
   */
  async claim(amoAccountId: number, markers: readonly string[], nowMs: number): Promise<Map<string, EarlierIntent>> {
    const rows = await this.db.query<IntentRow>(
      `with input(marker) as (select unnest($1::text[])),
            fresh as (insert into amo_complex_intents (marker, amo_account_id, sent_at, attempt_at)
                      select marker, $2, to_timestamp($3::float8 / 1000), to_timestamp($3::float8 / 1000) from input
                      on conflict (marker) do nothing)
       select i.marker, extract(epoch from i.sent_at) * 1000 as sent_ms, extract(epoch from i.attempt_at) * 1000 as attempt_ms,
              i.lead_id, i.contact_id, i.company_id, i.merged
         from amo_complex_intents i join input using (marker)`,
      [markers, amoAccountId, nowMs],
      'amo_intents_claim',
    );
    return new Map(rows.map((r) => [r.marker, toIntent(r)]));
  }

  /** The outcomes amoCRM gave (or the lookup found), one statement. */
  async record(outcomes: ReadonlyArray<{ marker: string; created: CreatedLead }>): Promise<void> {
    if (!outcomes.length) return;
    const col = <T>(f: (c: CreatedLead) => T) => outcomes.map((o) => f(o.created));
    await this.db.query(
      `update amo_complex_intents i set lead_id = v.lead_id, contact_id = v.contact_id, company_id = v.company_id, merged = v.merged
         from unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::boolean[]) as v(marker, lead_id, contact_id, company_id, merged)
        where i.marker = v.marker`,
      [outcomes.map((o) => o.marker), col((c) => c.leadId), col((c) => c.contactId), col((c) => c.companyId), col((c) => c.merged)],
      'amo_intents_record',
    );
  }

  /** amoCRM refused these items (or they were never sent): nothing was created, a later attempt starts afresh. */
  async forget(markers: readonly string[]): Promise<void> {
    if (!markers.length) return;
    await this.db.query(
      'delete from amo_complex_intents where marker = any($1::text[]) and lead_id is null',
      [markers],
      'amo_intents_forget',
    );
  }

  /** These items are being sent again after a lookup did not find them: the next lookup's window reaches this attempt. */
  async resending(markers: readonly string[], nowMs: number): Promise<void> {
    if (!markers.length) return;
    await this.db.query(
      'update amo_complex_intents set attempt_at = to_timestamp($2::float8 / 1000) where marker = any($1::text[])',
      [markers, nowMs],
      'amo_intents_resend',
    );
  }

  /** Drops intents older than the retention (AMO_FACTS.intentRetentionDays). */
  async prune(nowMs: number): Promise<number> {
    const cutoff = nowMs - AMO_FACTS.intentRetentionDays * 86_400_000;
    const rows = await this.db.query<{ n: number }>(
      `with gone as (delete from amo_complex_intents where sent_at < to_timestamp($1::float8 / 1000) returning 1)
       select count(*)::int as n from gone`,
      [cutoff],
      'amo_intents_prune',
    );
    return Number(rows[0]?.n ?? 0);
  }
}

interface IntentRow {
  marker: string;
  sent_ms: number | string;
  attempt_ms: number | string;
  lead_id: number | string | null;
  contact_id: number | string | null;
  company_id: number | string | null;
  merged: boolean;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

function toIntent(r: IntentRow): EarlierIntent {
  const leadId = num(r.lead_id);
  return {
    sentAtMs: Number(r.sent_ms),
    attemptAtMs: Number(r.attempt_ms),
    created: leadId === null ? null : { leadId, contactId: num(r.contact_id), companyId: num(r.company_id), merged: r.merged },
  };
}

export interface LookupWindow {
  /** Connector clock, ms: the earliest first send and the latest send of the markers looked up. */
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * Finds the leads carrying `markers`: lists the leads created in the window (widened by the clock skew and, at the
 * end, by the longest a call can take after its intent: 429 waits inside the call, then the call itself) and reads
 * their tags. Stops as soon as every marker is found.
 */
export async function findMarkedLeads(
  api: AmoApi,
  markers: ReadonlySet<string>,
  window: LookupWindow,
  opts: { callTimeoutMs: number; pipelineIds?: readonly number[] },
): Promise<{ found: Map<string, CreatedLead>; scanned: number }> {
  const found = new Map<string, CreatedLead>();
  const skew = AMO_FACTS.reconcileClockSkewMs;
  const filter: Record<string, unknown> = {
    created_at: {
      from: Math.floor((window.fromMs - skew) / 1000),
      to: Math.ceil((window.toMs + AMO_FACTS.maxInlineRateLimitWaitMs + opts.callTimeoutMs + skew) / 1000),
    },
    ...(opts.pipelineIds?.length ? { pipeline_id: opts.pipelineIds } : {}),
  };
  let scanned = 0;
  for await (const lead of api.leads.list({ filter, with: ['contacts'] })) {
    scanned++;
    const marker = markerOf(lead, markers);
    if (marker && !found.has(marker)) found.set(marker, createdFrom(lead));
    if (found.size === markers.size) break;
  }
  return { found, scanned };
}

function markerOf(lead: AmoLead, markers: ReadonlySet<string>): string | undefined {
  for (const tag of lead._embedded?.tags ?? []) {
    const name = tag.name.toLowerCase();
    if (markers.has(name)) return name;
  }
  return undefined;
}

function createdFrom(lead: AmoLead): CreatedLead {
  const contacts = lead._embedded?.contacts ?? [];
  const contact = contacts.find((c) => c.is_main) ?? contacts[0];
  return {
    leadId: lead.id,
    contactId: contact?.id ?? null,
    companyId: lead._embedded?.companies?.[0]?.id ?? null,
    merged: false,
  };
}

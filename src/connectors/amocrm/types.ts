// amoCRM API v4 shapes as the connector exposes them. Field names are amoCRM's own (snake_case, `_embedded`)
// everywhere, so what you read in the amoCRM docs is what you write here; the connector adds no renaming layer.
// Read models list the fields the hub uses; amoCRM sends more, and they are passed through untyped.

import type { AmoCustomField, AmoCustomFieldValueRead, AmoCustomFieldValueWrite } from './custom-field-types.js';

export type AmoEntity = 'leads' | 'contacts' | 'companies';

// ---------- account, users, pipelines, tags ----------

export interface AmoAccountInfo {
  readonly id: number;
  readonly name: string;
  readonly subdomain: string;
  readonly country?: string | null;
  readonly currency?: string;
  readonly current_user_id?: number;
  readonly created_at?: number;
  readonly is_unsorted_on?: boolean;
  readonly [k: string]: unknown;
}

export interface AmoUser {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly lang?: string;
  readonly rights?: Record<string, unknown> & { is_active?: boolean; is_admin?: boolean };
  readonly [k: string]: unknown;
}

export interface AmoStatus {
  readonly id: number;
  readonly name: string;
  readonly sort: number;
  readonly pipeline_id: number;
  /** 1 = incoming leads (unsorted), 0 = regular. 142 won / 143 lost are ids, the same in every pipeline. */
  readonly type: number;
  readonly color?: string;
  readonly is_editable?: boolean;
}

export interface AmoPipeline {
  readonly id: number;
  readonly name: string;
  readonly sort: number;
  readonly is_main: boolean;
  readonly is_archive: boolean;
  readonly is_unsorted_on?: boolean;
  readonly statuses: readonly AmoStatus[];
}

export interface AmoTag {
  readonly id: number;
  readonly name: string;
  readonly color?: string | null;
}

export type AmoTagRef = { id: number } | { name: string };

// ---------- leads, contacts, companies ----------

interface EntityRead {
  readonly id: number;
  readonly name: string;
  readonly responsible_user_id?: number;
  readonly group_id?: number;
  readonly created_by?: number;
  readonly updated_by?: number;
  readonly created_at: number;
  readonly updated_at: number;
  readonly account_id?: number;
  readonly custom_fields_values: readonly AmoCustomFieldValueRead[] | null;
  readonly [k: string]: unknown;
}

export interface AmoLead extends EntityRead {
  readonly price: number;
  readonly status_id: number;
  readonly pipeline_id: number;
  readonly closed_at?: number | null;
  readonly loss_reason_id?: number | null;
  readonly is_deleted?: boolean;
  readonly _embedded?: {
    readonly tags?: readonly AmoTag[];
    readonly contacts?: ReadonlyArray<{ readonly id: number; readonly is_main?: boolean }>;
    readonly companies?: ReadonlyArray<{ readonly id: number }>;
  };
}

export interface AmoContact extends EntityRead {
  readonly first_name?: string;
  readonly last_name?: string;
  readonly _embedded?: {
    readonly tags?: readonly AmoTag[];
    readonly leads?: ReadonlyArray<{ readonly id: number }>;
    readonly companies?: ReadonlyArray<{ readonly id: number }>;
  };
}

export interface AmoCompany extends EntityRead {
  readonly _embedded?: {
    readonly tags?: readonly AmoTag[];
    readonly leads?: ReadonlyArray<{ readonly id: number }>;
    readonly contacts?: ReadonlyArray<{ readonly id: number }>;
  };
}

interface EntityWrite {
  name?: string;
  responsible_user_id?: number;
  created_by?: number;
  custom_fields_values?: AmoCustomFieldValueWrite[] | null;
  /** Echoed back by amoCRM; the connector fills it when absent. */
  request_id?: string;
  /** Incremental tag changes (never together with `_embedded.tags`). */
  tags_to_add?: AmoTagRef[];
  tags_to_delete?: AmoTagRef[];
}

export interface LeadWrite extends EntityWrite {
  price?: number;
  status_id?: number;
  pipeline_id?: number;
  loss_reason_id?: number;
  _embedded?: {
    /** On PATCH the full list: missing tags are removed, null removes all. */
    tags?: AmoTagRef[] | null;
    contacts?: Array<{ id: number; is_main?: boolean }>;
    companies?: Array<{ id: number }>;
  };
}

export interface ContactWrite extends EntityWrite {
  first_name?: string;
  last_name?: string;
  _embedded?: { tags?: AmoTagRef[] | null; companies?: Array<{ id: number }> };
}

export interface CompanyWrite extends EntityWrite {
  _embedded?: { tags?: AmoTagRef[] | null };
}

export type WithId<W> = W & { id: number };

/** Result of a create or update: one per item, in input order. */
export interface AmoWriteResult {
  readonly id: number;
  readonly request_id: string;
  readonly updated_at?: number;
}

/**
 * Query of a list call. `filter` is serialised PHP-style: `{ id: [1,2] }` → `filter[id][]=1&filter[id][]=2`,
 * `{ updated_at: { from: 1 } }` → `filter[updated_at][from]=1`. `order` likewise (`{ id: 'desc' }`).
 */
export interface AmoListQuery {
  readonly query?: string;
  readonly filter?: Record<string, unknown>;
  readonly order?: Record<string, 'asc' | 'desc'>;
  readonly with?: readonly string[];
  /** Page size, at most 250 (default 250: fewer requests against the 7 req/s budget). */
  readonly limit?: number;
}

// ---------- complex leads ----------

/**
 * One item of POST /api/v4/leads/complex, in amoCRM's shape: a lead with at most one new (or existing, by id)
 * contact and one company embedded. `request_id` is set by the connector.
 */
export interface ComplexLeadInput extends Omit<LeadWrite, '_embedded' | 'request_id' | 'tags_to_add' | 'tags_to_delete'> {
  _embedded?: {
    tags?: AmoTagRef[];
    contacts?: [ContactWrite | { id: number }];
    companies?: [CompanyWrite | { id: number }];
    /** Unsorted (incoming leads) metadata, e.g. `{ category: 'forms', form_id, form_name, ... }`. */
    metadata?: Record<string, unknown>;
    source?: { external_id: string; type?: string };
  };
}

/** What POST /leads/complex answers per item (plain array, not HAL). */
export interface ComplexLeadCreated {
  readonly id: number;
  readonly contact_id: number | null;
  readonly company_id: number | null;
  readonly request_id: readonly string[];
  readonly merged: boolean;
}

/** One amoCRM validation error, with its path inside the item (`custom_fields_values.0.field_id`). */
export interface AmoValidationError {
  readonly request_id?: string;
  readonly code: string;
  readonly path: string;
  readonly detail: string;
}

/** What the reply queue of `enqueueComplexLead` receives in `result`. */
export type ComplexLeadResult =
  | {
      readonly ok: true;
      readonly leadId: number;
      readonly contactId?: number;
      readonly companyId?: number;
      readonly merged?: boolean;
      /** The lead was created by an earlier attempt whose answer was lost: found by its marker, not created now. */
      readonly reconciled?: boolean;
    }
  | {
      readonly ok: false;
      readonly error: {
        readonly code: string;
        readonly message: string;
        readonly retryable: boolean;
        readonly validationErrors?: readonly AmoValidationError[];
      };
    };

// ---------- notes and links ----------

export type AmoNoteWrite =
  | { entity_id: number; note_type: 'common'; params: { text: string }; request_id?: string }
  | {
      entity_id: number;
      note_type: 'service_message' | 'extended_service_message';
      params: { service: string; text: string };
      request_id?: string;
    }
  | { entity_id: number; note_type: string; params: Record<string, unknown>; request_id?: string };

/** A note as amoCRM lists it (GET /api/v4/{entity}/{id}/notes). */
export interface AmoNote {
  readonly id: number;
  readonly entity_id: number;
  readonly note_type: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly created_at: number;
  readonly updated_at: number;
}

export interface AmoLinkWrite {
  to_entity_id: number;
  to_entity_type: 'leads' | 'contacts' | 'companies' | 'catalog_elements' | 'customers';
  metadata?: { main_contact?: boolean; quantity?: number; catalog_id?: number; [k: string]: unknown };
}

// ---------- account webhooks ----------

/** One account webhook (GET/POST /api/v4/webhooks): amoCRM POSTs the events named in `settings` to `destination`. */
export interface AmoWebhookSubscription {
  readonly id: number;
  readonly destination: string;
  /** Events, e.g. `add_contact`, `update_company`, `status_lead`. */
  readonly settings: readonly string[];
  readonly disabled: boolean;
  readonly sort?: number;
  readonly created_at?: number;
  readonly updated_at?: number;
  readonly created_by?: number;
}

// ---------- the typed API of one account ----------

export interface WriteBatchOptions {
  /** Entities per request: 50 by default (amoCRM's recommendation), up to 250 (its limit). */
  readonly batchMax?: number;
}

export interface AmoEntityApi<R, W> {
  /** Every matching entity, page by page (204 = no more; follows `_links.next`). */
  list(query?: AmoListQuery): AsyncIterable<R>;
  /** Convenience: `list` collected into an array. */
  listAll(query?: AmoListQuery): Promise<R[]>;
  /** One entity, or undefined when amoCRM says 404/204. */
  get(id: number, withRelated?: readonly string[]): Promise<R | undefined>;
  /** POST in batches of up to 50 (or `batchMax`, ≤ 250); results in input order. */
  create(items: readonly W[], opts?: WriteBatchOptions): Promise<AmoWriteResult[]>;
  /** PATCH (array form) in batches of up to 50 (or `batchMax`, ≤ 250); results in input order. */
  update(items: ReadonlyArray<WithId<W>>, opts?: WriteBatchOptions): Promise<AmoWriteResult[]>;
}

export interface AmoApi {
  readonly amoAccountId: number;
  account(withRelated?: readonly string[]): Promise<AmoAccountInfo>;
  users(): Promise<AmoUser[]>;
  /** Pipelines with their statuses. */
  pipelines(): Promise<AmoPipeline[]>;
  /** All custom fields of an entity (paginated by amoCRM at 50). */
  customFields(entity: AmoEntity): Promise<AmoCustomField[]>;
  tags(entity: AmoEntity): Promise<AmoTag[]>;
  readonly leads: AmoEntityApi<AmoLead, LeadWrite>;
  readonly contacts: AmoEntityApi<AmoContact, ContactWrite>;
  readonly companies: AmoEntityApi<AmoCompany, CompanyWrite>;
  /** POST /leads/complex directly (≤ 50 items; throws AmoError on a rejected request). */
  complex(items: readonly ComplexLeadInput[]): Promise<ComplexLeadCreated[]>;
  readonly notes: {
    add(entity: AmoEntity, notes: readonly AmoNoteWrite[], opts?: WriteBatchOptions): Promise<AmoWriteResult[]>;
    /** One entity's latest notes, newest first (one page: `limit` ≤ 250, 50 by default), of one type if given. */
    recent(entity: AmoEntity, entityId: number, opts?: { noteType?: string; limit?: number }): Promise<AmoNote[]>;
  };
  readonly links: { link(entity: AmoEntity, id: number, links: readonly AmoLinkWrite[]): Promise<void> };
  /** Account webhooks (amoCRM allows them to admin tokens only; the integration's user is one). */
  readonly webhooks: {
    /** Every webhook of the account, or the one at `destination`. */
    list(destination?: string): Promise<AmoWebhookSubscription[]>;
    /** Subscribes `destination` to `settings`; amoCRM keeps one webhook per destination, so this replaces its events. */
    subscribe(destination: string, settings: readonly string[], opts?: { sort?: number }): Promise<AmoWebhookSubscription>;
    /** Removes the webhook at `destination`; false when there was none. */
    unsubscribe(destination: string): Promise<boolean>;
  };
}

export type * from './custom-field-types.js';
export type * from './webhook-types.js';

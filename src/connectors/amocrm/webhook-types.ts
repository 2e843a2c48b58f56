// Typed amoCRM webhook events, as parseAmoWebhook (webhooks.ts) produces them.

// ---------- webhooks ----------

/** Legacy (v2-named) custom field of a webhook item; every value is a string. */
export interface AmoWebhookCustomField {
  readonly id: number;
  readonly name?: string;
  readonly code?: string;
  readonly values: ReadonlyArray<{ readonly value: string; readonly enum?: string }>;
}

/** One item of an account webhook, normalised: numeric ids as numbers, everything else kept as sent. */
export interface AmoWebhookItem {
  readonly id: number;
  readonly name?: string;
  readonly status_id?: number;
  readonly old_status_id?: number;
  readonly pipeline_id?: number;
  readonly old_pipeline_id?: number;
  readonly price?: number;
  readonly responsible_user_id?: number;
  readonly old_responsible_user_id?: number;
  readonly created_at?: number;
  readonly updated_at?: number;
  /** contact | company, for items under `contacts[...]`. */
  readonly type?: string;
  readonly custom_fields: readonly AmoWebhookCustomField[];
  /** Every field as amoCRM sent it (strings), for anything not normalised above. */
  readonly raw: Readonly<Record<string, unknown>>;
}

export type AmoWebhookEntity = 'leads' | 'contacts' | 'companies' | 'unsorted' | 'task' | 'catalogs' | 'message' | 'talk' | string;

/** One change of an account or Digital Pipeline webhook. It is a hint: re-read the entity for its state. */
export interface AmoWebhookEvent {
  readonly kind: 'entity';
  readonly entity: AmoWebhookEntity;
  /** add | update | delete | restore | status | responsible | note | mail_in | call_in | chat | site_visit … */
  readonly action: string;
  readonly item: AmoWebhookItem;
}

/** Unsorted (incoming lead) accepted or declined: `unsorted[delete]` with action and the resulting leads. */
export interface AmoUnsortedDecisionEvent {
  readonly kind: 'unsorted_decision';
  readonly decision: 'accept' | 'decline' | string;
  readonly uid?: string;
  readonly leadIds: readonly number[];
  readonly raw: Readonly<Record<string, unknown>>;
}

/** A widget Digital Pipeline action (JSON body). */
export interface AmoWidgetEvent {
  readonly kind: 'widget';
  /** 14 = lead entered the trigger stage, 15 = moved within the widget's span. */
  readonly type: number;
  readonly typeCode?: string;
  readonly leadId: number;
  readonly statusId?: number;
  readonly pipelineId?: number;
  readonly time?: number;
  readonly settings: Readonly<Record<string, unknown>>;
}

export type AmoWebhookEventAny = AmoWebhookEvent | AmoUnsortedDecisionEvent | AmoWidgetEvent;

export interface ParsedAmoWebhook {
  readonly account: { readonly id?: number; readonly subdomain?: string };
  readonly events: readonly AmoWebhookEventAny[];
}

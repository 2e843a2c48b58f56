// The emulator's in-memory data model. Field names follow amoCRM API v4 so serialising is mostly a copy.

export type EntityType = 'leads' | 'contacts' | 'companies';
export const ENTITY_TYPES: readonly EntityType[] = ['leads', 'contacts', 'companies'];

/** Singular names used by webhook settings (`add_lead`) and link types (`to_entity_type: "contacts"` stays plural). */
export const SINGULAR: Record<EntityType, 'lead' | 'contact' | 'company'> = { leads: 'lead', contacts: 'contact', companies: 'company' };

export interface User {
  id: number;
  name: string;
  email: string;
  lang: string;
  isAdmin: boolean;
  isActive: boolean;
}

export interface Status {
  id: number;
  name: string;
  sort: number;
  is_editable: boolean;
  pipeline_id: number;
  color: string;
  /** 1 = incoming leads (unsorted), 0 = regular. */
  type: 0 | 1;
}

export interface Pipeline {
  id: number;
  name: string;
  sort: number;
  is_main: boolean;
  is_unsorted_on: boolean;
  is_archive: boolean;
  statuses: Status[];
}

export type CustomFieldType =
  | 'text'
  | 'numeric'
  | 'checkbox'
  | 'select'
  | 'multiselect'
  | 'multitext'
  | 'date'
  | 'url'
  | 'textarea'
  | 'radiobutton'
  | 'date_time'
  | 'birthday'
  | 'price'
  | 'streetaddress';

export interface CustomFieldEnum {
  id: number;
  value: string;
  sort: number;
}

export interface CustomField {
  id: number;
  name: string;
  type: CustomFieldType;
  code: string | null;
  sort: number;
  entity_type: EntityType;
  is_predefined: boolean;
  is_api_only: boolean;
  enums: CustomFieldEnum[] | null;
}

/** A stored custom field value, already normalised to what GET returns. */
export interface StoredValue {
  value: string | number | boolean;
  enum_id?: number;
  enum_code?: string;
}

export interface StoredFieldValues {
  field_id: number;
  values: StoredValue[];
}

export interface Tag {
  id: number;
  name: string;
  color: string | null;
}

export interface Entity {
  id: number;
  type: EntityType;
  name: string;
  /** Contacts only. */
  first_name?: string;
  last_name?: string;
  /** Leads only. */
  price?: number;
  status_id?: number;
  pipeline_id?: number;
  closed_at?: number | null;
  loss_reason_id?: number | null;
  responsible_user_id: number;
  group_id: number;
  created_by: number;
  updated_by: number;
  created_at: number;
  updated_at: number;
  custom_fields_values: StoredFieldValues[];
  tagIds: number[];
  is_deleted: boolean;
}

export interface Note {
  id: number;
  entity_type: EntityType;
  entity_id: number;
  note_type: string;
  params: Record<string, unknown>;
  created_by: number;
  created_at: number;
  updated_at: number;
}

export interface Link {
  from_type: EntityType;
  from_id: number;
  to_type: EntityType;
  to_id: number;
  metadata: Record<string, unknown> | null;
}

export interface WebhookSubscription {
  id: number;
  destination: string;
  settings: string[];
  sort: number;
  disabled: boolean;
  created_by: number;
  created_at: number;
  updated_at: number;
  /** Emulated-clock seconds of failed deliveries, for the "100 failures in 2 h" auto-disable rule. */
  failures: number[];
}

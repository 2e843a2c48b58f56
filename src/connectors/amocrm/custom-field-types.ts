// amoCRM custom fields as the connector exposes them: definitions, values as read and as written, and what
// buildCustomFieldsValues (custom-fields.ts) makes of assignments. Re-exported by types.ts.

/** v4 custom field type codes (amoCRM `type`). */
export type AmoCustomFieldType =
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
  | 'streetaddress'
  | 'smart_address'
  | 'birthday'
  | 'legal_entity'
  | 'date_time'
  | 'items'
  | 'category'
  | 'price'
  | 'tracking_data'
  | 'linked_entity'
  | 'org_legal_name'
  | 'monetary'
  | 'chained_list'
  | 'file'
  | 'payer'
  | 'supplier';

export interface AmoEnum {
  readonly id: number;
  readonly value: string;
  readonly sort?: number;
  /** Some accounts send the enum code (PHONE/EMAIL kinds) separately; otherwise `value` is the code. */
  readonly code?: string | null;
}

export interface AmoCustomField {
  readonly id: number;
  readonly name: string;
  readonly type: AmoCustomFieldType | string;
  readonly code: string | null;
  readonly sort?: number;
  readonly entity_type?: string;
  readonly is_api_only?: boolean;
  readonly is_predefined?: boolean;
  readonly enums: readonly AmoEnum[] | null;
  readonly [k: string]: unknown;
}

/** One value as amoCRM accepts it on write. */
export interface AmoFieldValueWrite {
  value?: string | number | boolean;
  enum_id?: number;
  enum_code?: string;
}

/** One entry of `custom_fields_values` on write; `values: null` clears the field. */
export interface AmoCustomFieldValueWrite {
  field_id?: number;
  field_code?: string;
  values: AmoFieldValueWrite[] | null;
}

/** One entry of `custom_fields_values` as amoCRM returns it. */
export interface AmoCustomFieldValueRead {
  readonly field_id: number;
  readonly field_name?: string;
  readonly field_code?: string | null;
  readonly field_type?: string;
  readonly values: ReadonlyArray<{ readonly value: unknown; readonly enum_id?: number; readonly enum_code?: string | null }>;
}

/**
 * Input of `buildCustomFieldsValues`: which field (id, code such as "PHONE", or exact name) gets which value.
 * Accepted values per field type:
 * - text/textarea/url/streetaddress: string (numbers are stringified)
 * - numeric/price/monetary: number or numeric string
 * - checkbox: boolean (or "true"/"false"/"1"/"0")
 * - select/radiobutton: the enum value text or the enum id
 * - multiselect: an array of enum values or ids (one value is also accepted)
 * - date/date_time/birthday: Date, ISO string or unix seconds → unix seconds
 * - multitext (PHONE/EMAIL): string, `{ value, enumCode }`, or an array of those; enumCode defaults to WORK
 * - `null`: clears the field (`values: null`)
 */
export interface FieldAssignment {
  readonly field: number | string;
  readonly value: unknown;
  /** Default enum code for multitext values given as plain strings (e.g. "MOB" for a mobile phone). */
  readonly enumCode?: string;
}

export interface FieldValueError {
  readonly field: number | string;
  readonly code: 'UNKNOWN_FIELD' | 'UNKNOWN_ENUM' | 'INVALID_TYPE' | 'UNSUPPORTED_TYPE';
  readonly message: string;
}

export interface BuiltFieldValues {
  readonly values: AmoCustomFieldValueWrite[];
  /** Assignments that could not be expressed; nothing is silently dropped. */
  readonly errors: FieldValueError[];
}

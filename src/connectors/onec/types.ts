// The 1C requests and answers of seed 001 §1, typed with the seed's own field names (snake_case, as they travel).
// `p_<x>` keys carry amoCRM custom field values and pass through untouched.

/** Custom field values: `p_<something>` keys, sent as given. */
export type OnecCustomValues = { readonly [field: `p_${string}`]: unknown };

/** One 1C base as saved by "Первичная синхронизация" (seed §2.2): where and as whom the hub calls it. */
export interface OnecTarget {
  /** amoCRM account id (`key` of every request). */
  readonly key: string | number;
  /** 1C base id (`id_base`). */
  readonly idBase: string | number;
  /** `web_address`: the URL of the base's handlers. */
  readonly webAddress: string;
  /** `param1`, `param2`: HTTP Basic login and password. */
  readonly login: string;
  readonly password: string;
}

interface CounterpartyBase {
  /** amoCRM id of the contact or company. */
  readonly id: number | string;
  readonly name: string;
  readonly responsible_user_id: number | string;
  /** The 1C counterparty already linked, if known (1C updates it instead of creating one). */
  readonly id_1c?: string;
}

/** A contact (физ. лицо): no ИНН. */
export type OnecContactClient = CounterpartyBase & OnecCustomValues & { readonly phone?: string; readonly email?: string };

/** A company (юр. лицо): ИНН/УНП required. */
export type OnecCompanyClient = CounterpartyBase & OnecCustomValues & { readonly inn: string };

export type OnecClient = OnecContactClient | OnecCompanyClient;

/** new_order (seed §1.3): the deal with its contact and/or company. */
export type OnecOrderInput = OnecCustomValues & {
  /** amoCRM deal id. */
  readonly id: number | string;
  readonly name: string;
  readonly responsible_user_id: number | string;
  readonly id_1c?: string;
  readonly clients?: { readonly contact?: OnecContactClient; readonly company?: OnecCompanyClient };
};

/** One row of the transformation table (seed §1.5). */
export interface OnecCorrRow {
  readonly amo_name: string;
  readonly amo_id: number | string;
  /** Контакт, Компания, Сделка or Сотрудник. */
  readonly entity_name: string;
}

export interface OnecCorrTableInput {
  readonly user_id?: number | string;
  /** The seed shows one row; an array of rows is passed through as given. */
  readonly table: OnecCorrRow | readonly OnecCorrRow[];
}

/** A document of a deal in 1C (get_orders answer items). */
export interface OnecDocument {
  readonly title: string;
  readonly doc_type: string;
  readonly link: string;
  readonly parent_link: string;
  readonly google_drive_id: string;
  readonly google_drive_link: string;
}

/** new_lead and new_order answer with the 1C record (`id_1c` as a string whatever 1C wrote). */
export interface OnecLink {
  readonly link: string;
  readonly id_1c: string;
}

export interface OnecVersion {
  readonly version: string;
}

export interface OnecCallOptions {
  readonly signal?: AbortSignal;
  /** Overrides ONEC_TIMEOUT_MS for this call. */
  readonly timeoutMs?: number;
  readonly requestId?: string;
}

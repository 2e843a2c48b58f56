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

/**
 * A line of new_invoice (the hub's extension of seed §1). Money is a decimal string of roubles with two places
 * ("305.00"), as 1C's Число(15,2) prints it; quantity has at most three decimals.
 */
export interface OnecInvoiceLine {
  readonly name: string;
  readonly quantity: number | string;
  /** Unit of measure as 1C names it (шт, усл); 1C takes its default when absent. */
  readonly unit?: string;
  /** Price per unit: with VAT when the invoice's `vat_included`, without otherwise. */
  readonly price: string;
  /** price × quantity rounded to the kopeck (1C's Сумма). */
  readonly amount: string;
  /** Percent; null = «Без НДС». */
  readonly vat_rate: 0 | 10 | 20 | 22 | null;
  /** The line's VAT rounded to the kopeck. */
  readonly vat_amount: string;
}

/** new_invoice: a счёт на оплату покупателю for a deal. */
export interface OnecInvoiceInput {
  /**
   * The caller's idempotency key: 1C answers the invoice it already made for a request_id it has seen, so the
   * request can be sent again after any failure.
   */
  readonly request_id: string;
  /** amoCRM deal id. */
  readonly lead_id: number | string;
  /** The invoice date, YYYY-MM-DD (it decides the VAT rate). */
  readonly date: string;
  readonly currency: 'RUB';
  readonly client: { readonly id_1c?: string; readonly name: string; readonly inn?: string };
  readonly vat_included: boolean;
  readonly lines: readonly OnecInvoiceLine[];
  /** Σ line totals (amount, plus VAT when it is not included). */
  readonly total: string;
  /** Σ line VAT. */
  readonly vat_total: string;
}

/** new_invoice's answer. */
export interface OnecInvoice {
  readonly id_1c: string;
  /** 1C's document number, e.g. 0000-000001. */
  readonly number: string;
  /** The invoice date as 1C saved it. */
  readonly date: string;
  readonly link: string;
  /** The total 1C saved, as it wrote it. */
  readonly total: string;
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

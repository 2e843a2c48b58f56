// 1C facts the connector depends on, in one place: the request types and field names of seed 001 §1 ("API для
// работы с 1c_public: запросы в 1С") and what the shared reference says about 1C HTTP services (a BOM the handler
// forgot to disable, HTML error pages from the web server). policy.ts and protocol.ts turn them into behaviour.
export const ONEC_FACTS = {
  /** Request types (`type` in the body), each POSTed as JSON to the base's `web_address` with HTTP Basic. */
  types: ['get_orders', 'new_lead', 'new_order', 'get_handlers_version', 'corr_table', 'new_invoice'] as const,
  /**
   * Types whose repetition changes nothing: reads, and corr_table, which stores the same mapping again. Only these
   * are retried inside a call. new_lead and new_order create in 1C: after an ambiguous failure (a timeout, a 5xx)
   * they are not sent again blindly; the caller looks the record up (get_orders, or a resend with its id_1c).
   * new_invoice (the hub's extension, docs/connectors/onec.md) creates too, but carries the caller's `request_id`
   * and 1C answers the invoice it already made for a request_id it has seen: sending it again is safe.
   */
  idempotentTypes: ['get_orders', 'get_handlers_version', 'corr_table', 'new_invoice'] as readonly string[],
  /** Body fields every request carries: the amoCRM account id and the 1C base id. */
  commonFields: { account: 'key', base: 'id_base', type: 'type' },
  /**
   * new_lead puts the counterparty under `clients.company` for a contact and for a company alike (seed §1.2 shows
   * both so); 1C tells them apart by `inn`, which only a company (юр. лицо) has and must have.
   */
  counterpartyKey: 'company',
  /** new_order's `clients` may hold both. */
  orderClientKeys: ['contact', 'company'] as const,
  /** Custom amoCRM field values ride along as `p_<something>` keys, passed through untouched. */
  customFieldPrefix: 'p_',
  /** corr_table `entity_name` values (seed §1.5). */
  corrEntities: ['Контакт', 'Компания', 'Сделка', 'Сотрудник'] as const,
  /** get_orders documents' `doc_type` as the seed shows it. */
  documentType: 'leads',
  /** 1C handlers may write a UTF-8 byte-order mark before the JSON (reference §1.1). */
  bom: '\uFEFF',
  /** In-call attempts of an idempotent request on a transient failure, and the back-off base. */
  readAttempts: 3,
  retryBaseDelayMs: 300,
  /**
   * Statuses after which a create surely did not run: 408 (the request never arrived whole) and 429 (refused before
   * the handler). A 500 (the handler threw midway: 1C does not roll an HTTP service handler back by itself), 502,
   * 503 and 504 from the web server in front of 1C may follow a write that landed.
   */
  notAppliedStatuses: [408, 429] as readonly number[],
  /** How much of an error body an error message quotes. */
  errorTextChars: 200,
} as const;

export type OnecRequestType = (typeof ONEC_FACTS.types)[number];

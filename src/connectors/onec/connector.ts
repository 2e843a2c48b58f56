// The 1C client: one method per seed §1 request type (and new_invoice, the hub's extension), each a POST of JSON to the base's web_address with HTTP
// Basic (param1/param2), sent through the hub's partner transport under the 1C policy (policy.ts) and read by
// protocol.ts. It keeps no state: the module that saved the base hands its target to every call.
import type { Hub } from '../../platform/hub.js';
import type { Clock } from '../../platform/outbound/clock.js';
import { assertTargetAllowed, HostLookupError, SsrfBlockedError } from '../../platform/outbound/ssrf.js';
import type { PartnerTransport } from '../../platform/outbound/transport.js';
import { OnecError } from './errors.js';
import { ONEC_FACTS, type OnecRequestType } from './facts.js';
import { onecPolicy, type OnecCallKey } from './policy.js';
import {
  basicAuth,
  corrTableBody,
  getOrdersBody,
  handlersVersionBody,
  newInvoiceBody,
  newLeadBody,
  newOrderBody,
  parseDocuments,
  parseInvoice,
  parseLink,
  parseVersion,
  requestBody,
} from './protocol.js';
import type { OnecSettings } from './settings.js';
import type {
  OnecCallOptions,
  OnecClient,
  OnecCorrTableInput,
  OnecDocument,
  OnecInvoice,
  OnecInvoiceInput,
  OnecLink,
  OnecOrderInput,
  OnecTarget,
  OnecVersion,
} from './types.js';

/** What modules get as `deps.onec`. */
export interface OnecConnector {
  /** get_orders (§1.1): the deal's documents in 1C. */
  getOrders(target: OnecTarget, leadId: number | string, opts?: OnecCallOptions): Promise<OnecDocument[]>;
  /** new_lead (§1.2): creates or updates the counterparty of a contact or a company (a company has `inn`). */
  upsertCounterparty(target: OnecTarget, client: OnecClient, opts?: OnecCallOptions): Promise<OnecLink>;
  /** new_order (§1.3): creates or updates the customer order of a deal. */
  upsertOrder(target: OnecTarget, order: OnecOrderInput, opts?: OnecCallOptions): Promise<OnecLink>;
  /** get_handlers_version (§1.4). */
  getHandlersVersion(target: OnecTarget, opts?: OnecCallOptions): Promise<OnecVersion>;
  /** corr_table (§1.5): the field-mapping table; 1C answers with its handlers' version. */
  sendCorrTable(target: OnecTarget, input: OnecCorrTableInput, opts?: OnecCallOptions): Promise<OnecVersion>;
  /**
   * new_invoice (the hub's extension of §1): an invoice for a deal. Idempotent by `invoice.request_id`, so it is
   * retried in the call like a read and may be sent again after any failure.
   */
  createInvoice(target: OnecTarget, invoice: OnecInvoiceInput, opts?: OnecCallOptions): Promise<OnecInvoice>;
  /** Any request type with the body's own fields; the answer's text, BOM stripped (for types the seed adds later). */
  call(target: OnecTarget, type: OnecRequestType, fields?: object, opts?: OnecCallOptions): Promise<string>;
  /**
   * Checks a web_address before it is saved: an http(s) URL whose host resolves to a public address (or private
   * ones when ONEC_ALLOW_PRIVATE_TARGETS is on). Throws INVALID_TARGET, TARGET_REFUSED or TARGET_UNRESOLVED.
   */
  checkTarget(webAddress: string): Promise<void>;
}

export class OnecConnectorImpl implements OnecConnector {
  readonly #transport: PartnerTransport<OnecCallKey, undefined, OnecError>;
  readonly #allowHosts: readonly string[];

  constructor(hub: Hub, settings: OnecSettings, clock?: Clock) {
    // Allowing private targets is allowing every host: the SSRF guard's allow-list has no "private only" entry.
    this.#allowHosts = settings.allowPrivateTargets ? ['*'] : hub.config.outbound.allowHosts;
    this.#transport = hub.transport(onecPolicy(), {
      timeoutMs: settings.timeoutMs,
      allowHosts: this.#allowHosts,
      ...(clock ? { clock } : {}),
    });
  }

  async getOrders(target: OnecTarget, leadId: number | string, opts?: OnecCallOptions): Promise<OnecDocument[]> {
    return parseDocuments(await this.#send(target, 'get_orders', getOrdersBody(target, leadId), opts));
  }

  async upsertCounterparty(target: OnecTarget, client: OnecClient, opts?: OnecCallOptions): Promise<OnecLink> {
    return parseLink('new_lead', await this.#send(target, 'new_lead', newLeadBody(target, client), opts));
  }

  async upsertOrder(target: OnecTarget, order: OnecOrderInput, opts?: OnecCallOptions): Promise<OnecLink> {
    return parseLink('new_order', await this.#send(target, 'new_order', newOrderBody(target, order), opts));
  }

  async createInvoice(target: OnecTarget, invoice: OnecInvoiceInput, opts?: OnecCallOptions): Promise<OnecInvoice> {
    return parseInvoice(await this.#send(target, 'new_invoice', newInvoiceBody(target, invoice), opts));
  }

  async getHandlersVersion(target: OnecTarget, opts?: OnecCallOptions): Promise<OnecVersion> {
    return parseVersion('get_handlers_version', await this.#send(target, 'get_handlers_version', handlersVersionBody(target), opts));
  }

  async sendCorrTable(target: OnecTarget, input: OnecCorrTableInput, opts?: OnecCallOptions): Promise<OnecVersion> {
    return parseVersion('corr_table', await this.#send(target, 'corr_table', corrTableBody(target, input), opts));
  }

  async call(target: OnecTarget, type: OnecRequestType, fields: object = {}, opts?: OnecCallOptions): Promise<string> {
    const text = await this.#send(target, type, requestBody(target, type, fields), opts);
    return text.startsWith(ONEC_FACTS.bom) ? text.slice(1) : text;
  }

  async checkTarget(webAddress: string): Promise<void> {
    const url = targetUrl(webAddress);
    try {
      await assertTargetAllowed(url, this.#allowHosts);
    } catch (err) {
      if (err instanceof SsrfBlockedError) throw new OnecError('TARGET_REFUSED', `1C web_address refused: ${err.message}`);
      if (err instanceof HostLookupError) throw new OnecError('TARGET_UNRESOLVED', `1C web_address: ${err.message}`);
      throw err;
    }
  }

  async #send(target: OnecTarget, type: OnecRequestType, body: Record<string, unknown>, opts: OnecCallOptions = {}): Promise<string> {
    const url = targetUrl(target.webAddress);
    const res = await this.#transport.request({
      key: { type, key: target.key, idBase: target.idBase },
      kind: ONEC_FACTS.idempotentTypes.includes(type) ? 'read' : 'write',
      method: 'POST',
      url: url.toString(),
      json: body,
      headers: {
        authorization: basicAuth(target.login, target.password),
        accept: 'application/json',
        'content-type': 'application/json; charset=utf-8',
      },
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.requestId ? { requestId: opts.requestId } : {}),
    });
    return res.text;
  }
}

/** The web_address as a URL: http(s) only, no credentials in it (they go in the Basic header). */
function targetUrl(webAddress: string): URL {
  let url: URL;
  try {
    url = new URL(webAddress);
  } catch {
    throw new OnecError('INVALID_TARGET', `1C web_address is not a URL: ${String(webAddress).slice(0, 100)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new OnecError('INVALID_TARGET', `1C web_address must be http(s), got ${url.protocol}`);
  if (url.username || url.password) throw new OnecError('INVALID_TARGET', '1C web_address must not carry a login; use param1/param2');
  return url;
}

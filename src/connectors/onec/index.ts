// The 1C connector: a client for the requests the hub sends to a tenant's 1C base (seed 001 §1: get_orders,
// new_lead, new_order, get_handlers_version, corr_table; and new_invoice, the hub's documented extension), over the
// hub's partner transport with its timeouts, retries of idempotent requests only, and the SSRF guard. It owns no routes, tables or queues: the 1C sync module
// saves the bases and calls this client. Modules use only what this file exports; see docs/connectors/onec.md.
import { defineModule } from '../../platform/module.js';
import type { Clock } from '../../platform/outbound/clock.js';
import { OnecConnectorImpl, type OnecConnector } from './connector.js';
import { ONEC_CONNECTOR_NAME } from './name.js';
import { ONEC_SETTINGS } from './settings.js';

export type * from './types.js';
export type { OnecConnector } from './connector.js';
export { OnecError, ONEC_ERRORS, isOnecError, type OnecErrorCode } from './errors.js';
export { ONEC_FACTS, type OnecRequestType } from './facts.js';
export { basicAuth, parseJson, requestBody, shortText } from './protocol.js';
export { ONEC_CONNECTOR_NAME } from './name.js';

export interface OnecConnectorOptions {
  /** Retry waits (tests that do not measure them skip them with a test clock). */
  readonly clock?: Clock;
}

/** The connector with tunable options (tests pass a clock); `onecConnector` is the default. */
export function createOnecConnector(opts: OnecConnectorOptions = {}) {
  return defineModule({
    kind: 'connector',
    name: ONEC_CONNECTOR_NAME,
    envPrefix: 'ONEC',
    // No routes today; the prefix is reserved so a later callback cannot clash with the sync module's /onec.
    prefix: '/connect/onec',
    docs: 'docs/connectors/onec.md',
    settings: ONEC_SETTINGS,
    create({ hub, settings }) {
      const onec: OnecConnector = new OnecConnectorImpl(hub, settings, opts.clock);
      return { api: onec };
    },
  });
}

export const onecConnector = createOnecConnector();

// The amoCRM connector: OAuth (connect for any module, refresh with a cross-process lock, a periodic refresh job,
// disconnect), a typed rate-limited API per connected account, and a coalescing queue that turns many single
// complex leads into /leads/complex calls of up to 50. It owns amoCRM's two callbacks (/connect/amocrm/…) and the
// operator API for connections. Modules use only what this file exports; see docs/amocrm.md.
import { settingsOf } from '../../config.js';
import type { Hub } from '../../platform/hub.js';
import { defineModule, settingGroupOf } from '../../platform/module.js';
import type { Clock } from '../../platform/outbound/clock.js';
import { AmoConnectorImpl } from './connector.js';
import { amoCli } from './cli.js';
import { AMO_CONNECTOR_NAME } from './name.js';
import { refreshQueue, scheduleRefresh } from './refresh.js';
import { AMO_SETTINGS, checkAmoSettings, resolveAmoSettings } from './settings.js';
import { connectionRoutes } from './http/routes.js';
import { amoAdminRoutes } from './http/admin-routes.js';
import { ADMIN_TAG, TAG } from './http/contract.js';
import type { AmoConnector } from './port.js';

export type * from './types.js';
export type * from './port.js';
export { AmoError, AMO_ERRORS, isAmoError, type AmoErrorCode } from './errors.js';
export { buildCustomFieldsValues } from './custom-fields.js';
export { parseAmoWebhook } from './webhooks.js';
export { answerCallback } from './http/routes.js';
export { resultPage } from './http/pages.js';
export { CALLBACK_PATH, DISCONNECT_PATH } from './settings.js';
export { AMO_CONNECTOR_NAME } from './name.js';
export { AMO_FACTS } from './facts.js';

export interface AmoConnectorOptions {
  /** The token-expiry clock (tests move it forward with the emulator's). */
  readonly now?: () => number;
  /** Pacing and retry waits (tests that do not measure them skip them with a test clock). */
  readonly clock?: Clock;
}

/** The connector with tunable options (tests pass a clock); `amocrmConnector` is the default. */
export function createAmocrmConnector(opts: AmoConnectorOptions = {}) {
  return defineModule({
    kind: 'connector',
    name: AMO_CONNECTOR_NAME,
    envPrefix: 'AMO',
    prefix: '/connect/amocrm',
    docs: 'docs/amocrm.md',
    settings: AMO_SETTINGS,
    checkSettings: checkAmoSettings,
    tags: [
      { name: TAG, description: 'amoCRM OAuth redirect and disconnect hook, shared by every module that connects accounts' },
      { name: ADMIN_TAG, description: 'amoCRM connections for operators: consent links for any module, token state, refresh, disconnect' },
    ],
    cli: amoCli,
    create({ hub, settings }) {
      const amo: AmoConnector = new AmoConnectorImpl(
        hub,
        resolveAmoSettings(settings, hub.config.publicUrl),
        opts.now ?? Date.now,
        opts.clock,
      );
      return {
        api: amo,
        queues: [...amo.queues, refreshQueue(() => amo)],
        routes: (app) => connectionRoutes(app, amo),
        adminRoutes: (app) => amoAdminRoutes(app, amo),
        start: () => scheduleRefresh(hub, settings.refreshCheckMinutes),
      };
    },
  });
}

export const amocrmConnector = createAmocrmConnector();

/**
 * A further connector instance on a started hub (tests: a second process's view, a moved clock). It shares the
 * database, the pacing and the tokens with the hub's own instance, but no owners are registered on it.
 */
export function createAmoConnector(hub: Hub, opts: AmoConnectorOptions = {}): AmoConnector {
  const settings = settingsOf(hub.config, settingGroupOf(amocrmConnector));
  return new AmoConnectorImpl(hub, resolveAmoSettings(settings as never, hub.config.publicUrl), opts.now ?? Date.now, opts.clock);
}

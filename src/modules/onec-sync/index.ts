// Entrance of the 1C ↔ amoCRM sync module (seed 001 §2): the endpoints 1C calls under /onec (HTTP Basic with the
// account's integration secret), the operator API under /admin/v1/onec and `hub onec`. Built so far: the base,
// field mappings and handler packages, the entity sync from 1C (§2.3–2.6: entity-sync.ts, events.ts) and the
// amoCRM → 1C direction (webhooks, pushes, corr_table: outbound.ts). See docs/modules/onec-sync.md.
import { defineModule, type ModuleContext } from '../../platform/module.js';
import type { Connectors } from '../../connectors/index.js';
import { checkOnecSyncSettings, ONEC_SYNC_SETTINGS } from './settings.js';
import { onecCli } from './cli.js';
import { SecretService } from './secrets.js';
import { BaseService, type CheckBase } from './bases.js';
import { HandlerService } from './handlers.js';
import { publicRoutes } from './routes.js';
import { adminRoutes, ADMIN_TAG } from './admin-routes.js';
import { TAG } from './contract.js';
import type { ResolveAll } from '../../platform/outbound/ssrf.js';
import { AMO_FACTS } from '../../connectors/amocrm/index.js';
import { AmoWriteBatcher } from './batcher.js';
import { FieldDirectory } from './directory.js';
import { EntitySync } from './entity-sync.js';
import { EventService } from './events.js';
import { syncRoutes } from './sync-routes.js';
import { onecBaseCheck } from './base-check.js';
import { accountCheck, registerOwner } from './amo-account.js';
import { LinkService } from './links.js';
import { AmoIndex } from './amo-index.js';
import { OptionStore } from './option-store.js';
import { OutboundService } from './outbound.js';
import { OUTBOUND } from './outbound-queues.js';
import { amoWebhookRoute, processWebhook, subscribe, webhookUrl } from './amo-webhooks.js';
import { outboundAdminRoutes } from './outbound-admin.js';

export type { CheckBase } from './bases.js';

export interface OnecSyncOptions {
  /** The connection check of POST /onec/sync/base; default: the 1C connector's get_handlers_version. */
  readonly checkBase?: CheckBase;
  /** DNS resolution of saved addresses (tests replace it). */
  readonly resolve?: ResolveAll;
  /** Seconds between retries of pushes, subscriptions and webhooks (tests shorten the back-off). */
  readonly retryDelaySeconds?: number;
}

export function createOnecSyncModule(options: OnecSyncOptions = {}) {
  return defineModule({
    name: 'onec-sync',
    prefix: '/onec',
    docs: 'docs/modules/onec-sync.md',
    settings: ONEC_SYNC_SETTINGS,
    checkSettings: checkOnecSyncSettings,
    securitySchemes: {
      onecBasic: { type: 'http', scheme: 'basic', description: '1C: user = key (amoCRM account id), password = integration secret' },
      onecPublisher: { type: 'http', scheme: 'basic', description: '1C handler publisher (ONEC_SYNC_PUBLISHER_USER / _PASSWORD)' },
    },
    tags: [
      { name: TAG, description: 'API для 1С (seed 001 §2): ответы {success, data, error}. HTTP Basic: key и секрет интеграции.' },
      { name: ADMIN_TAG, description: '1C sync: integration secrets, bases and field mappings, handler packages (operator API)' },
    ],
    cli: onecCli,
    create({ hub, settings, deps }: ModuleContext<typeof ONEC_SYNC_SETTINGS, Connectors>) {
      const { amo, onec } = deps;
      const subscribeLater = async (key: string) => void (await hub.jobs.send(OUTBOUND.subscribe, { key }));
      registerOwner(hub, amo, subscribeLater);
      const secrets = new SecretService(hub, accountCheck(amo));
      // A saved base gets the account's webhook (again: harmless) and the field table; a changed mapping, the table.
      const corrTableLater = async (key: string, idBase: string) => void (await hub.jobs.send(OUTBOUND.corrTable, { key, idBase }));
      const bases = new BaseService(hub, options.checkBase ?? onecBaseCheck(onec), options.resolve, {
        saved: async (key, idBase) => {
          await subscribeLater(key);
          await corrTableLater(key, idBase);
        },
        fieldsSaved: corrTableLater,
      });
      const handlers = new HandlerService(hub);
      const links = new LinkService(hub);
      const index = new AmoIndex(hub, () => amo);
      const optionStore = new OptionStore(hub);
      const batcher = new AmoWriteBatcher({
        windowMs: settings.batchWindowMs,
        max: settings.batchMax,
        apiFor: (id) => amo.api(id),
        clockSkewMs: AMO_FACTS.reconcileClockSkewMs,
        maxAttempts: 3,
      });
      const directory = new FieldDirectory(() => amo, settings.fieldsCacheSeconds * 1000);
      const syncDeps = { amo: () => amo, bases, links, index, directory, batcher };
      const sync = new EntitySync(syncDeps);
      const events = new EventService(hub, syncDeps, sync, optionStore);
      const outbound = new OutboundService({ hub, amo, onec, bases, links, options: optionStore });
      const retry =
        options.retryDelaySeconds === undefined ? {} : { retryDelay: options.retryDelaySeconds, retryDelayMax: options.retryDelaySeconds };
      return {
        api: { bases, handlers, index, batcher },
        queues: [
          OUTBOUND.push.worker((job) => outbound.push(job), retry),
          OUTBOUND.corrTable.worker((job) => outbound.corrTable(job), retry),
          OUTBOUND.subscribe.worker((job) => subscribe(hub, amo, job), retry),
          hub.inbox.queue(OUTBOUND.amoWebhook, (m, log) => processWebhook({ index, outbound }, m, log), retry),
        ],
        routes: (app) => {
          publicRoutes(app, { hub, secrets, bases, handlers, settings });
          syncRoutes(app, { sync, events });
          amoWebhookRoute(app, hub);
        },
        adminRoutes: (app) => {
          adminRoutes(app, { secrets, bases, handlers });
          outboundAdminRoutes(app, {
            bases,
            options: optionStore,
            outbound,
            webhook: { subscribeLater: (key) => hub.jobs.send(OUTBOUND.subscribe, { key }), url: (key) => webhookUrl(hub, key) },
          });
        },
      };
    },
  });
}

export const onecSyncModule = createOnecSyncModule();

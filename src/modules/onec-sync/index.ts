// Entrance of the 1C ↔ amoCRM sync module (seed 001 §2): the endpoints 1C calls under /onec (HTTP Basic with the
// account's integration secret), the operator API under /admin/v1/onec and `hub onec`. Built so far: the base,
// field mappings and handler packages; the entity sync (§2.3–2.6) is still to come (docs/modules/onec-sync.md).
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
import { AmoIndex } from './amo-index.js';
import { AmoWriteBatcher } from './batcher.js';
import { FieldDirectory } from './directory.js';
import { EntitySync } from './entity-sync.js';
import { EventService } from './events.js';
import { LinkService } from './links.js';
import { syncRoutes } from './sync-routes.js';

export type { CheckBase } from './bases.js';

export interface OnecSyncOptions {
  /** The connection check of POST /onec/sync/base (the 1C connector's get_handlers_version); none: not checked. */
  readonly checkBase?: CheckBase;
  /** DNS resolution of saved addresses (tests replace it). */
  readonly resolve?: ResolveAll;
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
      const secrets = new SecretService(hub);
      const bases = new BaseService(hub, options.checkBase, options.resolve);
      const handlers = new HandlerService(hub);
      const amo = () => deps.amo;
      const links = new LinkService(hub);
      const index = new AmoIndex(hub, amo);
      const batcher = new AmoWriteBatcher({
        windowMs: settings.batchWindowMs,
        max: settings.batchMax,
        apiFor: (id) => deps.amo.api(id),
        clockSkewMs: AMO_FACTS.reconcileClockSkewMs,
        maxAttempts: 3,
      });
      const directory = new FieldDirectory(amo, settings.fieldsCacheSeconds * 1000);
      const sync = new EntitySync({ amo, bases, links, index, directory, batcher });
      const events = new EventService(hub, { amo, bases, links, index, directory, batcher }, sync);
      return {
        api: { bases, handlers, index, batcher },
        routes: (app) => {
          publicRoutes(app, { hub, secrets, bases, handlers, settings });
          syncRoutes(app, { sync, events });
        },
        adminRoutes: (app) => adminRoutes(app, { secrets, bases, handlers }),
      };
    },
  });
}

export const onecSyncModule = createOnecSyncModule();

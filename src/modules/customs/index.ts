// Entrance of the customs & logistics module (seed 000): ПТД XML for Alta (POST /alta/ptd/export, built from the
// FTS album and XSD-validated in-process), Alta's status webhooks (through the platform inbox), per-source tokens,
// the operator API under /admin/v1/customs and `hub customs`. Still to come: the statuses' amoCRM side, the
// ВЭД-склад and lab webhooks, the 1C side and the deal timeline (docs/modules/customs.md).
import { defineModule, type ModuleContext } from '../../platform/module.js';
import type { Connectors } from '../../connectors/index.js';
import { checkCustomsSettings, CUSTOMS_SETTINGS } from './settings.js';
import { customsCli } from './cli.js';
import { TAG_ALTA } from './contract.js';
import { TokenService } from './tokens.js';
import { PtdService } from './ptd.js';
import { AlbumRegistry, defaultAlbumDir } from './xsd.js';
import { StatusService } from './statuses.js';
import { PTD_STATUS, TRANSIT_STATUS } from './queues.js';
import { publicRoutes } from './routes.js';
import { adminRoutes, ADMIN_TAG } from './admin-routes.js';
import { OnecBaseService } from './onec-bases.js';
import { OnecSide } from './onec-side.js';
import { onecAdminRoutes } from './onec-admin-routes.js';

export function createCustomsModule() {
  return defineModule({
    name: 'customs',
    // The seed's paths are at the root; the ПТД export is under /alta (the webhooks of /ved-sklad and /1c will need
    // a scope of their own).
    prefix: '/alta',
    docs: 'docs/modules/customs.md',
    settings: CUSTOMS_SETTINGS,
    checkSettings: checkCustomsSettings,
    securitySchemes: {
      customsToken: {
        type: 'apiKey',
        in: 'header',
        name: 'X-Hub-Token',
        description: 'Токен источника (hub customs token create --source …)',
      },
      customsBearer: { type: 'http', scheme: 'bearer', description: 'Токен источника как Bearer' },
      customsTokenQuery: { type: 'apiKey', in: 'query', name: 'token', description: 'Токен источника в параметре (вебхуки amoCRM)' },
    },
    tags: [
      { name: TAG_ALTA, description: 'Альта (seed 000): XML ПТД по альбому форматов ФТС. Ответы с ошибкой — схема Error.' },
      { name: ADMIN_TAG, description: 'Customs: source tokens and ПТД exports (operator API)' },
    ],
    cli: customsCli,
    create({ hub, settings, deps }: ModuleContext<typeof CUSTOMS_SETTINGS, Connectors>) {
      const tokens = new TokenService(hub);
      const onecBases = new OnecBaseService(hub, deps.onec);
      const onec = new OnecSide(hub, deps.onec, onecBases);
      const albums = new AlbumRegistry(settings.albumDir || defaultAlbumDir());
      const ptd = new PtdService(hub, albums, settings);
      const statuses = new StatusService(hub);
      return {
        api: { ptd, albums, statuses, onecBases, onec },
        queues: [
          hub.inbox.queue(PTD_STATUS, (message) => statuses.record('ptd', message)),
          hub.inbox.queue(TRANSIT_STATUS, (message) => statuses.record('transit', message)),
        ],
        routes: (app) => publicRoutes(app, { hub, tokens, ptd }),
        adminRoutes: (app) => {
          adminRoutes(app, { tokens, ptd, statuses });
          onecAdminRoutes(app, { onecBases }, ADMIN_TAG);
        },
      };
    },
  });
}

export const customsModule = createCustomsModule();

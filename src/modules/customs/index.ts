// Entrance of the customs & logistics module (seed 000): ПТД XML for Alta (POST /alta/ptd/export, built from the
// FTS album and XSD-validated in-process), the partners' notification webhooks (inbox → job → status → timeline →
// the account's mapping applied to the amoCRM lead), per-account source tokens, the operator API under
// /admin/v1/customs and /admin/v1/deals/{leadId}/timeline, and `hub customs`. See docs/modules/customs.md.
import { defineModule, type ModuleContext } from '../../platform/module.js';
import type { Connectors } from '../../connectors/index.js';
import { checkCustomsSettings, CUSTOMS_SETTINGS } from './settings.js';
import { customsCli } from './cli.js';
import { ErrorSchema, SuccessResponse, TAG_ALTA, TAG_VED_SKLAD } from './contract.js';
import { PtdExportRequest } from './ptd-contract.js';
import { TokenService } from './tokens.js';
import { PTD_EXPORT_NOTE, PtdService } from './ptd.js';
import { AlbumRegistry, defaultAlbumDir } from './xsd.js';
import { StatusService } from './statuses.js';
import { KINDS } from './kinds.js';
import { PREFIXES, publicRoutes } from './routes.js';
import { adminRoutes, ADMIN_TAG } from './admin-routes.js';
import { mappingRoutes } from './mapping-routes.js';
import { timelineRoutes } from './timeline-routes.js';
import { EventLog } from './events.js';
import { MappingService } from './mappings.js';
import { LeadUpdater } from './lead-updater.js';
import { NotificationPipeline } from './notifications.js';
import { ExportNotes } from './export-note.js';
import { assertKnownAccount, registerOwner } from './amo-account.js';
import { OnecBaseService } from './onec-bases.js';
import { OnecSide } from './onec-side.js';
import { onecAdminRoutes } from './onec-admin-routes.js';
import { TAG_1C } from './onec-contract.js';
import { actionPerformer } from './onec-pipeline.js';

export interface CustomsOptions {
  /** Seconds before a failed notification or export-note job is retried (tests shorten the back-off). */
  readonly retryDelaySeconds?: number;
}

export function createCustomsModule(options: CustomsOptions = {}) {
  return defineModule({
    name: 'customs',
    // The seed's paths start at three roots; each gets a scope with the module's envelope and gate.
    prefix: PREFIXES,
    docs: 'docs/modules/customs.md',
    settings: CUSTOMS_SETTINGS,
    checkSettings: checkCustomsSettings,
    securitySchemes: {
      customsToken: {
        type: 'apiKey',
        in: 'header',
        name: 'X-Hub-Token',
        description: 'Токен источника (hub customs token create --account … --source …)',
      },
      customsBearer: { type: 'http', scheme: 'bearer', description: 'Токен источника как Bearer' },
      customsTokenQuery: { type: 'apiKey', in: 'query', name: 'token', description: 'Токен источника в параметре (вебхуки amoCRM)' },
    },
    tags: [
      {
        name: TAG_ALTA,
        description:
          'Альта (seed 000): XML ПТД по альбому форматов ФТС, статусы ПТД и транзитных деклараций. Ответы с ошибкой — схема Error.',
      },
      {
        name: TAG_VED_SKLAD,
        description:
          'ВЭД-склад (seed 000): товар на СВХ (размещён, выпуск разрешён, выдан) и документы лаборатории (ЭПТС, СБКТС, файлы). ' +
          'Ответы с ошибкой — схема Error.',
      },
      {
        name: TAG_1C,
        description:
          '1С (seed 000): клиент и счёт из amoCRM в 1С, оплата счёта из 1С. Уведомления сохраняются до ответа и обрабатываются заданием. ' +
          'Ответы с ошибкой — схема Error.',
      },
      { name: ADMIN_TAG, description: 'Customs: source tokens, status mappings, ПТД exports, statuses and deal timelines (operator API)' },
    ],
    // The seed refers to its schemas by name: each is published under components.schemas with its Russian
    // descriptions and examples (the notification kinds' schemas come from kinds.ts).
    componentSchemas: Object.fromEntries(
      [PtdExportRequest, ...Object.values(KINDS).map((k) => k.schema), SuccessResponse, ErrorSchema].map((s) => [s.title!, s]),
    ),
    cli: customsCli,
    create({ hub, settings, deps }: ModuleContext<typeof CUSTOMS_SETTINGS, Connectors>) {
      const { amo } = deps;
      registerOwner(hub, amo);
      const tokens = new TokenService(hub);
      const onecBases = new OnecBaseService(hub, deps.onec, (id) => assertKnownAccount(amo, id));
      const onec = new OnecSide(hub, deps.onec, onecBases);
      const albums = new AlbumRegistry(settings.albumDir || defaultAlbumDir());
      const ptd = new PtdService(hub, albums, settings);
      const statuses = new StatusService(hub);
      const events = new EventLog(hub);
      const mappings = new MappingService(hub, amo);
      const updater = new LeadUpdater(amo);
      const perform = actionPerformer({
        events,
        mappings,
        updater,
        actions: {
          'onec.client': (accountId, body) => onec.sendClient(accountId, body),
          'onec.invoice': (accountId, body) => onec.createInvoice(accountId, body),
          'onec.payment': (accountId, body) => onec.recordPayment(accountId, body),
        },
      });
      const pipeline = new NotificationPipeline({ statuses, events, mappings, updater, perform });
      // 1C may be down for hours (a server restart, a nightly backup): its actions wait longer between attempts.
      const onecRetry = { retryLimit: 10, retryDelay: options.retryDelaySeconds ?? settings.onecRetrySeconds, retryDelayMax: 3600 };
      const notes = new ExportNotes(hub, ptd, events, amo);
      return {
        api: { ptd, albums, statuses, events, onecBases, onec },
        queues: [
          ...Object.values(KINDS).map((kind) =>
            hub.inbox.queue(
              kind.queue,
              (message, log) => pipeline.process(kind, message, log),
              'perform' in kind ? onecRetry : options.retryDelaySeconds ? { retryDelay: options.retryDelaySeconds } : {},
            ),
          ),
          PTD_EXPORT_NOTE.worker((job, ctx) => notes.note(job.exportId, ctx.log, ctx.retryCount), {
            retryLimit: 10,
            retryDelay: options.retryDelaySeconds ?? 30,
          }),
        ],
        routes: (app, prefix) => publicRoutes(app, prefix, { hub, tokens, ptd }),
        adminRoutes: (app) => {
          adminRoutes(app, { tokens, ptd, statuses, amo });
          mappingRoutes(app, mappings);
          timelineRoutes(app, events);
          onecAdminRoutes(app, { onecBases }, ADMIN_TAG);
        },
      };
    },
  });
}

export const customsModule = createCustomsModule();

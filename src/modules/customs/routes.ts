// The public routes, one scope per root of the seed's paths: /alta (POST /alta/ptd/export here, Alta's status
// webhooks in webhook-routes.ts), /ved-sklad (ВЭД-склад's and the lab's webhooks, there too) and /1c. Thin: the gate authenticates the source (and with it the
// amoCRM account), the schema validates (the export: all errors at once, each by field), the services do the rest.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Hub } from '../../platform/hub.js';
import { allErrors } from './validation.js';
import { callerOf, installGate, type CustomsRouteConfig } from './auth.js';
import { ErrorSchema, TAG_ALTA, TOKEN_SECURITY } from './contract.js';
import { useCustomsEnvelope } from './errors.js';
import { PtdExportRequest, type PtdRequest } from './ptd-contract.js';
import type { PtdService } from './ptd.js';
import type { TokenService } from './tokens.js';
import { altaWebhookRoutes, vedSkladWebhookRoutes } from './webhook-routes.js';
import { onecRoutes } from './onec-routes.js';

export interface PublicDeps {
  readonly hub: Hub;
  readonly tokens: TokenService;
  readonly ptd: PtdService;
}

/** Problems the document had that did not stop it, for the caller: `field=CODE; …` (ASCII, so a header holds it). */
const warningsHeader = (warnings: ReadonlyArray<{ field: string; code: string }>) => warnings.map((w) => `${w.field}=${w.code}`).join('; ');

/** The URL roots of the seed's paths (the module's prefixes). */
export const PREFIXES = ['/alta', '/ved-sklad', '/1c'] as const;

/** Each prefix's scope: the module's envelope and gate, then its routes. */
export function publicRoutes(scope: FastifyInstance, prefix: string, deps: PublicDeps): void {
  useCustomsEnvelope(scope);
  installGate(scope, deps);
  switch (prefix) {
    case '/alta':
      ptdExportRoute(scope, deps);
      altaWebhookRoutes(scope, deps.hub);
      return;
    case '/ved-sklad':
      vedSkladWebhookRoutes(scope, deps.hub);
      return;
    case '/1c':
      onecRoutes(scope, deps.hub);
      return;
    default:
      return;
  }
}

function ptdExportRoute(scope: FastifyInstance, deps: PublicDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const config: CustomsRouteConfig = { customsSources: ['amocrm'] };
  app.post(
    '/ptd/export',
    {
      config,
      validatorCompiler: (route) => allErrors(route),
      schema: {
        operationId: 'AltaPtdExport',
        tags: [TAG_ALTA],
        summary: 'Запрос на формирование XML для ПТД',
        description:
          'AmoCRM (или виджет в AmoCRM) отправляет данные для генерации XML файла пассажирской таможенной декларации ' +
          '(PassengerDeclaration, DocumentModeID 1006300E, альбом форматов ФТС). Сервис проверяет данные, формирует XML, ' +
          'проверяет его по XSD альбома и возвращает файл; каждая выгрузка записывается (id сделки, DocumentID, SHA-256). ' +
          'Токен источника amocrm: заголовок X-Hub-Token, Authorization: Bearer или параметр ?token=. ' +
          'Замечания, не мешающие выгрузке (контрольная цифра VIN…), — в заголовке X-Ptd-Warnings.',
        security: TOKEN_SECURITY,
        body: PtdExportRequest,
        response: {
          200: {
            description: 'XML файл успешно сформирован (Content-Disposition: attachment; filename="ptd-<leadId>.xml")',
            headers: {
              'x-ptd-warnings': { type: 'string', description: 'Замечания: «поле=КОД; …» (если есть)' },
              'x-ptd-document-id': { type: 'string', description: 'DocumentID документа' },
            },
            content: { 'application/xml': { schema: Type.String({ description: 'XML ПТД (UTF-8)' }) } },
          },
          400: ErrorSchema,
          401: ErrorSchema,
          429: ErrorSchema,
          500: ErrorSchema,
        },
      },
    },
    async (req, reply) => {
      // typed by the schema (the own validator hides it)
      const result = await deps.ptd.export(callerOf(req).accountId, req.body as PtdRequest);
      reply
        .type('application/xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${result.fileName}"`)
        .header('x-ptd-document-id', result.documentId);
      if (result.warnings.length) reply.header('x-ptd-warnings', warningsHeader(result.warnings));
      return reply.send(result.xml);
    },
  );
}

// Entrance of the SAMBA accounting module (seed 002): the HTTP service an advertising agency's 1C publishes for the
// ad platform SAMBA (`…/hs/samba`), served by the hub under /samba with its own storage, so SAMBA works against the
// hub as against 1C. HTTP Basic users, customers, payments, placements and acts come from the operator
// (/admin/v1/samba, `hub samba user …`); payments also from bank statements (`hub samba import-bank-statement`).
// Invoices print as PDF, DOCX or XLSX (/files/po) with the supplier's requisites from SAMBA_SUPPLIER_* settings.
import { defineModule } from '../../platform/module.js';
import { sambaCli } from './cli.js';
import { createServices } from './services.js';
import { publicRoutes } from './routes.js';
import { invoiceRoutes } from './routes-po.js';
import { adminRoutes, ADMIN_TAG } from './admin-routes.js';
import { TAG } from './contract.js';
import { recordRoutes } from './admin-records.js';
import { BankImportService } from './bank-import.js';
import { TableImportService } from './imports.js';
import { checkSambaSettings, SAMBA_SETTINGS } from './settings.js';

export interface SambaOptions {
  /** The clock invoices are dated by (tests move it across 2026-01-01). */
  readonly now?: () => Date;
}

export function createSambaModule(options: SambaOptions = {}) {
  return defineModule({
    name: 'samba',
    prefix: '/samba',
    docs: 'docs/modules/samba.md',
    settings: SAMBA_SETTINGS,
    checkSettings: checkSambaSettings,
    securitySchemes: {
      sambaBasic: {
        type: 'http',
        scheme: 'basic',
        description: 'SAMBA: пользователь и пароль, заведенные оператором (hub samba user add)',
      },
    },
    tags: [
      { name: TAG, description: 'API 1С для SAMBA (seed 002): ответы {status, message, result}. HTTP Basic.' },
      { name: ADMIN_TAG, description: 'SAMBA: users, customers, payments, placements and acts (operator API)' },
    ],
    cli: sambaCli(),
    create({ hub, settings }) {
      const services = createServices(hub, settings, options.now);
      return {
        api: services,
        routes: (app) => {
          publicRoutes(app, { hub, services });
          invoiceRoutes(app, services);
        },
        adminRoutes: (app) => {
          adminRoutes(app, services, new BankImportService(hub), new TableImportService(hub, services));
          recordRoutes(app, services);
        },
      };
    },
  });
}

export const sambaModule = createSambaModule();

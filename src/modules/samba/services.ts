// The module's services, built once per hub and shared by the public routes, the operator API and the CLI.
import type { Hub } from '../../platform/hub.js';
import { CampaignService } from './campaigns.js';
import { InvoiceService } from './invoices.js';
import { BrandService, ContractService, OrgService } from './parties.js';
import { ActService, PaymentService } from './payments.js';
import { UserService } from './users.js';
import { RecordService } from './records.js';
import { PrintService } from './print-form.js';
import type { SambaSettings } from './settings.js';

export interface Services {
  readonly users: UserService;
  readonly finaladv: OrgService;
  readonly customers: OrgService;
  readonly contracts: ContractService;
  readonly brands: BrandService;
  readonly campaigns: CampaignService;
  readonly invoices: InvoiceService;
  readonly payments: PaymentService;
  readonly acts: ActService;
  readonly print: PrintService;
  /** The operator's listing, correction and removal of customers, placements, acts and payments. */
  readonly records: RecordService;
}

export function createServices(hub: Hub, settings: SambaSettings, now: () => Date = () => new Date()): Services {
  const contracts = new ContractService(hub);
  const campaigns = new CampaignService(hub, contracts);
  const invoices = new InvoiceService(hub, campaigns, now);
  return {
    users: new UserService(hub),
    finaladv: new OrgService(hub, 'finaladv'),
    customers: new OrgService(hub, 'customer'),
    contracts,
    brands: new BrandService(hub),
    campaigns,
    invoices,
    payments: new PaymentService(hub, invoices),
    acts: new ActService(hub, campaigns),
    print: new PrintService(hub, invoices, settings),
    records: new RecordService(hub, invoices),
  };
}

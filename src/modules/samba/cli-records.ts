// `hub samba customers|placements|acts|payments list`: what the operator entered, as an aligned table (a header, one
// row per record, then «N of TOTAL»). The filters and paging are the admin API's (GET /admin/v1/samba/<kind>).
import type { Command } from 'commander';
import type { CliIo, ModuleCli } from '../../platform/module.js';
import { pageOf } from './admin-records.js';
import type { Page, RecordFilter } from './records.js';
import type { Services } from './services.js';

type WithHub = Parameters<ModuleCli>[1];

interface Kind {
  readonly columns: readonly string[];
  readonly list: (s: Services, f: RecordFilter, paging: { page: number; pageSize: number }) => Promise<Page<object>>;
}
const KINDS: Record<string, Kind> = {
  customers: { columns: ['uuid', 'inn', 'kpp', 'name'], list: (s, f, p) => s.records.customers(f, p) },
  placements: { columns: ['rk_id', 'placement', 'placement_amount', 'uuid_rk'], list: (s, f, p) => s.records.placements(f, p) },
  acts: { columns: ['uuid', 'rk_id', 'placement', 'document', 'act_amount'], list: (s, f, p) => s.records.acts(f, p) },
  payments: {
    columns: ['uuid', 'number', 'date', 'amount', 'number_po', 'status'],
    list: (s, f, p) => s.records.payments(f, p),
  },
};

/** Columns padded to their widest cell (in characters: the names are Cyrillic), two spaces apart. */
export function table(columns: readonly string[], rows: readonly object[]): string {
  const cells = [columns.map(String), ...rows.map((r) => columns.map((c) => String((r as Record<string, unknown>)[c] ?? '')))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => [...line[i]!].length)));
  return cells
    .map(
      (line) =>
        line
          .map((v, i) => v + ' '.repeat(widths[i]! - [...v].length))
          .join('  ')
          .trimEnd() + '\n',
    )
    .join('');
}

interface ListOptions {
  inn?: string;
  kpp?: string;
  name?: string;
  rkId?: string;
  invoice?: string;
  placement?: string;
  page: string;
  pageSize: string;
}

export function recordCommands(samba: Command, withHub: WithHub, io: CliIo): void {
  for (const [name, kind] of Object.entries(KINDS)) {
    samba
      .command(name)
      .description(`The ${name} the operator entered`)
      .command('list')
      .description(`List ${name} (a page; --page, --page-size up to 100)`)
      .option('--inn <inn>', "customer's ИНН")
      .option('--kpp <kpp>', "customer's КПП")
      .option('--name <text>', 'customers: part of the name')
      .option('--rk-id <rk_id>', 'placements, acts, payments: the campaign (SAMBA number)')
      .option('--placement <name>', 'placements, acts: the placement')
      .option('--invoice <number>', 'payments: the invoice number')
      .option('--page <n>', 'page, from 1', '1')
      .option('--page-size <n>', 'rows per page (at most 100)', '50')
      .action(async (o: ListOptions) => {
        const [page, size] = [Number(o.page), Number(o.pageSize)];
        if (!Number.isInteger(page) || page < 0 || !Number.isInteger(size) || size < 1) {
          io.err('--page must be an integer ≥ 0 and --page-size ≥ 1\n');
          return io.setExitCode(2);
        }
        const filter: RecordFilter = { inn: o.inn, kpp: o.kpp, name: o.name, rk_id: o.rkId, placement: o.placement, number_po: o.invoice };
        const result = await withHub(async (_hub, parts) =>
          kind.list(await parts.api<Services>('samba'), filter, pageOf({ page, page_size: size })),
        );
        io.out(table(kind.columns, result.items));
        io.out(`${result.items.length} of ${result.total} (page ${result.page}, ${result.page_size} per page)\n`);
      });
  }
}

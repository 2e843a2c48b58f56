// `hub amocrm …`: connections for operators, the same operations as /admin/v1/amocrm.
//   hub amocrm connect --for onec-sync [--mode popup]   (prints the consent link)
//   hub amocrm accounts                                  (token state and expiry)
//   hub amocrm refresh <amoAccountId> | --stale          (renew tokens now)
//   hub amocrm disconnect <amoAccountId>
import type { Command } from 'commander';
import type { CliIo, ModuleCli, WithHub } from '../../platform/module.js';
import type { AmoAccountState, AmoConnector } from './port.js';
import { AMO_CONNECTOR_NAME } from './name.js';

const accountId = (v: string) => {
  if (!/^\d{1,15}$/.test(v)) throw new Error(`amoCRM account id must be a whole number, got "${v}"`);
  return Number(v);
};

const day = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : '—');

export function accountsTable(accounts: readonly AmoAccountState[]): string {
  if (!accounts.length) return 'no amoCRM accounts connected\n';
  const rows = accounts.map((a) =>
    [
      String(a.amoAccountId),
      a.subdomain,
      a.status,
      a.owner ?? '—',
      day(a.accessExpiresAt),
      day(a.refreshExpiresAt),
      a.lastError ?? '',
    ].join('\t'),
  );
  return ['id\tsubdomain\tstatus\towner\taccess expires\trefresh token dies\tlast error', ...rows].join('\n') + '\n';
}

export function registerAmoCli(program: Command, withHub: WithHub, io: CliIo): void {
  const amoApi = <T>(fn: (amo: AmoConnector) => Promise<T>) =>
    withHub(async (_hub, parts) => fn(await parts.api<AmoConnector>(AMO_CONNECTOR_NAME)));
  const amo = program.command('amocrm').description('amoCRM connections: consent links, accounts, token refresh, disconnect');

  amo
    .command('connect')
    .description('Print a consent link connecting an amoCRM account for a module (open it as the amoCRM user granting access)')
    .requiredOption('--for <owner>', 'the module the account is for, e.g. onec-sync or quiz:<quiz account id>')
    .option('--mode <mode>', 'popup or post_message (how amoCRM returns to the hub)', 'post_message')
    .action(async (opts: { for: string; mode: 'popup' | 'post_message' }) => {
      const url = await amoApi(async (a) => {
        const name = opts.for.split(':')[0]!;
        if (!a.owners().includes(name)) throw new Error(`"${name}" is not a module that uses amoCRM here (${a.owners().join(', ')})`);
        return a.authorizeUrl(opts.for, { mode: opts.mode });
      });
      io.out(`${url}\n`);
    });

  amo
    .command('accounts')
    .description('List amoCRM accounts with the state and expiry of their tokens')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const accounts = await amoApi((a) => a.listAccounts());
      io.out(opts.json ? `${JSON.stringify(accounts, null, 2)}\n` : accountsTable(accounts));
    });

  amo
    .command('refresh')
    .description('Renew tokens now: one account, or --stale for every account the refresh job would renew')
    .argument('[amoAccountId]', 'amoCRM account id', accountId)
    .option('--stale', 'every active account whose tokens are older than AMO_REFRESH_AFTER_DAYS')
    .action(async (id: number | undefined, opts: { stale?: boolean }) => {
      if (id === undefined && !opts.stale) throw new Error('name an account id or pass --stale');
      if (id !== undefined) {
        const state = await amoApi((a) => a.refreshNow(id));
        io.out(accountsTable([state]));
        return;
      }
      const report = await amoApi((a) => a.refreshStale());
      io.out(`checked ${report.checked}, refreshed ${report.refreshed}, need re-consent ${report.needsReauth}, failed ${report.failed}\n`);
      if (report.needsReauth || report.failed) io.setExitCode(1);
    });

  amo
    .command('disconnect')
    .description('Disconnect an account: wipe its tokens and tell every module that uses it')
    .argument('<amoAccountId>', 'amoCRM account id', accountId)
    .action(async (id: number) => {
      const known = await amoApi((a) => a.disconnect(id));
      if (!known) {
        io.out(`no amoCRM account ${id}\n`);
        io.setExitCode(1);
        return;
      }
      io.out(`amoCRM account ${id} disconnected\n`);
    });
}

export const amoCli: ModuleCli = (program, withHub, io) => registerAmoCli(program, withHub, io);

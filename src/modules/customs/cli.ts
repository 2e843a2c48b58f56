// `hub customs …`: the source tokens callers authenticate with, one per source of each amoCRM account.
//   hub customs token create --account <amo id> --source <alta|ved-sklad|lab|1c|amocrm>   (prints the token, once)
//   hub customs token rotate --account <amo id> --source <…>             (the old token is refused at once)
//   hub customs token revoke --account <amo id> --source <…>
//   hub customs token list [--account <amo id>] [--source <…>]
//   hub customs onec set|show|remove --account <amo id> …   (the account's 1C base: onec-cli.ts)
import { AMO_CONNECTOR_NAME, type AmoConnector } from '../../connectors/amocrm/index.js';
import type { ModuleCli } from '../../platform/module.js';
import { assertKnownAccount } from './amo-account.js';
import { SOURCES, type Source } from './contract.js';
import { TokenService, type TokenView } from './tokens.js';
import { onecCommands } from './onec-cli.js';

const source = (v: string): Source => {
  if (!(SOURCES as readonly string[]).includes(v)) throw new Error(`--source must be one of ${SOURCES.join(', ')}, got "${v}"`);
  return v as Source;
};

const account = (v: string): number => {
  if (!/^[1-9]\d{0,15}$/.test(v)) throw new Error(`--account must be an amoCRM account id, got "${v}"`);
  return Number(v);
};

const line = (t: TokenView) =>
  `${t.account_id}\t${t.source}\t${t.prefix}…\tcreated ${t.created_at}${t.rotated_at ? `\trotated ${t.rotated_at}` : ''}\n`;

export const customsCli: ModuleCli = (program, withHub, io) => {
  const customs = program.command('customs').description('Customs & logistics (seed 000): Alta, ВЭД-склад, the lab, 1C');
  onecCommands(customs, withHub, io);
  const token = customs.command('token').description("A calling system's token (X-Hub-Token, Authorization: Bearer or ?token=)");
  for (const [name, description] of [
    ['create', 'Create the token of a source that has none'],
    ['rotate', 'Replace the token (the old one is refused at once)'],
  ] as const) {
    token
      .command(name)
      .description(description)
      .requiredOption('--account <id>', 'amoCRM account id (connected for customs)', account)
      .requiredOption('--source <source>', SOURCES.join(' | '), source)
      .action(async (o: { account: number; source: Source }) => {
        const shown = await withHub(async (hub, parts) => {
          if (name === 'create') await assertKnownAccount(await parts.api<AmoConnector>(AMO_CONNECTOR_NAME), o.account);
          return new TokenService(hub)[name](o.account, o.source);
        });
        io.out(`${shown.token}\n`);
        io.err(
          `Токен источника ${shown.source} аккаунта ${shown.account_id}: строка выше, показывается один раз (хранится только SHA-256).\n`,
        );
      });
  }
  token
    .command('revoke')
    .description("Revoke a source's token")
    .requiredOption('--account <id>', 'amoCRM account id', account)
    .requiredOption('--source <source>', SOURCES.join(' | '), source)
    .action(async (o: { account: number; source: Source }) => {
      const t = await withHub((hub) => new TokenService(hub).revoke(o.account, o.source));
      io.out(`revoked ${line(t)}`);
    });
  token
    .command('list')
    .description('Sources with a token (prefix and dates; never the token)')
    .option('--account <id>', 'amoCRM account id', account)
    .option('--source <source>', SOURCES.join(' | '), source)
    .action(async (o: { account?: number; source?: Source }) => {
      const list = await withHub((hub) => new TokenService(hub).list({ accountId: o.account, source: o.source }));
      for (const t of list) io.out(line(t));
      if (!list.length) io.err('Токенов нет: hub customs token create --account <id аккаунта amoCRM> --source <источник>\n');
    });
};

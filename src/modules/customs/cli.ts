// `hub customs …`: the source tokens callers authenticate with.
//   hub customs token create --source <alta|ved-sklad|lab|1c|amocrm>   (prints the token, once)
//   hub customs token rotate --source <…>                               (the old token is refused at once)
//   hub customs token revoke --source <…>
//   hub customs token list [--source <…>]
//   hub customs onec set|show|remove --account <id> …                 (the account's 1C base: onec-cli.ts)
import type { ModuleCli } from '../../platform/module.js';
import { SOURCES, type Source } from './contract.js';
import { TokenService, type TokenView } from './tokens.js';
import { onecCommands } from './onec-cli.js';

const source = (v: string): Source => {
  if (!(SOURCES as readonly string[]).includes(v)) throw new Error(`--source must be one of ${SOURCES.join(', ')}, got "${v}"`);
  return v as Source;
};

const line = (t: TokenView) => `${t.source}\t${t.prefix}…\tcreated ${t.created_at}${t.rotated_at ? `\trotated ${t.rotated_at}` : ''}\n`;

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
      .requiredOption('--source <source>', SOURCES.join(' | '), source)
      .action(async (o: { source: Source }) => {
        const shown = await withHub((hub) => new TokenService(hub)[name](o.source));
        io.out(`${shown.token}\n`);
        io.err(`Токен источника ${shown.source}: строка выше, показывается один раз (хранится только SHA-256).\n`);
      });
  }
  token
    .command('revoke')
    .description("Revoke a source's token")
    .requiredOption('--source <source>', SOURCES.join(' | '), source)
    .action(async (o: { source: Source }) => {
      const t = await withHub((hub) => new TokenService(hub).revoke(o.source));
      io.out(`revoked ${line(t)}`);
    });
  token
    .command('list')
    .description('Sources with a token (prefix and dates; never the token)')
    .option('--source <source>', SOURCES.join(' | '), source)
    .action(async (o: { source?: Source }) => {
      const list = await withHub((hub) => new TokenService(hub).list(o.source));
      for (const t of list) io.out(line(t));
      if (!list.length) io.err('Токенов нет: hub customs token create --source <источник>\n');
    });
};

// `hub onec …`: the integration secret 1C authenticates with (HTTP Basic: user = key, password = the secret).
//   hub onec secret create --key <amoCRM account id>   (prints the secret)
//   hub onec secret rotate --key <id>                  (the old secret stops working at once)
//   hub onec secret show --key <id>
import type { ModuleCli } from '../../platform/module.js';
import { SecretService } from './secrets.js';

const accountId = (v: string) => {
  if (!/^[1-9][0-9]{0,15}$/.test(v)) throw new Error(`--key must be an amoCRM account id (digits), got "${v}"`);
  return v;
};

export const onecCli: ModuleCli = (program, withHub, io) => {
  const secret = program
    .command('onec')
    .description('1C ↔ amoCRM sync (seed 001)')
    .command('secret')
    .description("An account's integration secret: 1C's HTTP Basic password (the user is the account id)");
  const action = (name: 'create' | 'rotate' | 'show', description: string) =>
    secret
      .command(name)
      .description(description)
      .requiredOption('--key <id>', 'amoCRM account id (the key 1C sends)', accountId)
      .action(async (o: { key: string }) => {
        const shown = await withHub((hub) => new SecretService(hub)[name](o.key));
        io.out(`${shown.secret}\n`);
        io.err(
          `1C: HTTP Basic, логин ${shown.key}, пароль — строка выше. Создан ${shown.created_at}${shown.rotated_at ? `, сменён ${shown.rotated_at}` : ''}\n`,
        );
      });
  action('create', 'Create the secret of an account that has none');
  action('rotate', 'Replace the secret (the old one stops working at once)');
  action('show', 'Show the current secret');
};

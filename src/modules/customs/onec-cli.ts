// `hub customs onec …`: the 1C base of an amoCRM account for the customs module.
//   hub customs onec set --account <id> --id-base <id> --web-address <url> --login <login> --password <password>
//   hub customs onec show --account <id>        (never the password)
//   hub customs onec remove --account <id>
// The password comes as an option, not from standard input: beside a running embedded hub the command runs inside
// that hub (src/cli/control-socket.ts), which has no terminal to read.
import type { Command } from 'commander';
import type { CliIo, WithHub } from '../../platform/module.js';
import { ONEC_CONNECTOR_NAME, type OnecConnector } from '../../connectors/onec/index.js';
import { OnecBaseService, type OnecBaseView } from './onec-bases.js';
import { AMO_CONNECTOR_NAME, type AmoConnector } from '../../connectors/amocrm/index.js';
import { assertKnownAccount } from './amo-account.js';

const account = (v: string): number => {
  if (!/^[1-9]\d{0,15}$/.test(v)) throw new Error(`--account must be an amoCRM account id, got "${v}"`);
  return Number(v);
};

const line = (b: OnecBaseView) => `${b.amo_account_id}\t${b.id_base}\t${b.web_address}\tlogin ${b.login}\tupdated ${b.updated_at}\n`;

export function onecCommands(customs: Command, withHub: WithHub, io: CliIo): void {
  const onec = customs.command('onec').description("An amoCRM account's 1C base (counterparties and invoices of the customs module)");
  const service = async (hub: Parameters<Parameters<WithHub>[0]>[0], parts: Parameters<Parameters<WithHub>[0]>[1]) => {
    const amo = await parts.api<AmoConnector>(AMO_CONNECTOR_NAME);
    return new OnecBaseService(hub, await parts.api<OnecConnector>(ONEC_CONNECTOR_NAME), (id) => assertKnownAccount(amo, id));
  };
  onec
    .command('set')
    .description('Set (or replace) the base: its address is checked, the password stored sealed')
    .requiredOption('--account <id>', 'amoCRM account id', account)
    .requiredOption('--id-base <id>', '1C base id')
    .requiredOption('--web-address <url>', "URL of the base's handlers, e.g. https://1c.example.ru/buh/hs/amo")
    .requiredOption('--login <login>', 'HTTP Basic login')
    .requiredOption('--password <password>', 'HTTP Basic password (never shown again)')
    .action(async (o: { account: number; idBase: string; webAddress: string; login: string; password: string }) => {
      const b = await withHub(async (hub, parts) =>
        (await service(hub, parts)).set(o.account, { idBase: o.idBase, webAddress: o.webAddress, login: o.login, password: o.password }),
      );
      io.out(`set ${line(b)}`);
    });
  onec
    .command('show')
    .description('The base (never the password)')
    .requiredOption('--account <id>', 'amoCRM account id', account)
    .action(async (o: { account: number }) => {
      io.out(line(await withHub(async (hub, parts) => (await service(hub, parts)).get(o.account))));
    });
  onec
    .command('remove')
    .description('Forget the base')
    .requiredOption('--account <id>', 'amoCRM account id', account)
    .action(async (o: { account: number }) => {
      io.out(`removed ${line(await withHub(async (hub, parts) => (await service(hub, parts)).remove(o.account)))}`);
    });
}

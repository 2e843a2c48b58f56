// `hub onec …`: the integration secret 1C authenticates with (HTTP Basic: user = key, password = the secret), and
// the amoCRM → 1C direction by hand.
//   hub onec secret create --key <amoCRM account id>   (prints the secret; the account must be connected)
//   hub onec secret rotate --key <id>                  (the old secret stops working at once)
//   hub onec secret show --key <id>
//   hub onec documents --key <id> --base <id_base> --lead <deal id>     (get_orders, asked now)
//   hub onec push --key <id> --base <id_base> --entity contacts|companies|leads --id <amoCRM id>   (a job)
import { AMO_CONNECTOR_NAME, type AmoConnector } from '../../connectors/amocrm/index.js';
import { ONEC_CONNECTOR_NAME, type OnecConnector } from '../../connectors/onec/index.js';
import type { ModuleCli } from '../../platform/module.js';
import { accountCheck } from './amo-account.js';
import { targetOf } from './base-check.js';
import { BaseService } from './bases.js';
import { OUTBOUND } from './outbound-queues.js';
import { SecretService } from './secrets.js';

const accountId = (v: string) => {
  if (!/^[1-9][0-9]{0,15}$/.test(v)) throw new Error(`--key must be an amoCRM account id (digits), got "${v}"`);
  return v;
};
const amoId = (v: string) => {
  if (!/^[1-9][0-9]{0,15}$/.test(v)) throw new Error(`expected an amoCRM id (digits), got "${v}"`);
  return Number(v);
};
const ENTITIES = ['contacts', 'companies', 'leads'] as const;

export const onecCli: ModuleCli = (program, withHub, io) => {
  const onec = program.command('onec').description('1C ↔ amoCRM sync (seed 001)');
  const secret = onec
    .command('secret')
    .description("An account's integration secret: 1C's HTTP Basic password (the user is the account id)");
  const action = (name: 'create' | 'rotate' | 'show', description: string) =>
    secret
      .command(name)
      .description(description)
      .requiredOption('--key <id>', 'amoCRM account id (the key 1C sends)', accountId)
      .action(async (o: { key: string }) => {
        const shown = await withHub(async (hub, parts) =>
          new SecretService(hub, accountCheck(await parts.api<AmoConnector>(AMO_CONNECTOR_NAME)))[name](o.key),
        );
        io.out(`${shown.secret}\n`);
        io.err(
          `1C: HTTP Basic, логин ${shown.key}, пароль — строка выше. Создан ${shown.created_at}${shown.rotated_at ? `, сменён ${shown.rotated_at}` : ''}\n`,
        );
      });
  action('create', 'Create the secret of an account that has none (connect the account for onec-sync first)');
  action('rotate', 'Replace the secret (the old one stops working at once)');
  action('show', 'Show the current secret');

  onec
    .command('documents')
    .description("A deal's documents in 1C (get_orders, asked now)")
    .requiredOption('--key <id>', 'amoCRM account id', accountId)
    .requiredOption('--base <id_base>', '1C base id')
    .requiredOption('--lead <id>', 'amoCRM deal id', amoId)
    .action(async (o: { key: string; base: string; lead: number }) => {
      const docs = await withHub(async (hub, parts) => {
        const base = await new BaseService(hub).credentials(o.key, o.base);
        if (!base) throw new Error(`base ${o.base} of account ${o.key} is not registered`);
        return (await parts.api<OnecConnector>(ONEC_CONNECTOR_NAME)).getOrders(targetOf(base), o.lead);
      });
      io.out(docs.map((d) => `${d.title}\t${d.link}`).join('\n') + (docs.length ? '\n' : ''));
      io.err(`${docs.length} document(s)\n`);
    });

  onec
    .command('push')
    .description('Send one contact or company (new_lead) or deal (new_order) to a 1C base: queued as a job')
    .requiredOption('--key <id>', 'amoCRM account id', accountId)
    .requiredOption('--base <id_base>', '1C base id')
    .requiredOption('--entity <entity>', ENTITIES.join(' | '))
    .requiredOption('--id <id>', 'amoCRM id of the entity', amoId)
    .action(async (o: { key: string; base: string; entity: string; id: number }) => {
      const entity = ENTITIES.find((e) => e === o.entity);
      if (!entity) throw new Error(`--entity must be one of ${ENTITIES.join(', ')}`);
      const jobId = await withHub(async (hub) => {
        if (!(await new BaseService(hub).credentials(o.key, o.base)))
          throw new Error(`base ${o.base} of account ${o.key} is not registered`);
        return hub.jobs.send(OUTBOUND.push, { key: o.key, idBase: o.base, entity, amoId: o.id, force: true });
      });
      io.out(`${jobId}\n`);
    });
};

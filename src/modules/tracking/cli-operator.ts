// `hub tracking …` commands of issue #24 (the services of admin-operator-routes.ts):
//   hub tracking status correct --bot <id> <tracking_id> --to <status> --reason "…" [--by <name>]
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { Hub } from '../../platform/hub.js';
import type { CliIo } from '../../platform/module.js';
import { senderPolicy } from '../../platform/outbound/policy.js';
import { WebhookService, WEBHOOK_QUEUE } from './webhooks.js';
import { TrackingService } from './tracking.js';
import { DEFAULT_OPTIONS } from './options.js';
import { STATUSES, type Status } from './statuses.js';
import { BotService, normaliseOrigin } from './bots.js';
import { isOrigin } from '../../platform/http/cors.js';

type WithHub = <T>(fn: (hub: Hub) => Promise<T>) => Promise<T>;

/** The tracking services for a one-off command: status moves enqueue webhook deliveries, so the queue must run. */
export async function servicesFor(hub: Hub): Promise<{ tracking: TrackingService; webhooks: WebhookService }> {
  const webhooks = new WebhookService(hub, hub.transport(senderPolicy('tracking-webhooks')), DEFAULT_OPTIONS);
  if (!hub.jobs.definition(WEBHOOK_QUEUE.name)) hub.jobs.define(webhooks.queue());
  if (!hub.jobs.running) await hub.jobs.start();
  return { tracking: new TrackingService(hub, webhooks), webhooks };
}

const int = (name: string) => (v: string) => {
  if (!/^\d+$/.test(v)) throw new Error(`${name} must be a positive whole number, got "${v}"`);
  return Number(v);
};

export function registerOperatorCli(tracking: Command, withHub: WithHub, io: CliIo): void {
  const json = (v: unknown) => io.out(`${JSON.stringify(v, null, 2)}\n`);
  tracking.commands
    .find((c) => c.name() === 'bot')
    ?.command('origins <id> [origins...]')
    .description("Set the browser origins allowed to call the API with this bot's keys (CORS); none given: CORS off")
    .action(async (id: string, origins: string[]) => {
      const bad = origins.map(normaliseOrigin).filter((o) => !isOrigin(o));
      if (bad.length) throw new Error(`not an origin (scheme://host[:port]): ${bad.join(', ')}`);
      json(await withHub((hub) => new BotService(hub).update(int('id')(id), { allowedOrigins: origins })));
    });
  tracking
    .command('status')
    .description('Operator corrections of tracking statuses')
    .command('correct <tracking_id>')
    .description("Set a tracking number's status past the forward-only rule; recorded in its history with who and why")
    .requiredOption('--bot <id>', 'bot id', int('--bot'))
    .requiredOption('--to <status>', STATUSES.join(' | '))
    .requiredOption('--reason <text>', 'why (kept in the history)')
    .option('--by <name>', 'who corrects it (default: the OS user)')
    .action(async (id: string, o: { bot: number; to: string; reason: string; by?: string }) => {
      if (!(STATUSES as readonly string[]).includes(o.to)) throw new Error(`--to must be one of ${STATUSES.join(', ')}, got "${o.to}"`);
      const by = o.by ?? `cli:${userInfo().username}`;
      json(
        await withHub(async (hub) =>
          (await servicesFor(hub)).tracking.correct(o.bot, int('tracking_id')(id), { status: o.to as Status, reason: o.reason, by }),
        ),
      );
    });
}

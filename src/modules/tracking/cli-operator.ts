// `hub tracking …` commands of issue #24 (the services of admin-operator-routes.ts):
//   hub tracking status correct --bot <id> <tracking_id> --to <status> --reason "…" [--by <name>]
//   hub tracking key import --bot <id> <keys.csv>
//   hub tracking bot origins <id> [https://shop.example.com …]
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Hub } from '../../platform/hub.js';
import type { CliIo } from '../../platform/module.js';
import { senderPolicy } from '../../platform/outbound/policy.js';
import { WebhookService, WEBHOOK_QUEUE } from './webhooks.js';
import { TrackingService } from './tracking.js';
import { DEFAULT_OPTIONS } from './options.js';
import { STATUSES, type Status } from './statuses.js';
import { BotService, normaliseOrigin } from './bots.js';
import { KeyService } from './keys.js';
import { importKeys, readKeyFile } from './key-import.js';
import { trackingSettings } from './settings.js';
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
    .find((c) => c.name() === 'key')
    ?.command('import <file>')
    .description(
      'Import keys of a previous system from CSV: a "key" column (plain keys, hashed here) or "sha256" + "prefix"; optional name, scope, rate_limit_per_minute',
    )
    .requiredOption('--bot <id>', 'bot id', int('--bot'))
    .action(async (file: string, o: { bot: number }) => {
      // The file is read and checked before the hub starts: a refused file touches nothing.
      const rows = await readKeyFile(io.cwd ? resolve(io.cwd, file) : file);
      const result = await withHub((hub) => importKeys(new KeyService(hub, trackingSettings(hub.config).rateLimitPerMinute), o.bot, rows));
      io.err(`Импортировано: ${result.imported}; уже были: ${result.skipped}; с ошибками: ${result.failed}\n`);
      json(result);
      if (result.failed > 0) io.setExitCode(2);
    });
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

// The `hub` command line. Module commands are added from their own cli files.
import { Command, Option } from 'commander';
import { settingsMarkdown, stdoutIsTty, ConfigError } from '../config.js';
import { createLogger } from '../platform/observability/logger.js';
import { openHub, type Hub } from '../platform/hub.js';
import type { PartsView } from '../platform/module.js';
import { openDatabase } from '../platform/db/database.js';
import { applyMigrations } from '../platform/db/migrate.js';
import { lockDataDir } from '../platform/db/lock.js';
import { assemble, loadHubConfig, MODULES, settingGroups } from '../app.js';
import { CONNECTORS } from '../connectors/index.js';
import { serve } from './serve.js';
import { EMULATOR_CLIS } from './emulators.js';

/**
 * Opens the hub for a one-off command (no HTTP server, no workers), runs fn, closes. The connectors and modules
 * are created only when the command asks for one (`parts.api(name)`): most commands need none.
 */
export async function withHub<T>(fn: (hub: Hub, parts: PartsView) => Promise<T>): Promise<T> {
  const config = loadHubConfig(undefined, { isTty: stdoutIsTty() });
  const log = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, pretty: config.logPretty });
  const { hub } = await openHub(config, { role: 'api', log });
  let apis: ReadonlyMap<string, unknown> | undefined;
  const parts: PartsView = {
    async api<A>(name: string): Promise<A> {
      apis ??= assemble(hub, CONNECTORS, MODULES).apis;
      if (!apis.has(name)) throw new Error(`no part named ${name}`);
      return apis.get(name) as A;
    },
  };
  try {
    return await fn(hub, parts);
  } finally {
    await hub.close();
  }
}

export function buildProgram(): Command {
  const program = new Command('hub').description('Integration Hub: amoCRM ⇄ 1C, customs, quiz and tracking').showHelpAfterError();

  program
    .command('serve')
    .description('Run the HTTP API and job workers (migrations are applied on start)')
    .addOption(new Option('--role <role>', 'what this process runs').choices(['api', 'worker', 'all']).default('all'))
    .action(async (opts: { role: 'api' | 'worker' | 'all' }) => serve(opts.role));

  program
    .command('migrate')
    .description('Apply database migrations and exit (for deploy pipelines)')
    .action(async () => {
      const config = loadHubConfig();
      const lock = config.databaseUrl ? undefined : lockDataDir(config.dataDir);
      const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
      try {
        await applyMigrations(database);
        process.stdout.write(`migrations applied (${database.backend})\n`);
      } finally {
        await database.close();
        lock?.release();
      }
    });

  program
    .command('config')
    .description('Print the settings table (Markdown)')
    .action(() => {
      process.stdout.write(`${settingsMarkdown(settingGroups())}\n`);
    });

  const admin = program.command('admin').description('Operator commands');
  admin
    .command('token')
    .description('Admin token management')
    .option('--rotate', 'issue a new admin token (the old one stops working)')
    .action(async (opts: { rotate?: boolean }) => {
      if (!opts.rotate) throw new Error('nothing to do: pass --rotate');
      const token = await withHub((hub) => hub.adminToken.rotate());
      process.stdout.write(`${token}\n`);
    });

  for (const part of [...CONNECTORS, ...MODULES]) part.cli?.(program, withHub);
  for (const register of EMULATOR_CLIS) register(program, withHub);
  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    process.stderr.write(`hub: ${(err as Error).message}\n`);
    process.exit(1);
  }
}

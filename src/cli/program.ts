// The `hub` command line. Module commands are added from their own cli files. Commands write to a CliIo, never to
// the process: in embedded mode a command that finds DATA_DIR held by `hub serve` runs inside that hub instead
// (control-socket.ts), with its output and exit status sent back, so it prints what it would have printed here.
import { Command, CommanderError, Option } from 'commander';
import { settingsMarkdown, stdoutIsTty, ConfigError } from '../config.js';
import { createLogger } from '../platform/observability/logger.js';
import { openHub, type Hub } from '../platform/hub.js';
import { partsView, type CliIo, type PartsView, type WithHub } from '../platform/module.js';
import { openDatabase } from '../platform/db/database.js';
import { applyMigrations } from '../platform/db/migrate.js';
import { DataDirLockedError, lockDataDir } from '../platform/db/lock.js';
import { assemble, loadHubConfig, MODULES, settingGroups } from '../app.js';
import { CONNECTORS } from '../connectors/index.js';
import { forwardCommand, type CommandOutput } from './control-socket.js';
import { adminTokenNotice, serve } from './serve.js';
import { EMULATOR_CLIS } from './emulators.js';

const processOutput: CommandOutput = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  cwd: process.cwd(),
};

/** Thrown by withHub when another process holds DATA_DIR: runCli then hands the whole command line to it. */
class HeldByAnotherProcess extends Error {
  constructor(
    readonly locked: DataDirLockedError,
    readonly dataDir: string,
  ) {
    super(locked.message);
  }
}

/**
 * Opens the hub for a one-off command (no HTTP server, no workers), runs fn, closes. The connectors and modules
 * are created only when the command asks for one (`parts.api(name)`): most commands need none.
 */
export async function withHub<T>(fn: (hub: Hub, parts: PartsView) => Promise<T>): Promise<T> {
  const config = loadHubConfig(undefined, { isTty: stdoutIsTty() });
  const log = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, pretty: config.logPretty });
  let hub: Hub;
  try {
    let generatedAdminToken: string | undefined;
    ({ hub, generatedAdminToken } = await openHub(config, { role: 'api', log }));
    // The first command on a fresh data folder creates the admin token, as a first `serve` would: shown once here,
    // or the operator would only learn of it by rotating.
    if (generatedAdminToken) process.stderr.write(`${adminTokenNotice(generatedAdminToken)}\n`);
  } catch (err) {
    if (err instanceof DataDirLockedError) throw new HeldByAnotherProcess(err, config.dataDir);
    throw err;
  }
  try {
    return await fn(
      hub,
      partsView(() => assemble(hub, CONNECTORS, MODULES).apis),
    );
  } finally {
    await hub.close();
  }
}

export interface ProgramContext {
  readonly io: CliIo;
  readonly withHub: WithHub;
  /**
   * Adds the commands that are a process of their own (serve, migrate, the emulators). Left out of the program a
   * running hub runs handed-over command lines with: those never reach it.
   */
  readonly standalone: boolean;
}

export function buildProgram(ctx: ProgramContext): Command {
  const { io } = ctx;
  // exitOverride and the output are inherited by every command added below: commander's own errors and help go
  // to io too, and end in a CommanderError instead of process.exit.
  const program = new Command('hub')
    .description('Integration Hub: amoCRM ⇄ 1C, customs, quiz and tracking')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  if (ctx.standalone) {
    program
      .command('serve')
      .description('Run the HTTP API and job workers (migrations are applied on start)')
      .addOption(new Option('--role <role>', 'what this process runs').choices(['api', 'worker', 'all']).default('all'))
      .action(async (opts: { role: 'api' | 'worker' | 'all' }) =>
        serve(opts.role, undefined, (argv, out, inHub) => runProgram(argv, { io: out, withHub: inHub, standalone: false })),
      );

    program
      .command('migrate')
      .description('Apply database migrations and exit (for deploy pipelines)')
      .action(async () => {
        const config = loadHubConfig();
        const lock = config.databaseUrl ? undefined : lockDataDir(config.dataDir);
        const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
        try {
          await applyMigrations(database);
          io.out(`migrations applied (${database.backend})\n`);
        } finally {
          await database.close();
          lock?.release();
        }
      });
  }

  program
    .command('config')
    .description('Print the settings table (Markdown)')
    .action(() => {
      io.out(`${settingsMarkdown(settingGroups())}\n`);
    });

  const admin = program.command('admin').description('Operator commands');
  admin
    .command('token')
    .description('Admin token management')
    .option('--rotate', 'issue a new admin token (the old one stops working)')
    .action(async (opts: { rotate?: boolean }) => {
      if (!opts.rotate) throw new Error('nothing to do: pass --rotate');
      const token = await ctx.withHub((hub) => hub.adminToken.rotate());
      io.out(`${token}\n`);
    });

  for (const part of [...CONNECTORS, ...MODULES]) part.cli?.(program, ctx.withHub, io);
  if (ctx.standalone) for (const register of EMULATOR_CLIS) register(program, ctx.withHub, io);
  return program;
}

/** Runs one command line (without node and the script) and resolves to its exit status; errors go to io.err. */
export async function runProgram(argv: readonly string[], ctx: Omit<ProgramContext, 'io'> & { io: CommandOutput }): Promise<number> {
  let code = 0;
  const io: CliIo = { ...ctx.io, setExitCode: (c) => void (code = c) };
  try {
    await buildProgram({ ...ctx, io }).parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof HeldByAnotherProcess) throw err;
    if (err instanceof CommanderError) return err.exitCode; // commander has printed the error or the help
    if (err instanceof ConfigError) {
      io.err(`${err.message}\n`);
      return 78; // EX_CONFIG
    }
    io.err(`hub: ${(err as Error).message}\n`);
    return 1;
  }
}

export async function runCli(argv: string[]): Promise<void> {
  const args = argv.slice(2);
  let code: number;
  try {
    code = await runProgram(args, { io: processOutput, withHub, standalone: true });
  } catch (err) {
    if (!(err instanceof HeldByAnotherProcess)) throw err;
    // A hub serving this DATA_DIR runs the command; when none answers there, the lock's own message stands.
    const forwarded = await forwardCommand(err.dataDir, args, processOutput);
    if (forwarded === undefined) processOutput.err(`hub: ${err.message}\n`);
    code = forwarded ?? 1;
  }
  if (code !== 0) {
    // Let the output reach a pipe before exiting (writes to one are asynchronous on some platforms).
    await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((ok) => s.write('', () => ok()))));
    process.exit(code);
  }
}

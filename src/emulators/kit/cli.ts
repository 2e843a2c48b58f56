// Scaffolding of `hub emulator <partner>`: the shared command group, and running an emulator standalone until
// SIGINT/SIGTERM after printing where it listens (and what to paste into the hub's settings).
import type { Command } from 'commander';

/** The `emulator` command group is shared by every emulator: reuse it when one already registered it. */
export function emulatorGroup(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'emulator') ??
    program.command('emulator').description('Run a partner emulator standalone (for the sandbox and manual testing)')
  );
}

/** Prints `banner` (one line per entry) and closes the emulator, then the process, on SIGINT or SIGTERM. */
export function serveUntilSignal(emulator: { close(): Promise<void> }, banner: readonly string[]): void {
  process.stdout.write([...banner, ''].join('\n'));
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** `Hub settings:` followed by `KEY=value` lines, for a banner. */
export function settingsLines(settings: Record<string, string>): string[] {
  return ['  Hub settings:', ...Object.entries(settings).map(([k, v]) => `    ${k}=${v}`)];
}

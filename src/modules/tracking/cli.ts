// `hub tracking …`: bots, API keys and bulk import from the command line (the same services as the admin API).
//   hub tracking bot create --name "Карго Экспресс" [--id 123] [--username @cargo_bot]
//   hub tracking bot list
//   hub tracking key create --bot <id> [--name crm] [--limit 60]     (prints the key once)
//   hub tracking key revoke <id>
//   hub tracking key usage <id> [--days 30]
//   hub tracking status correct …, key import …, bot origins …   (cli-operator.ts)
//   hub tracking import --bot <id> <file.csv|file.xlsx> [--report errors.csv] [--max-rows N] [--max-mb N]
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Hub } from '../../platform/hub.js';
import type { CliIo, ModuleCli } from '../../platform/module.js';
import { BotService } from './bots.js';
import { KeyService, type KeyScope } from './keys.js';
import { usageReport } from './usage.js';
import { registerOperatorCli, servicesFor } from './cli-operator.js';
import { DEFAULT_IMPORT_LIMITS, Importer, MIB, openImportSource, type ImportProgress, type ImportResult } from './import.js';
import { trackingSettings } from './settings.js';

export type { CliIo };

type WithHub = <T>(fn: (hub: Hub) => Promise<T>) => Promise<T>;

const keysOf = (hub: Hub) => new KeyService(hub, trackingSettings(hub.config).rateLimitPerMinute);

const int = (name: string) => (v: string) => {
  if (!/^\d+$/.test(v)) throw new Error(`${name} must be a positive whole number, got "${v}"`);
  return Number(v);
};

const scopeOf = (v: string): KeyScope => {
  if (v !== 'read' && v !== 'write') throw new Error(`--scope must be read or write, got "${v}"`);
  return v;
};

/**
 * A one-line progress bar redrawn in place on stderr: how far through the file, and rows read so far (the total is
 * known only at the end). Redrawn on whole percents only, so a big file stays cheap.
 */
export function progressBar(io: CliIo, label = 'Импорт'): (p: ImportProgress) => void {
  let shown = -1;
  return ({ rows, fraction, done }) => {
    const pct = done ? 100 : Math.min(99, Math.floor(fraction * 100));
    if (pct === shown && !done) return;
    shown = pct;
    const width = 30;
    const filled = Math.round((width * pct) / 100);
    io.err(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% строк: ${rows}`);
    if (done) io.err('\n');
  };
}

/**
 * A CSV cell. One that starts like a formula (= + - @, or a tab or carriage return that some spreadsheets skip
 * before one) gets a leading apostrophe, so a spreadsheet shows it as text instead of running it — the report
 * repeats what the imported file said (OWASP: CSV injection) — and is quoted.
 */
export function csvCell(v: string | number): string {
  const text = String(v);
  const formula = /^[=+\-@\t\r]/.test(text);
  const safe = formula ? `'${text}` : text;
  return formula || /[",\n\r;]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function importReportCsv(result: ImportResult): string {
  return (
    ['line,tracking_number,error', ...result.errors.map((e) => [e.line, e.tracking_number, e.error].map(csvCell).join(','))].join('\n') +
    '\n'
  );
}

/** Makes the webhook queue usable from a one-off command (imports enqueue status-change deliveries). */
async function importerFor(hub: Hub): Promise<Importer> {
  const { tracking, webhooks } = await servicesFor(hub);
  return new Importer(hub, tracking, webhooks);
}

export function registerTrackingCli(program: Command, withHub: WithHub, io: CliIo): void {
  // Paths are the caller's: a command run inside the running hub still reads and writes the operator's files.
  const path = (p: string) => (io.cwd ? resolve(io.cwd, p) : p);
  const tracking = program.command('tracking').description('Cargo-tracking API (seed 004): bots, API keys, import');
  const json = (v: unknown) => io.out(`${JSON.stringify(v, null, 2)}\n`);

  const bot = tracking.command('bot').description('Bots (tenants)');
  bot
    .command('create')
    .description('Create a bot')
    .requiredOption('--name <name>', 'company / bot name')
    .option('--id <id>', "the platform's bot id (assigned when omitted)", int('--id'))
    .option('--username <username>', 'Telegram username, e.g. @cargo_bot')
    .action(async (o: { name: string; id?: number; username?: string }) => {
      json(
        await withHub((hub) =>
          new BotService(hub).create({ name: o.name, ...(o.id ? { id: o.id } : {}), ...(o.username ? { username: o.username } : {}) }),
        ),
      );
    });
  bot
    .command('list')
    .description('List bots')
    .action(async () => json(await withHub((hub) => new BotService(hub).list())));

  const key = tracking.command('key').description('API keys');
  key
    .command('create')
    .description('Issue an API key for a bot (printed once; only its hash is stored)')
    .requiredOption('--bot <id>', 'bot id', int('--bot'))
    .option('--name <name>', 'what the key is for')
    .option('--limit <perMinute>', 'requests per minute (default TRACKING_RATE_LIMIT_PER_MINUTE)', int('--limit'))
    .option('--scope <scope>', 'read (GET only, for keys embedded in web pages) | write', scopeOf, 'write')
    .action(async (o: { bot: number; name?: string; limit?: number; scope: KeyScope }) => {
      const created = await withHub((hub) =>
        keysOf(hub).create(o.bot, {
          ...(o.name ? { name: o.name } : {}),
          ...(o.limit ? { rateLimitPerMinute: o.limit } : {}),
          scope: o.scope,
        }),
      );
      io.out(`${created.key}\n`);
      io.err(
        `key id ${created.id} for bot ${created.bot_id}, ${created.scope}, ${created.rate_limit_per_minute} req/min. Store it now: it cannot be shown again.\n`,
      );
    });
  key
    .command('revoke <id>')
    .description('Revoke a key (effective at once on every instance)')
    .action(async (id: string) => json(await withHub((hub) => keysOf(hub).revoke(int('id')(id)))));
  key
    .command('usage <id>')
    .description("A key's usage: daily counts and the latest requests")
    .option('--days <n>', 'days of daily counts', int('--days'), 30)
    .option('--recent <n>', 'latest requests to show', int('--recent'), 20)
    .action(async (id: string, o: { days: number; recent: number }) => {
      json(
        await withHub(async (hub) => {
          const k = await keysOf(hub).get(int('id')(id));
          return { ...(await usageReport(hub, k.id, { days: o.days, recent: o.recent })), last_used_at: k.last_used_at };
        }),
      );
    });

  tracking
    .command('import <file>')
    .description('Import tracking numbers from CSV or XLSX (idempotent: known numbers are updated or skipped)')
    .requiredOption('--bot <id>', 'bot id', int('--bot'))
    .option('--report <file>', 'write every failed row to this CSV file')
    .option('--max-rows <n>', 'refuse a file with more data rows', int('--max-rows'), DEFAULT_IMPORT_LIMITS.maxRows)
    .option(
      '--max-mb <n>',
      'refuse a file larger than this (XLSX: once inflated), MB',
      int('--max-mb'),
      DEFAULT_IMPORT_LIMITS.maxBytes / MIB,
    )
    .action(async (file: string, o: { bot: number; report?: string; maxRows: number; maxMb: number }) => {
      // The file's format, size and rows are checked before the hub starts: a refused file touches nothing.
      const source = await openImportSource(path(file), { maxRows: o.maxRows, maxBytes: o.maxMb * MIB });
      const result = await withHub(async (hub) => (await importerFor(hub)).run(o.bot, source, progressBar(io)));
      io.err(
        `Всего строк: ${result.total}; создано: ${result.created}; обновлено: ${result.updated}; без изменений: ${result.unchanged}; с ошибками: ${result.failed}\n`,
      );
      for (const e of result.errors.slice(0, 50))
        io.err(`  строка ${e.line}${e.tracking_number ? ` (${e.tracking_number})` : ''}: ${e.error}\n`);
      if (result.errors.length > 50) io.err(`  … ещё ${result.errors.length - 50}${o.report ? '' : ' (все — с --report <file>)'}\n`);
      if (o.report) await writeFile(path(o.report), importReportCsv(result));
      json(result);
      if (result.failed > 0) io.setExitCode(2);
    });

  registerOperatorCli(tracking, withHub, io);
}

export const trackingCli: ModuleCli = (program, withHub, io) => registerTrackingCli(program, withHub, io);

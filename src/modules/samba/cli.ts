// `hub samba user …`: the users SAMBA authenticates as (HTTP Basic).
//   hub samba user add <login>       (--password <p>, else a random password is made and printed)
//   hub samba user passwd <login>    (the old password stops working at once)
//   hub samba user remove <login>
//   hub samba user list
//   hub samba import-bank-statement <file>   (1CClientBankExchange; prints what was imported, skipped, unmatched)
//   hub samba import customers|placements|acts <file>   (CSV or XLSX; progress on stderr, rejected rows with their line)
//   hub samba customers|placements|acts|payments list   (filters --inn, --rk-id, --invoice…; a table, a page at a time)
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ModuleCli } from '../../platform/module.js';
import { BankImportService, type ImportReport } from './bank-import.js';
import { randomToken } from '../../platform/security/secrets.js';
import { UserService } from './users.js';
import { IMPORT_KINDS, TableImportService, type ImportKind, type TableImportReport } from './imports.js';
import type { Services } from './services.js';
import { recordCommands } from './cli-records.js';

/**
 * The password: --password, else a new random one, printed. Not read from standard input: beside a running
 * embedded hub the command line runs inside that hub (src/cli/control-socket.ts), which has no terminal to read.
 */
const passwordOf = (o: { password?: string }) => o.password ?? randomToken(18);

export function sambaCli(): ModuleCli {
  return (program, withHub, io) => {
    const samba = program.command('samba').description('SAMBA accounting API (seed 002)');
    samba
      .command('import-bank-statement <file>')
      .description('Import the incoming payments of a bank statement (1CClientBankExchange, windows-1251) against invoices')
      .action(async (file: string) => {
        const bytes = await readFile(resolve(io.cwd ?? process.cwd(), file));
        io.out(formatReport(await withHub((hub) => new BankImportService(hub).import(bytes))));
      });
    samba
      .command('import <kind> <file>')
      .description(`Import ${IMPORT_KINDS.join(', ')} from CSV or XLSX (a header row names the columns); importing again changes nothing`)
      .action(async (kind: string, file: string) => {
        if (!(IMPORT_KINDS as readonly string[]).includes(kind)) {
          io.err(`unknown kind «${kind}»: ${IMPORT_KINDS.join(', ')}\n`);
          return io.setExitCode(2);
        }
        const bytes = await readFile(resolve(io.cwd ?? process.cwd(), file));
        const report = await withHub(async (hub, parts) =>
          new TableImportService(hub, await parts.api<Services>('samba')).import(kind as ImportKind, bytes, (done, total) =>
            io.err(`${kind}: ${done}/${total} rows\n`),
          ),
        );
        io.out(formatTableReport(report));
        // Rejected rows are not an error of the command, but a script should notice them.
        if (report.rejected.length > 0) io.setExitCode(1);
      });
    recordCommands(samba, withHub, io);
    const user = samba.command('user').description('Users SAMBA calls /samba as (HTTP Basic)');
    user
      .command('add <login>')
      .description('Add a user')
      .option('--password <password>', 'the password (else a new random one is printed)')
      .action(async (login: string, o: { password?: string }) => {
        const password = passwordOf(o);
        const u = await withHub((hub) => new UserService(hub).add(login, password));
        if (o.password === undefined) io.out(`${password}\n`);
        io.err(`SAMBA: HTTP Basic, логин ${u.login}${o.password === undefined ? ', пароль — строка выше' : ''}. Создан ${u.created_at}\n`);
      });
    user
      .command('passwd <login>')
      .description("Replace a user's password")
      .option('--password <password>', 'the new password (else a new random one is printed)')
      .action(async (login: string, o: { password?: string }) => {
        const password = passwordOf(o);
        const u = await withHub((hub) => new UserService(hub).passwd(login, password));
        if (o.password === undefined) io.out(`${password}\n`);
        io.err(`SAMBA: пароль пользователя ${u.login} заменен\n`);
      });
    user
      .command('remove <login>')
      .description('Remove a user')
      .action(async (login: string) => {
        await withHub((hub) => new UserService(hub).remove(login));
        io.out(`${login}\n`);
      });
    user
      .command('list')
      .description('List the users')
      .action(async () => {
        const users = await withHub((hub) => new UserService(hub).list());
        for (const u of users) io.out(`${u.login}\t${u.created_at}\t${u.updated_at}\n`);
      });
  };
}

/** The import report for a terminal: one summary line, then each document that needs a look. */
export function formatReport(r: ImportReport): string {
  const lines = [
    `imported ${r.imported.length}, already imported ${r.duplicates.length}, unmatched ${r.unmatched.length}, ` +
      `malformed ${r.malformed.length}, outgoing (skipped) ${r.outgoing}`,
    ...r.imported.map((d) => `imported\tline ${d.line}\t№ ${d.number} от ${d.date}\t${d.amount}\t→ ${d.invoice}`),
    ...r.duplicates.map((d) => `duplicate\tline ${d.line}\t№ ${d.number} от ${d.date}\t→ ${d.invoice}`),
    ...r.unmatched.map((d) => `unmatched\tline ${d.line}\t№ ${d.number} от ${d.date}\t${d.amount}\t${d.reason}\t${d.purpose}`),
    ...r.malformed.map((d) => `malformed\tline ${d.line}\t${d.reason}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** A table import's report: the counts, then each rejected row with its line. */
export function formatTableReport(r: TableImportReport): string {
  const lines = [
    `${r.kind}: ${r.rows} rows, created ${r.created}, updated ${r.updated}, unchanged ${r.unchanged}, rejected ${r.rejected.length}`,
    ...r.rejected.map((x) => `rejected\tline ${x.line}\t${x.message}`),
  ];
  return `${lines.join('\n')}\n`;
}

// `hub samba user …`: the users SAMBA authenticates as (HTTP Basic).
//   hub samba user add <login>       (--password <p>, else a random password is made and printed)
//   hub samba user passwd <login>    (the old password stops working at once)
//   hub samba user remove <login>
//   hub samba user list
//   hub samba import-bank-statement <file>   (1CClientBankExchange; prints what was imported, skipped, unmatched)
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ModuleCli } from '../../platform/module.js';
import { BankImportService, type ImportReport } from './bank-import.js';
import { randomToken } from '../../platform/security/secrets.js';
import { UserService } from './users.js';

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

// `hub emulator onec`: runs the 1C emulator standalone and prints each base's web_address and login, ready to send
// as "Первичная синхронизация" (seed 001 §2.2). Stops on SIGINT/SIGTERM.
import type { ModuleCli } from '../../platform/module.js';
import { CONTROL_PREFIX, emulatorGroup, serveUntilSignal, settingsLines } from '../kit/index.js';
import { createOnecEmulator, DEFAULT_BASE } from './index.js';

interface OnecCliOptions {
  port: string;
  host: string;
  idBase: string;
  login: string;
  password: string;
  handlersVersion: string;
  hubUrl?: string;
}

export const onecEmulatorCli: ModuleCli = (program) => {
  emulatorGroup(program)
    .command('onec')
    .description('1C:Enterprise HTTP-service emulator (seed 001 §1); control API under /_emulator (see docs/emulators/onec.md)')
    .option('--port <port>', 'port to listen on', '9002')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--id-base <id>', 'id_base (and publication name) of the seeded base', DEFAULT_BASE.idBase)
    .option('--login <login>', 'HTTP Basic login of the base (param1)', DEFAULT_BASE.login)
    .option('--password <password>', 'HTTP Basic password of the base (param2)', DEFAULT_BASE.password)
    .option('--handlers-version <version>', 'handlers version the base reports', DEFAULT_BASE.version)
    .option('--hub-url <url>', 'the hub origin that control call-hub posts to', 'http://127.0.0.1:8080')
    .action(async (opts: OnecCliOptions) => {
      const emulator = createOnecEmulator({
        bases: [
          { idBase: opts.idBase, publication: opts.idBase, login: opts.login, password: opts.password, version: opts.handlersVersion },
        ],
        ...(opts.hubUrl ? { hubUrl: opts.hubUrl } : {}),
      });
      const origin = await emulator.listen({ port: Number(opts.port), host: opts.host });
      serveUntilSignal(emulator, [
        `1C emulator listening on ${origin}`,
        `  base:        id_base ${opts.idBase}   web_address ${emulator.webAddress()}`,
        `  Basic auth:  param1=${opts.login} param2=${opts.password}`,
        `  control API: ${origin}${CONTROL_PREFIX}/state`,
        '',
        ...settingsLines(emulator.hubSettings()),
      ]);
    });
};

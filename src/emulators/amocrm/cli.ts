// `hub emulator amocrm`: runs the emulator standalone and prints where it listens and the integration's
// credentials, ready to paste into the hub's settings. Stops on SIGINT/SIGTERM.
import { Option } from 'commander';
import type { ModuleCli } from '../../platform/module.js';
import { CONTROL_PREFIX, emulatorGroup, serveUntilSignal, settingsLines } from '../kit/index.js';
import { createAmoEmulator } from './index.js';

interface EmulatorCliOptions {
  port: string;
  host: string;
  subdomain: string;
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
  disconnectUrl?: string;
  autoConsent?: 'allow' | 'deny';
  duplicateControl?: boolean;
  rateLimit: string;
}

export const amoEmulatorCli: ModuleCli = (program) => {
  emulatorGroup(program)
    .command('amocrm')
    .description('amoCRM API v4 + OAuth emulator; control API under /_emulator (see docs/emulators/amocrm.md)')
    .option('--port <port>', 'port to listen on', '9001')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--subdomain <subdomain>', 'subdomain of the seeded account', 'testaccount')
    .option('--client-id <id>', 'client_id of the seeded integration (generated when omitted)')
    .option('--client-secret <secret>', 'client secret of the seeded integration (generated when omitted)')
    .option(
      '--redirect-uri <url>',
      'redirect URI saved in the integration (the hub on its default port)',
      'http://127.0.0.1:8080/quiz/webhook/create',
    )
    .option('--disconnect-url <url>', 'URL of the GET disconnect hook')
    .addOption(new Option('--auto-consent <decision>', 'answer the consent page without a human').choices(['allow', 'deny']))
    .option('--duplicate-control', 'enable duplicate control for /leads/complex')
    .option('--rate-limit <n>', 'requests per second per token', '7')
    .action(async (opts: EmulatorCliOptions) => {
      const emulator = createAmoEmulator({
        account: { subdomain: opts.subdomain },
        clientId: opts.clientId,
        clientSecret: opts.clientSecret,
        redirectUri: opts.redirectUri,
        disconnectHookUrl: opts.disconnectUrl,
        autoConsent: opts.autoConsent,
        duplicateControl: opts.duplicateControl,
        rateLimit: { perSecond: Number(opts.rateLimit) },
      });
      const origin = await emulator.listen({ port: Number(opts.port), host: opts.host });
      const d = emulator.defaults;
      serveUntilSignal(emulator, [
        `amoCRM emulator listening on ${origin}`,
        `  account:        ${d.subdomain} (id ${d.accountId})   base URL: ${emulator.baseUrl()}`,
        `  consent page:   ${emulator.authorizeUrl()}?client_id=${d.clientId}&state=…`,
        `  token endpoint: ${emulator.baseUrl()}/oauth2/access_token`,
        `  control API:    ${origin}${CONTROL_PREFIX}/state`,
        '',
        ...settingsLines(emulator.hubSettings()),
      ]);
    });
};

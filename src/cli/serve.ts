// `hub serve`: HTTP API and workers in one process (or one role of them), with a graceful stop on SIGTERM/SIGINT.
// On embedded PGlite it also takes `hub` commands from other terminals, which cannot open the locked DATA_DIR.
import { stdoutIsTty, type HubConfig } from '../config.js';
import { createLogger } from '../platform/observability/logger.js';
import { partsView, type WithHub } from '../platform/module.js';
import { loadHubConfig, startHub } from '../app.js';
import type { Role } from '../platform/hub.js';
import { openControlSocket, SOCKET_FILE, type CommandOutput } from './control-socket.js';

/** Runs a command line with withHub bound to this hub; resolves to its exit status (program.ts's runProgram). */
export type HubCommands = (argv: string[], io: CommandOutput, withHub: WithHub) => Promise<number>;

/** How a newly created admin token is shown, by `serve`'s banner and by the first CLI command on a fresh folder. */
export const adminTokenNotice = (token: string, indent = ''): string =>
  `${indent}Admin token (shown once, only its hash is stored; rotate with \`hub admin token --rotate\`):\n${indent}  ${token}`;

export async function serve(
  role: Role,
  config: HubConfig = loadHubConfig(undefined, { isTty: stdoutIsTty() }),
  commands?: HubCommands,
): Promise<void> {
  const log = createLogger({ level: config.logLevel, pretty: config.logPretty });
  const started = await startHub(config, { role, log, defaultMetrics: true });
  const address = await started.app.listen({ host: config.host, port: config.port });
  // Commands use this hub as it runs (its connectors included) and leave it open.
  const inHub: WithHub = (fn) =>
    fn(
      started.hub,
      partsView(() => started.apis),
    );
  const control =
    commands && started.hub.database.backend === 'pglite'
      ? await openControlSocket({ dataDir: config.dataDir, log, run: (argv, io) => commands(argv, io, inHub) })
      : undefined;
  const base = config.publicUrl;
  log.info(
    { address, role, backend: started.hub.database.backend },
    `Integration Hub listening on ${address} (role ${role}, ${started.hub.database.backend})`,
  );
  const lines = [
    '',
    `  Integration Hub is up (${started.hub.database.backend}${started.hub.database.backend === 'pglite' ? `, data in ${config.dataDir}` : ''}, role ${role})`,
    `  API docs:  ${base}/api/docs   ReDoc: ${base}/api/redoc   OpenAPI: ${base}/openapi.json`,
    `  Health:    ${base}/healthz   ${base}/readyz   Metrics: ${base}/metrics`,
    started.generatedAdminToken
      ? adminTokenNotice(started.generatedAdminToken, '  ')
      : `  Admin API: ${base}/admin/v1 (Authorization: Bearer <admin token>)`,
    ...(control ? [`  Commands:  \`hub …\` in another terminal runs inside this hub (${SOCKET_FILE} in the data folder)`] : []),
    '',
  ];
  process.stderr.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: no new requests, finishing in-flight work');
    const force = setTimeout(() => {
      log.error('graceful shutdown timed out, exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 2000);
    force.unref();
    try {
      await control?.close();
      await started.close();
      log.info('stopped');
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

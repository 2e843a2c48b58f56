// The one place that lists the hub's modules. Boot order: open the runtime (database, migrations, keys,
// queue), let each module declare its queues and routes, start the queue, then build the HTTP server.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { HubConfig } from './config.js';
import type { Database } from './platform/db/database.js';
import { openHub, type Hub, type Role } from './platform/hub.js';
import type { HubModule, ModuleFactory } from './platform/module.js';
import { buildServer } from './platform/http/server.js';
import { createConnectors, type Connectors } from './connectors/index.js';
import { trackingModule } from './modules/tracking/index.js';
import { quizModule } from './modules/quiz/index.js';

/** Every module of the hub, registered explicitly. */
export const MODULES: readonly ModuleFactory[] = [quizModule, trackingModule];

export interface StartedHub {
  readonly hub: Hub;
  readonly connectors: Connectors;
  readonly app: FastifyInstance;
  readonly modules: readonly HubModule[];
  readonly generatedAdminToken?: string;
  readonly createdKeyFile: boolean;
  /** Stops accepting requests, lets in-flight ones finish, hands running jobs back, closes the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly role?: Role;
  readonly log: Logger;
  readonly database?: Database;
  readonly modules?: readonly ModuleFactory[];
  readonly defaultMetrics?: boolean;
}

export async function startHub(config: HubConfig, opts: StartOptions): Promise<StartedHub> {
  const role = opts.role ?? 'all';
  const opened = await openHub(config, { role, log: opts.log, database: opts.database, defaultMetrics: opts.defaultMetrics });
  const { hub } = opened;
  try {
    const { connectors, queues: connectorQueues } = createConnectors(hub);
    for (const q of connectorQueues) hub.jobs.define(q);
    const modules = (opts.modules ?? MODULES).map((factory) => factory(hub, connectors));
    for (const m of modules) for (const q of m.queues ?? []) hub.jobs.define(q);
    await hub.jobs.start();
    if (role !== 'api') {
      await hub.jobs.work();
      for (const m of modules) await m.start?.();
    }
    const app = await buildServer(hub, modules);
    await app.ready();
    let closing: Promise<void> | undefined;
    return {
      hub,
      connectors,
      app,
      modules,
      ...(opened.generatedAdminToken ? { generatedAdminToken: opened.generatedAdminToken } : {}),
      createdKeyFile: opened.createdKeyFile,
      close() {
        closing ??= (async () => {
          await app.close();
          await hub.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    await hub.close();
    throw err;
  }
}

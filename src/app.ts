// The one place that lists the hub's modules (connectors are listed in src/connectors/index.ts). Boot order: open
// the runtime (database, migrations, keys, queue), create the connectors, then the modules with the connectors as
// their deps, declare every queue, start the queue, then build the HTTP server. Config, the OpenAPI document, the
// `hub` CLI and the README's settings table read these same lists.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { loadConfig, settingsOf, type HubConfig, type SettingGroup } from './config.js';
import type { Database } from './platform/db/database.js';
import { openHub, type Hub, type Role } from './platform/hub.js';
import { settingGroupOf, type AnyModule, type StartedModule } from './platform/module.js';
import { buildServer } from './platform/http/server.js';
import { CONNECTORS, connectorsFrom, type Connectors } from './connectors/index.js';
import { trackingModule } from './modules/tracking/index.js';
import { quizModule } from './modules/quiz/index.js';
import { onecSyncModule } from './modules/onec-sync/index.js';
import { sambaModule } from './modules/samba/index.js';
import { customsModule } from './modules/customs/index.js';

/** Every module of the hub, registered explicitly. */
export const MODULES: readonly AnyModule[] = [quizModule, trackingModule, onecSyncModule, sambaModule, customsModule];

/** The settings groups of every connector and module, in the order the settings table shows them. */
export function settingGroups(parts: readonly AnyModule[] = [...CONNECTORS, ...MODULES]): SettingGroup[] {
  return parts.map((p) => settingGroupOf(p));
}

/** loadConfig with every connector's and module's settings: what the CLI, tests and benchmarks use. */
export function loadHubConfig(env?: Record<string, string | undefined>, opts: { isTty?: boolean } = {}): HubConfig {
  return loadConfig(env, { ...opts, groups: settingGroups() });
}

export interface Assembled {
  readonly connectors: Connectors;
  readonly parts: readonly StartedModule[];
  /** What each part offers others, by name (a connector's client). */
  readonly apis: ReadonlyMap<string, unknown>;
}

/** Creates the connectors, then the modules with the connectors as deps. Nothing runs yet. */
export function assemble(hub: Hub, connectors: readonly AnyModule[], modules: readonly AnyModule[]): Assembled {
  const parts: StartedModule[] = [];
  const apis = new Map<string, unknown>();
  const create = (definition: AnyModule, deps: unknown) => {
    // A part without settings needs no group; one with settings must have been parsed at start-up.
    const settings =
      definition.settings && Object.keys(definition.settings).length ? settingsOf(hub.config, settingGroupOf(definition)) : {};
    const instance = definition.create({ hub, settings, deps });
    parts.push({ definition, instance });
    if (instance.api !== undefined) apis.set(definition.name, instance.api);
  };
  for (const c of connectors) create(c, undefined);
  const deps = connectorsFrom(apis);
  for (const m of modules) create(m, deps);
  return { connectors: deps, parts, apis };
}

export interface StartedHub {
  readonly hub: Hub;
  readonly connectors: Connectors;
  readonly app: FastifyInstance;
  readonly parts: readonly StartedModule[];
  /** What each part offers others, by name (commands run inside this hub reach connectors through it). */
  readonly apis: ReadonlyMap<string, unknown>;
  readonly generatedAdminToken?: string;
  readonly createdKeyFile: boolean;
  /** Stops accepting requests, lets in-flight ones finish, hands running jobs back, closes the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly role?: Role;
  readonly log: Logger;
  readonly database?: Database;
  readonly modules?: readonly AnyModule[];
  /** Replaces the connectors (tests hand in one with a moved clock). */
  readonly connectors?: readonly AnyModule[];
  readonly defaultMetrics?: boolean;
}

export async function startHub(config: HubConfig, opts: StartOptions): Promise<StartedHub> {
  const role = opts.role ?? 'all';
  const opened = await openHub(config, { role, log: opts.log, database: opts.database, defaultMetrics: opts.defaultMetrics });
  const { hub } = opened;
  try {
    const { connectors, parts, apis } = assemble(hub, opts.connectors ?? CONNECTORS, opts.modules ?? MODULES);
    for (const p of parts) for (const q of p.instance.queues ?? []) hub.jobs.define(q);
    await hub.jobs.start();
    if (role !== 'api') {
      await hub.jobs.work();
      for (const p of parts) await p.instance.start?.();
    }
    const app = await buildServer(hub, parts);
    await app.ready();
    let closing: Promise<void> | undefined;
    return {
      hub,
      connectors,
      app,
      parts,
      apis,
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

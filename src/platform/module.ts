// What a connector or a module is, as data: its name, URL prefix, settings, OpenAPI security schemes and tags, CLI
// commands and a factory for its running parts. app.ts lists them; config, the OpenAPI document, the `hub` CLI,
// `hub config` and the README's settings table all read that one list, so adding a module is its folder plus one
// line in app.ts. The platform knows no partner: what a module needs from connectors reaches it as `deps`, typed
// by whoever assembles the hub.
import type { FastifyInstance } from 'fastify';
import type { Command } from 'commander';
import type { SettingGroup, SettingsDecl, SettingsOf } from '../config.js';
import type { Hub } from './hub.js';
import type { QueueDef } from './jobs/queue.js';

/** An OpenAPI 3.1 security scheme object (only the fields we use). */
export interface SecurityScheme {
  readonly type: 'http' | 'apiKey' | 'oauth2' | 'openIdConnect';
  readonly scheme?: string;
  readonly bearerFormat?: string;
  readonly in?: 'header' | 'query' | 'cookie';
  readonly name?: string;
  readonly description: string;
}

export interface Tag {
  readonly name: string;
  readonly description: string;
}

/** What a started connector or module hands the hub. */
export interface ModuleInstance<Api = undefined> {
  /** What other parts may use (a connector's client); modules usually have none. */
  readonly api?: Api;
  readonly queues?: ReadonlyArray<QueueDef<never>>;
  /**
   * Public routes, registered inside an encapsulated plugin under each of the definition's prefixes in turn
   * (`prefix` says which: a module whose partner document puts paths under several roots has one scope per root).
   */
  routes?(app: FastifyInstance, prefix: string): Promise<void> | void;
  /** Operator routes, registered under /admin/v1 behind the admin token. */
  adminRoutes?(app: FastifyInstance): Promise<void> | void;
  /** Runs after the queue started (role worker/all) — e.g. to schedule periodic jobs. */
  start?(): Promise<void>;
}

export interface ModuleContext<D extends SettingsDecl, Deps> {
  readonly hub: Hub;
  /** This module's own settings, parsed at start-up. */
  readonly settings: SettingsOf<D>;
  /** The connectors (for a module) or nothing (for a connector). */
  readonly deps: Deps;
}

/** The started parts of a hub opened for a command, created on first use (no HTTP server, no workers). */
export interface PartsView {
  /** What the part of that name offers (a connector's client). */
  api<T>(name: string): Promise<T>;
}

/** A PartsView over what the parts offer, assembled on the first ask (most commands need none). */
export function partsView(apis: () => ReadonlyMap<string, unknown>): PartsView {
  let known: ReadonlyMap<string, unknown> | undefined;
  return {
    async api<A>(name: string): Promise<A> {
      known ??= apis();
      if (!known.has(name)) throw new Error(`no part named ${name}`);
      return known.get(name) as A;
    },
  };
}

/**
 * Runs fn against a hub: one opened for the command and closed afterwards, or — in embedded mode while `hub serve`
 * holds DATA_DIR — the running hub, which the whole command line is handed to (src/cli/control-socket.ts). So a
 * command does nothing that must not happen twice before its first call (reading its input file is fine).
 */
export type WithHub = <T>(fn: (hub: Hub, parts: PartsView) => Promise<T>) => Promise<T>;

/**
 * Where a command writes. Commands write only here, never to process.stdout or process.exitCode, so the same
 * command runs in the terminal's process or inside the running hub with its output sent back to the terminal.
 */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** The exit status when the command returns (an error thrown by it exits 1). */
  setExitCode(code: number): void;
  /** The caller's working directory, which relative paths on the command line mean (default: this process's). */
  readonly cwd?: string;
}

/** CLI commands a module adds to `hub`. */
export type ModuleCli = (program: Command, withHub: WithHub, io: CliIo) => void;

export interface ModuleDefinition<D extends SettingsDecl = SettingsDecl, Deps = unknown, Api = unknown> {
  /** Lower-case name; queues are `<name>.…`, tables `<name>_…`, settings `<ENV_PREFIX>_…`. */
  readonly name: string;
  /** 'module' (one per partner document) or 'connector' (a partner client shared by modules). */
  readonly kind: 'module' | 'connector';
  /**
   * URL prefix of the public routes, e.g. "/quiz", "/api/v1" or "/connect/amocrm"; several when the partner
   * document's paths start at several roots (customs: /alta, /ved-sklad, /1c).
   */
  readonly prefix: string | readonly string[];
  /** Prefix of this part's environment settings (default: the name in capitals). */
  readonly envPrefix?: string;
  readonly settings?: D;
  /** Cross-field checks of the settings (both set or neither, a template's placeholder…). */
  readonly checkSettings?: (values: SettingsOf<D>) => readonly string[];
  readonly securitySchemes?: Readonly<Record<string, SecurityScheme>>;
  readonly tags?: readonly Tag[];
  /**
   * Named schemas published under `components.schemas` of the OpenAPI document — the names a partner document
   * refers to (`#/components/schemas/PtdExportRequest`). The routes keep using the same schema objects.
   */
  readonly componentSchemas?: Readonly<Record<string, object>>;
  readonly cli?: ModuleCli;
  /** Where the module is described (checked by the conformance test). */
  readonly docs?: string;
  create(ctx: ModuleContext<D, Deps>): ModuleInstance<Api>;
}

/** Declares a module; the settings' literal kinds are kept so the factory gets typed values. */
export function defineModule<const D extends SettingsDecl = Record<never, never>, Deps = unknown, Api = undefined>(
  def: Omit<ModuleDefinition<D, Deps, Api>, 'kind'> & { kind?: 'module' | 'connector' },
): ModuleDefinition<D, Deps, Api> {
  return { ...def, kind: def.kind ?? 'module' };
}

/** Every URL prefix a part owns. */
export const prefixesOf = (def: AnyModule): readonly string[] => (typeof def.prefix === 'string' ? [def.prefix] : def.prefix);

/** The settings group config.ts parses for one module or connector. */
export function settingGroupOf(def: AnyModule): SettingGroup {
  return { name: def.name, settings: def.settings ?? {}, ...(def.checkSettings ? { check: def.checkSettings } : {}) };
}

/** A started part: its definition and what its factory returned. */
export interface StartedModule {
  readonly definition: ModuleDefinition<SettingsDecl, never, unknown>;
  readonly instance: ModuleInstance<unknown>;
}

/** Any definition, whatever its settings, deps and api (for lists of mixed parts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list holds parts whose settings and deps differ
export type AnyModule = ModuleDefinition<any, any, any>;

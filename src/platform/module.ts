// What a module gives the hub. app.ts lists the modules explicitly; the hub mounts each one's public routes
// under its prefix with its own error envelope, its admin routes under /admin/v1, and runs its queues.
import type { FastifyInstance } from 'fastify';
import type { Command } from 'commander';
import type { Hub } from './hub.js';
import type { QueueDef } from './jobs/queue.js';
import type { Connectors } from '../connectors/index.js';

export interface HubModule {
  readonly name: string;
  /** URL prefix of the public routes, e.g. "/quiz" or "/api/v1". */
  readonly prefix: string;
  /** OpenAPI tags this module's routes use, with descriptions for the docs. */
  readonly tags?: ReadonlyArray<{ name: string; description: string }>;
  readonly queues?: ReadonlyArray<QueueDef<never>>;
  /** Public routes, registered inside an encapsulated plugin under `prefix`. */
  routes?(app: FastifyInstance): Promise<void> | void;
  /** Operator routes, registered under /admin/v1 behind the admin token. */
  adminRoutes?(app: FastifyInstance): Promise<void> | void;
  /** Runs after the queue started (role worker/all) — e.g. to schedule periodic jobs. */
  start?(): Promise<void>;
}

export type ModuleFactory = (hub: Hub, connectors: Connectors) => HubModule;

/** CLI commands a module adds to `hub`; they get a hub opened on demand. */
export type ModuleCli = (program: Command, withHub: <T>(fn: (hub: Hub) => Promise<T>) => Promise<T>) => void;

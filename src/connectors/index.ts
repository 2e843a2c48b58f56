// The partner connectors, listed explicitly (adding one is its folder plus one line here), and what modules
// receive from them: one instance of each per process, created before the modules.
import type { AnyModule } from '../platform/module.js';
import { AMO_CONNECTOR_NAME, amocrmConnector, type AmoConnector } from './amocrm/index.js';

export const CONNECTORS: readonly AnyModule[] = [amocrmConnector];

/** What a module's factory gets as `deps`. */
export interface Connectors {
  readonly amo: AmoConnector;
}

/** Builds the modules' view of the started connectors (by name, as app.ts started them). */
export function connectorsFrom(apis: ReadonlyMap<string, unknown>): Connectors {
  const amo = apis.get(AMO_CONNECTOR_NAME);
  if (!amo) throw new Error(`connector ${AMO_CONNECTOR_NAME} is not started`);
  return { amo: amo as AmoConnector };
}

// The partner connectors, listed explicitly (adding one is its folder plus one line here), and what modules
// receive from them: one instance of each per process, created before the modules.
import type { AnyModule } from '../platform/module.js';
import { AMO_CONNECTOR_NAME, amocrmConnector, type AmoConnector } from './amocrm/index.js';
import { ONEC_CONNECTOR_NAME, onecConnector, type OnecConnector } from './onec/index.js';

export const CONNECTORS: readonly AnyModule[] = [amocrmConnector, onecConnector];

/** What a module's factory gets as `deps`. */
export interface Connectors {
  readonly amo: AmoConnector;
  readonly onec: OnecConnector;
}

/** Builds the modules' view of the started connectors (by name, as app.ts started them). */
export function connectorsFrom(apis: ReadonlyMap<string, unknown>): Connectors {
  const get = (name: string) => {
    const api = apis.get(name);
    if (!api) throw new Error(`connector ${name} is not started`);
    return api;
  };
  return { amo: get(AMO_CONNECTOR_NAME) as AmoConnector, onec: get(ONEC_CONNECTOR_NAME) as OnecConnector };
}

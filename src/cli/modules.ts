// CLI commands contributed by modules and emulators, listed explicitly like the modules in app.ts.
import type { ModuleCli } from '../platform/module.js';
import { amoEmulatorCli } from '../emulators/amocrm/cli.js';
import { trackingCli } from '../modules/tracking/index.js';

export const MODULE_CLIS: readonly ModuleCli[] = [amoEmulatorCli, trackingCli];

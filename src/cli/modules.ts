// CLI commands contributed by modules and emulators, listed explicitly like the modules in app.ts.
import type { ModuleCli } from '../platform/module.js';

export const MODULE_CLIS: readonly ModuleCli[] = [];

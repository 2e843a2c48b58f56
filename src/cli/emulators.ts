// `hub emulator …`: the partner emulators, for tests, demos and development. The one place src/ (outside tests
// and benchmarks) may reach into src/emulators/ (the dependency rules allow exactly this file).
import type { ModuleCli } from '../platform/module.js';
import { amoEmulatorCli } from '../emulators/amocrm/cli.js';
import { onecEmulatorCli } from '../emulators/onec/cli.js';

export const EMULATOR_CLIS: readonly ModuleCli[] = [amoEmulatorCli, onecEmulatorCli];

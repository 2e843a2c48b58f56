// The module's settings: declared here, parsed once by config.ts (prefix EXAMPLE_), listed by `hub config` and
// the README's settings table, and handed to the factory typed.
import { defineSettings } from '../../../src/config.js';

export const EXAMPLE_SETTINGS = defineSettings({
  greeting: { env: 'EXAMPLE_GREETING', kind: 'string', default: 'Здравствуйте', description: 'What GET /example/hello answers.' },
});

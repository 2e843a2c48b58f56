// Import direction in src/, checked by `npm run lint` (dependency-cruiser; test/unit/lint.test.ts proves each rule bites):
//
//   config.ts ← platform/ ← connectors/ ← modules/ ← app.ts, main.ts, cli/
//
// A layer imports only the layers to its left, so infrastructure never learns about a partner and a partner
// client never learns about a document. Modules reach another module only through its index.ts. Emulators are
// fakes for tests: test/, bench/ and the `hub emulator` command (an emulator's cli.ts) use them, nothing else in
// src does, and they use only the platform. Nothing in src imports test/ or bench/.
const OURS = '^(src|test|bench|scripts|bin)/';
const CONFIG = '^src/config(\\.ts$|/)';
const PLATFORM = '^src/platform/';
const CONNECTORS = '^src/connectors/';
const MODULES = '^src/modules/';
const EMULATORS = '^src/emulators/';
/** The one file of the `hub` CLI that lists the emulators' commands. */
const EMULATOR_COMMANDS = '^src/cli/emulators\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'config-imports-nothing',
      comment: 'src/config.ts and src/config/ are the root of the graph: they import none of the rest of our code.',
      severity: 'error',
      from: { path: CONFIG },
      to: { path: OURS, pathNot: CONFIG },
    },
    {
      name: 'platform-imports-config-only',
      comment: 'The platform is infrastructure and knows no partner, module, emulator or command.',
      severity: 'error',
      from: { path: PLATFORM },
      to: { path: OURS, pathNot: [PLATFORM, CONFIG] },
    },
    {
      name: 'connectors-import-platform-and-config',
      comment: 'A partner client serves modules; it knows no module, emulator or command.',
      severity: 'error',
      from: { path: CONNECTORS },
      to: { path: OURS, pathNot: [CONNECTORS, PLATFORM, CONFIG] },
    },
    {
      name: 'modules-import-connectors-platform-config',
      comment:
        'A module knows connectors, the platform and config (and other modules through their index.ts), never the app or an emulator.',
      severity: 'error',
      from: { path: MODULES },
      to: { path: OURS, pathNot: [MODULES, CONNECTORS, PLATFORM, CONFIG] },
    },
    {
      name: 'module-boundaries',
      comment: 'A module uses another module only through its index.ts: never its internals.',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: MODULES, pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'emulators-only-in-tests',
      comment: 'Emulators are fakes: only test/, bench/ and the `hub emulator` command (src/cli/emulators.ts) may import them.',
      severity: 'error',
      from: { path: '^src/', pathNot: [EMULATORS, EMULATOR_COMMANDS] },
      to: { path: EMULATORS },
    },
    {
      name: 'cli-imports-emulator-cli-only',
      comment: 'The `hub emulator` command starts an emulator through its cli.ts entry, not its internals.',
      severity: 'error',
      from: { path: EMULATOR_COMMANDS },
      to: { path: EMULATORS, pathNot: ['^src/emulators/[^/]+/cli\\.ts$', '^src/emulators/cli\\.ts$'] },
    },
    {
      name: 'emulators-import-platform-only',
      comment: 'An emulator stands alone: it uses the platform and the emulators’ own code, never the client it fakes.',
      severity: 'error',
      from: { path: EMULATORS },
      to: { path: OURS, pathNot: [EMULATORS, PLATFORM] },
    },
    {
      name: 'src-imports-no-tests',
      comment: 'Shipped code never depends on test/ or bench/.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'src-imports-resolve',
      comment: 'An import dependency-cruiser cannot resolve would slip past every rule above.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count: a layer that needs another's types depends on it all the same.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    // Resolve packages the way Node does (package.json "exports"), so `csv-parse/sync` and the like resolve.
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};

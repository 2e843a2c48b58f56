#!/usr/bin/env node
// `hub` entry point (also `npm start` and `npm run hub`): runs the compiled JavaScript in dist/, compiling src/
// first when it changed since the last build (scripts/build.mjs, well under a second). The check is a few stat
// calls; the build itself runs in a child process, so the hub never loads the compiler: no TypeScript loader in a
// production process.
import { spawnSync } from 'node:child_process';
import { enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';
import { isStale } from '../scripts/build.mjs';

if (isStale()) {
  const build = fileURLToPath(new URL('../scripts/build.mjs', import.meta.url));
  const res = spawnSync(process.execPath, [build, '--if-stale'], { stdio: 'inherit' });
  if (res.status !== 0) {
    process.stderr.write('hub: compiling src/ to dist/ failed (see above)\n');
    process.exit(res.status ?? 1);
  }
}
// V8's compiled code for the hub and its dependencies, kept on disk (Node's own cache, in the OS temp folder) and
// reused by the next start: loading ~1,500 modules is most of a restart's time.
enableCompileCache?.();
await import('../dist/main.js');

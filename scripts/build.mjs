#!/usr/bin/env node
// Compiles src/ to dist/ as plain JavaScript (esbuild: types stripped, src/main.ts bundled with drizzle-orm), so
// `npm start` and `hub` run without a TypeScript loader in the process: less memory, a faster start. Type checking
// stays with `tsc --noEmit` (CI). Code that finds files relative to itself must not assume src/'s depth (the
// migrations folder is found by walking up: src/platform/db/migrate.ts).
// Each file is written under a temporary name and renamed into place: two terminals building at once, or a hub
// reading dist/ while another builds, never see half a file.
// Usage: node scripts/build.mjs [--if-stale]   (bin/hub.js calls it with --if-stale before every start)
import { readdirSync, statSync, mkdirSync, writeFileSync, renameSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'src');
const dist = join(root, 'dist');
const stampFile = join(dist, '.build.json');
/** Packages compiled into the bundle rather than loaded from node_modules (see build()). */
const BUNDLED = ['drizzle-orm'];

function sources(dir = src, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) sources(p, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** What the last build was made from: the sources' names and newest change, and this script's. */
function fingerprint(files) {
  let newest = statSync(new URL(import.meta.url)).mtimeMs;
  for (const f of files) newest = Math.max(newest, statSync(f).mtimeMs);
  return { files: files.map((f) => relative(src, f)).sort(), newest };
}

export function isStale(files = sources()) {
  if (!existsSync(stampFile)) return true;
  try {
    const last = JSON.parse(readFileSync(stampFile, 'utf8'));
    const now = fingerprint(files);
    return last.newest !== now.newest || last.files.join('\n') !== now.files.join('\n');
  } catch {
    return true;
  }
}

export async function build() {
  const files = sources();
  const { build: esbuild } = await import('esbuild');
  // One bundle of the hub's own code and drizzle-orm, every other package left to node_modules. drizzle-orm is
  // bundled because Node re-reads a package's package.json for every file it loads from it, and drizzle's is 180 KB
  // with ~150 of its files loaded: a quarter of a second of every start. Dynamic imports become chunks.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const external = Object.keys(pkg.dependencies).filter((name) => !BUNDLED.includes(name));
  const result = await esbuild({
    entryPoints: [join(src, 'main.ts')],
    bundle: true,
    splitting: true,
    outdir: dist,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    external: [...external, ...external.map((name) => `${name}/*`)],
    sourcemap: 'linked',
    sourcesContent: false,
    write: false,
    logLevel: 'error',
  });
  const tmp = `.tmp-${process.pid}`;
  for (const out of result.outputFiles) {
    mkdirSync(dirname(out.path), { recursive: true });
    writeFileSync(out.path + tmp, out.contents);
    renameSync(out.path + tmp, out.path);
  }
  writeFileSync(stampFile + tmp, JSON.stringify(fingerprint(files)));
  renameSync(stampFile + tmp, stampFile);
  return files.length;
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  const ifStale = process.argv.includes('--if-stale');
  if (!ifStale || isStale()) {
    const started = performance.now();
    const n = await build();
    if (!ifStale || process.env.HUB_BUILD_VERBOSE)
      console.error(`build: ${n} files → dist/ in ${Math.round(performance.now() - started)} ms`);
  }
}

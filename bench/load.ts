// Processes shared by the benchmarks. Load generators run as separate processes, so the load does not share the
// server's event loop: autocannon for throughput (closed loop, N connections flat out), open-loop.mjs for
// latency at a fixed offered rate, and for GET routes bench/loadgen/open-loop.c, which does both in C. Servers
// under test (and partner emulators) run as their own processes too.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

export interface LoadResult {
  readonly name: string;
  readonly rps: number;
  /** Requests completed in the run. */
  readonly requests: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
}

/** Closed loop for `seconds`, or until `amount` requests when given. */
export async function autocannon(
  name: string,
  url: string,
  opts: { seconds: number; amount?: number; connections?: number; method?: string; body?: string; headers?: Record<string, string> },
): Promise<LoadResult> {
  const args = [
    '-c',
    String(opts.connections ?? 50),
    ...(opts.amount ? ['-a', String(opts.amount)] : ['-d', String(opts.seconds)]),
    '-j',
    '-m',
    opts.method ?? 'GET',
  ];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}=${v}`);
  if (opts.body) args.push('-b', opts.body, '-I');
  args.push(url);
  const r = JSON.parse(await run(join(root, 'node_modules/.bin/autocannon'), args)) as {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
    errors: number;
    non2xx: number;
  };
  return {
    name,
    rps: r.requests.average,
    requests: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

/** The JSON line both open-loop generators (C and Node) print. */
type GeneratorLine = Omit<LoadResult, 'name'>;

let compiled: string | null | undefined;

/**
 * The C load generator, compiled with the machine's cc on first use (cached by source hash in the temp dir), or
 * undefined where there is no C compiler. On a two-core machine it matters: the Node generators spend ~300–500 µs
 * of CPU per request, more than some servers under test, and pause for their own garbage collection; the C one
 * spends ~35–60 µs and never pauses.
 */
export function cLoadGenerator(): string | undefined {
  if (compiled === undefined) {
    const source = join(root, 'bench/loadgen/open-loop.c');
    const binary = join(tmpdir(), `hub-open-loop-${createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 12)}`);
    try {
      if (!existsSync(binary)) {
        execFileSync(process.env.CC ?? 'cc', ['-O2', '-o', `${binary}.${process.pid}`, source], { stdio: ['ignore', 'ignore', 'inherit'] });
        renameSync(`${binary}.${process.pid}`, binary); // atomic: two benches never run a half-written binary
      }
      compiled = binary;
    } catch {
      compiled = null;
    }
  }
  return compiled ?? undefined;
}

/** GET `url` with the C generator: a fixed `rate` (open loop), or flat out with `rate` 0 (closed loop). */
async function cLoad(
  binary: string,
  name: string,
  url: string,
  opts: { rate: number; seconds: number; connections?: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  const u = new URL(url);
  const headers = Object.entries(opts.headers ?? {}).map(([k, v]) => `${k}: ${v}`);
  const args = [
    u.hostname,
    u.port,
    u.pathname + u.search,
    String(opts.rate),
    String(opts.seconds),
    String(opts.connections ?? 50),
    ...headers,
  ];
  return { name, ...(JSON.parse(await run(binary, args)) as GeneratorLine) };
}

/** Throughput of a GET route, closed loop: the C generator where a compiler is at hand, autocannon otherwise. */
export async function closedLoop(
  name: string,
  url: string,
  opts: { seconds: number; connections?: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  const binary = cLoadGenerator();
  return binary ? cLoad(binary, name, url, { ...opts, rate: 0 }) : autocannon(name, url, opts);
}

/**
 * Latency at a fixed rate (open loop, measured from each request's due time), GET only: the C generator where a
 * compiler is at hand, open-loop.mjs otherwise.
 */
export async function openLoop(
  name: string,
  url: string,
  opts: { rate: number; seconds: number; connections?: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  const binary = cLoadGenerator();
  if (binary) return cLoad(binary, name, url, opts);
  const args = [join(root, 'bench/open-loop.mjs'), url, String(opts.rate), String(opts.seconds), String(opts.connections ?? 50)];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push(`${k}=${v}`);
  return { name, ...(JSON.parse(await run(process.execPath, args)) as GeneratorLine) };
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d) => (text += String(d)));
    child.on('exit', (code) => (code === 0 ? resolve(text.trim().split('\n').pop()!) : reject(new Error(`${command} exited ${code}`))));
  });
}

/** Stops a child process and waits for it to exit. */
export function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}

/** Runs a TypeScript script of the repo (through tsx) as its own process; resolves with its first stdout line. */
export async function startScript(
  script: string,
  args: string[],
  nodeArgs: string[] = [],
): Promise<{ firstLine: string; pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(root, script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (d) => resolve(String(d).trim().split('\n')[0]!));
    child.once('exit', (code) => reject(new Error(`${script} exited ${code}`)));
  });
  return { firstLine, pid: child.pid!, stop: stopper(child) };
}

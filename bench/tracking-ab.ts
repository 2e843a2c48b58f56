// A/B of what one tracking list request costs: a git revision against the working tree, in one run, on one
// database, with the bare route as the yardstick. req/s on a shared 2-vCPU machine moves by ±15 % between rounds;
// CPU per request of each process, read from /proc over a fixed number of requests, moves much less, so it is what
// this reports. Both builds run with the Redis limiter; rounds alternate bare → revision → working tree.
//   npm run bench:ab -- [revision, default HEAD]      BENCH_AB_ROUNDS=5  BENCH_AB_REQUESTS=10000
// The revision must have the same database schema as the working tree (both hubs migrate the same database).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuBetween, cpuSnapshot } from './cpu.js';
import { autocannon } from './load.js';
import { benchDatabase, provisionBench, startBareProcess, startHubProcess, type Server } from './tracking.js';

const root = new URL('..', import.meta.url).pathname;
const revision = process.argv[2] ?? 'HEAD';
const rounds = Number(process.env.BENCH_AB_ROUNDS ?? 5);
const requests = Number(process.env.BENCH_AB_REQUESTS ?? 10_000);
const postgresUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();
const commit = git('rev-parse', '--short', revision);
const checkout = mkdtempSync(join(tmpdir(), 'hub-ab-'));
git('worktree', 'add', '--detach', checkout, commit);
symlinkSync(join(root, 'node_modules'), join(checkout, 'node_modules'));

const servers: Server[] = [];
let database: Awaited<ReturnType<typeof benchDatabase>> | undefined;
try {
  database = await benchDatabase(postgresUrl, `hub_bench_ab_${process.pid}`);
  const { databaseUrl, env } = database;
  const current = await startHubProcess({ ...env, REDIS_URL: redisUrl });
  servers.push(current);
  const { botId, key } = await provisionBench(current.origin, databaseUrl);
  const previous = await startHubProcess({ ...env, REDIS_URL: redisUrl }, checkout);
  servers.push(previous);
  const bare = await startBareProcess(databaseUrl);
  servers.push(bare);
  const headers = { 'x-api-key': key };
  const api = (s: Server) => `${s.origin}/api/v1/tracking/${botId}?page_size=50`;
  const targets = [
    { name: 'bare route', url: `${bare.origin}/bare/${botId}`, headers: {}, pid: bare.pid },
    { name: `API at ${commit}`, url: api(previous), headers, pid: previous.pid },
    { name: 'API, working tree', url: api(current), headers, pid: current.pid },
  ];
  for (const t of targets) await autocannon('warm-up', t.url, { seconds: 0, amount: 3000, headers: t.headers });
  const samples = targets.map(() => ({ server: [] as number[], postgres: [] as number[], redis: [] as number[], rps: [] as number[] }));
  for (let round = 0; round < rounds; round++) {
    for (const [i, t] of targets.entries()) {
      const before = cpuSnapshot();
      const result = await autocannon(t.name, t.url, { seconds: 0, amount: requests, headers: t.headers });
      const used = cpuBetween(before, cpuSnapshot(), [
        { name: 'server', match: (pid) => pid === t.pid },
        { name: 'postgres', match: (_, comm) => comm === 'postgres' },
        { name: 'redis', match: (_, comm) => comm === 'redis-server' },
      ]);
      const perRequest = (ms: number) => (ms * 1000) / result.requests;
      const s = samples[i]!;
      s.server.push(perRequest(used.server!));
      s.postgres.push(perRequest(used.postgres!));
      s.redis.push(perRequest(used.redis!));
      s.rps.push(result.rps);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const µs = (xs: number[]) => `${median(xs).toFixed(0)} (${xs.map((x) => x.toFixed(0)).join(' / ')})`;
  const rows = targets.map((t, i) => {
    const s = samples[i]!;
    return `| ${t.name} | ${µs(s.server)} | ${median(s.postgres).toFixed(0)} | ${median(s.redis).toFixed(0)} | ${median(s.rps).toFixed(0)} |`;
  });
  const extra = (i: number) => median(samples[i]!.server) - median(samples[0]!.server);
  process.stdout.write(
    [
      `${rounds} rounds of ${requests.toLocaleString('en')} requests at 50 connections; medians, all rounds in brackets for the server process.`,
      '',
      '| target | server µs/request | PostgreSQL µs/request | Redis µs/request | req/s |',
      '|---|---|---|---|---|',
      ...rows,
      '',
      `The API's own work beyond the bare route: ${extra(1).toFixed(0)} µs at ${commit}, ${extra(2).toFixed(0)} µs in the working tree.`,
      '',
    ].join('\n'),
  );
} finally {
  for (const s of servers.reverse()) await s.stop();
  await database?.drop();
  git('worktree', 'remove', '--force', checkout);
  rmSync(checkout, { recursive: true, force: true });
}

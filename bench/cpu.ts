// CPU time per request, by process, read from /proc (Linux). Throughput on a shared machine swings from run to
// run; the CPU a request costs in each process (the server, PostgreSQL's backends, Redis) is much steadier, and
// says where a route's work goes — including work done on its behalf in other processes.
import { readdirSync, readFileSync } from 'node:fs';
import type { LoadResult } from './load.js';

const TICKS_PER_SECOND = 100; // USER_HZ; `getconf CLK_TCK` is 100 on every Linux build we run on

type Snapshot = Map<number, { readonly comm: string; readonly ticks: number }>;

/** utime + stime of every process now (processes that vanish mid-read are skipped). */
export function cpuSnapshot(): Snapshot {
  const out: Snapshot = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' '); // fields[0] is the state (field 3 of stat)
      out.set(Number(name), { comm, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process exited between readdir and read
    }
  }
  return out;
}

export interface CpuGroup {
  readonly name: string;
  readonly match: (pid: number, comm: string) => boolean;
}

/** Milliseconds of CPU per group between two snapshots (a process born in between counts from zero). */
export function cpuBetween(before: Snapshot, after: Snapshot, groups: readonly CpuGroup[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(groups.map((g) => [g.name, 0]));
  for (const [pid, now] of after) {
    const group = groups.find((g) => g.match(pid, now.comm));
    if (!group) continue;
    const was = before.get(pid);
    const ticks = now.ticks - (was && was.comm === now.comm ? was.ticks : 0);
    out[group.name]! += (ticks * 1000) / TICKS_PER_SECOND;
  }
  return out;
}

/** What one load run cost: ms of CPU in the server process and in PostgreSQL's backends. */
export interface ServerCpu {
  readonly server: number;
  readonly postgres: number;
}
export type Measured<R = LoadResult> = R & { readonly cpu: ServerCpu };

/** Runs `load` and adds the CPU it cost the server (by pid) and PostgreSQL's backends. */
export async function measured<R extends object>(serverPid: number, load: () => Promise<R>): Promise<Measured<R>> {
  const before = cpuSnapshot();
  const result = await load();
  const used = cpuBetween(before, cpuSnapshot(), [
    { name: 'server', match: (pid) => pid === serverPid },
    { name: 'postgres', match: (_, comm) => comm === 'postgres' },
  ]);
  return { ...result, cpu: { server: used.server!, postgres: used.postgres! } };
}

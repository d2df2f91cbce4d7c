// CPU time per operation of every process that answers it: the gateway, each subgraph and, when
// PostgreSQL runs on this machine, the backends serving the subgraphs' databases. Read from /proc
// around a phase, it moves less from run to run than throughput on a shared machine, and says
// where an operation's time goes.
import { readdirSync, readFileSync } from 'node:fs';
import { childPids, cpuMsOf } from '@passerelle/stack';

/** A process of the stack, and the name it is reported under. */
export interface NamedProcess {
  name: string;
  pid: number | undefined;
}

export interface ProcessCpu {
  name: string;
  /** CPU time (user and system) per operation, in ms. */
  ms: number;
}

/** The CPU each process has spent so far, in ms, by process id, with the name it counts under. */
export type CpuSnapshot = Map<number, { name: string; ms: number }>;

const POSTGRES = 'PostgreSQL';

/** The backends serving the subgraphs' databases (`postgres: … passerelle_<name> …`), if local. */
function postgresBackends(): number[] {
  const backends: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (/^postgres: .* passerelle_\w+ /.test(title)) backends.push(Number(entry));
    } catch {
      // The process ended while the directory was read.
    }
  }
  return backends;
}

/** What every process (a gateway's workers with it) has spent so far. */
export function cpuSnapshot(processes: readonly NamedProcess[]): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  for (const { name, pid } of processes) {
    if (!pid) continue;
    for (const one of [pid, ...childPids(pid)]) snapshot.set(one, { name, ms: cpuMsOf(one) });
  }
  for (const backend of postgresBackends())
    snapshot.set(backend, { name: POSTGRES, ms: cpuMsOf(backend) });
  return snapshot;
}

/**
 * CPU per operation between two snapshots, by name, in the order the processes were named and
 * PostgreSQL last. A process started in between counts from zero; one gone in between, not at all.
 */
export function cpuPerOperation(
  before: CpuSnapshot,
  after: CpuSnapshot,
  operations: number,
): ProcessCpu[] {
  const spent = new Map<string, number>();
  for (const [pid, { name, ms }] of after) {
    spent.set(name, (spent.get(name) ?? 0) + ms - (before.get(pid)?.ms ?? 0));
  }
  if (operations === 0) return [];
  return [...spent]
    .sort(([a], [b]) => Number(a === POSTGRES) - Number(b === POSTGRES))
    .map(([name, ms]) => ({ name, ms: ms / operations }));
}

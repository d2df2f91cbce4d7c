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

/** The processes whose title names one of `databases`: PostgreSQL's backends serving them. */
function backendsOf(databases: ReadonlySet<string>): number[] {
  if (databases.size === 0) return [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const backends: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // `postgres: [cluster: ]user database host(port) activity`, padded with NULs.
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!title.startsWith('postgres: ')) continue;
      if (title.split(/[\s\0]+/).some((word) => databases.has(word))) backends.push(Number(entry));
    } catch {
      // The process ended while the directory was read.
    }
  }
  return backends;
}

/**
 * What every process (a gateway's workers with it) has spent so far, and the PostgreSQL backends
 * serving `databases` when the server runs on this machine. Processes that cannot be read are
 * left out.
 */
export function cpuSnapshot(
  processes: readonly NamedProcess[],
  databases: ReadonlySet<string> = new Set(),
): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  const take = (pid: number, name: string) => {
    const ms = cpuMsOf(pid);
    if (ms !== undefined) snapshot.set(pid, { name, ms });
  };
  for (const { name, pid } of processes) {
    if (!pid) continue;
    for (const one of [pid, ...childPids(pid)]) take(one, name);
  }
  for (const backend of backendsOf(databases)) take(backend, POSTGRES);
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

// Starts the whole stack as real processes: every subgraph (network first), then the gateway
// once each subgraph reports ready. Stops them in reverse order, and all of them if one dies.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { listSubgraphs, loadSubgraph, subgraphUrl } from '@passerelle/schema';
import { repositoryRoot, subgraphVariable } from '@passerelle/service';

export interface StackOptions {
  /** Port of the gateway; 0 picks a free one. */
  gatewayPort: number;
  /** Port per subgraph name; missing names use the subgraph's default, 0 picks a free one. */
  subgraphPorts?: Record<string, number>;
  /** Extra environment for every process (database URL, log level, data directories…). */
  env?: NodeJS.ProcessEnv;
  /** Extra environment per process name (`gateway` or a subgraph name). */
  envFor?: (name: string) => NodeJS.ProcessEnv;
  /** Where child output goes: inherited by default, or dropped. */
  output?: 'inherit' | 'ignore';
  /** Extra Node.js options for every process, before the entry point (`--cpu-prof`, say, which
   * `NODE_OPTIONS` refuses). */
  nodeArgs?: string[];
  readyTimeoutMs?: number;
}

export interface ServiceProcess {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
}

export interface RunningStack {
  gatewayUrl: string;
  services: ServiceProcess[];
  startMs: number;
  /** Resident memory of every process of the stack, in bytes (Linux). */
  memoryBytes(): number;
  /** Resolves when a process exits that was not asked to. */
  unexpectedExit: Promise<{ name: string; code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The processes `pid` started itself (a gateway's workers), by pid (Linux; none elsewhere). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(' ')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * Memory of a process and of the processes it started, in bytes (Linux): `VmRSS` now, or `VmHWM`
 * the peak of each, summed.
 */
export function memoryOfTree(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  if (!pid) return 0;
  const pattern = new RegExp(`${field}:\\s+(\\d+) kB`);
  return [pid, ...childPids(pid)].reduce((sum, one) => {
    try {
      const kb = pattern.exec(readFileSync(`/proc/${one}/status`, 'utf8'))?.[1];
      return sum + (kb ? Number(kb) * 1024 : 0);
    } catch {
      return sum;
    }
  }, 0);
}

/** Linux counts CPU time in clock ticks of 10 ms (USER_HZ is 100 on every mainstream kernel). */
const MS_PER_TICK = 10;

/**
 * CPU time (user and system) one process has spent so far, in ms; undefined when it cannot be
 * read (the process is gone, or this is not Linux).
 */
export function cpuMsOf(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name may hold spaces: count fields from its closing parenthesis, where the
  // third one, the state, comes first; utime and stime are the 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
}

/** Resident memory of a process and of the processes it started, in bytes (Linux). */
export function residentBytes(pid: number | undefined): number {
  return memoryOfTree(pid, 'VmRSS');
}

async function waitReady(service: ServiceProcess, timeoutMs: number, exited: Promise<unknown>) {
  const readyUrl = new URL('/health/ready', service.url).href;
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`${service.name} exited before it was ready`);
    try {
      const response = await fetch(readyUrl, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${service.name} was not ready after ${timeoutMs} ms`);
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const started = performance.now();
  const services: ServiceProcess[] = [];
  const stopping = new Set<ChildProcess>();
  let reportExit!: (exit: {
    name: string;
    code: number | null;
    signal: NodeJS.Signals | null;
  }) => void;
  const unexpectedExit = new Promise<{
    name: string;
    code: number | null;
    signal: NodeJS.Signals | null;
  }>((resolve) => (reportExit = resolve));

  const launch = (name: string, entryPath: string, port: number, env: NodeJS.ProcessEnv) => {
    const child = spawn(
      process.execPath,
      [...(options.nodeArgs ?? []), '--import', 'tsx', entryPath],
      {
        cwd: repositoryRoot,
        env: {
          ...process.env,
          ...options.env,
          ...options.envFor?.(name),
          ...env,
          PORT: String(port),
        },
        stdio: ['ignore', options.output ?? 'inherit', options.output ?? 'inherit'],
      },
    );
    const service: ServiceProcess = { name, port, url: subgraphUrl(port), child };
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.once('exit', (code, signal) => {
      if (!stopping.has(child)) reportExit({ name, code, signal });
    });
    services.push(service);
    return { service, exited };
  };

  const stop = async () => {
    for (const service of [...services].reverse()) {
      const { child } = service;
      if (child.exitCode !== null || child.signalCode !== null) continue;
      stopping.add(child);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  };

  try {
    const timeoutMs = options.readyTimeoutMs ?? 120_000;
    const entries = listSubgraphs();
    const ports: Record<string, number> = {};
    for (const entry of entries) {
      const wanted = options.subgraphPorts?.[entry.name];
      ports[entry.name] =
        wanted === undefined
          ? (await loadSubgraph(entry)).defaultPort
          : wanted === 0
            ? await freePort()
            : wanted;
    }
    const networkUrl = subgraphUrl(ports['network'] ?? 4001);
    // Network first: the partners ask it on writes. Then the partners together.
    const [network, ...partners] = entries;
    const boot = async (entry: (typeof entries)[number]) => {
      const { service, exited } = launch(entry.name, entry.entryPath, ports[entry.name]!, {
        NETWORK_URL: networkUrl,
      });
      await waitReady(service, timeoutMs, exited);
    };
    if (network) await boot(network);
    await Promise.all(partners.map(boot));

    const gatewayPort = options.gatewayPort === 0 ? await freePort() : options.gatewayPort;
    const urls = Object.fromEntries(
      entries.map((entry) => [
        subgraphVariable(entry.name, 'URL'),
        subgraphUrl(ports[entry.name]!),
      ]),
    );
    const gateway = launch(
      'gateway',
      path.join(repositoryRoot, 'gateway', 'src', 'index.ts'),
      gatewayPort,
      urls,
    );
    await waitReady(gateway.service, timeoutMs, gateway.exited);

    return {
      gatewayUrl: gateway.service.url,
      services,
      startMs: Math.round(performance.now() - started),
      memoryBytes: () =>
        services.reduce((sum, service) => sum + residentBytes(service.child.pid), 0),
      unexpectedExit,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

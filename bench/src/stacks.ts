// Starting and stopping what the benchmark measures: the stack's processes on given databases,
// scratch databases for the demo data, and the databases reopened once the stack has stopped.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { databaseUrl, dropPostgresDatabase, openDatabase, type Database } from '@passerelle/db';
import { listSubgraphs, loadSubgraph } from '@passerelle/schema';
import { childPids, memoryOfTree, startStack } from '@passerelle/stack';
import type { AttachedStack, ProcessMemory } from './bench.ts';
import type { NamedProcess } from './cpu.ts';
import { databaseNameOf, environmentFor, locationOf, type Target } from './databases.ts';

/** Peak resident memory of a process and of the processes it started (a gateway's workers). */
export function peakResident(pid: number | undefined): number {
  return memoryOfTree(pid, 'VmHWM');
}

/**
 * Starts a process's peak (and its children's) afresh from its current resident memory: Linux
 * resets `VmHWM` when "5" is written to `clear_refs`. What start-up needed is then left out.
 */
export function resetPeakMemory(pid: number | undefined): void {
  if (!pid) return;
  for (const one of [pid, ...childPids(pid)]) {
    try {
      writeFileSync(`/proc/${one}/clear_refs`, '5');
    } catch {
      // Gone already, or not Linux: its peak stays the one since it started.
    }
  }
}

export interface Running extends AttachedStack {
  startMs: number;
  memory(): ProcessMemory[];
  resetPeaks(): void;
  processes(): NamedProcess[];
  /** The PostgreSQL databases the subgraphs use (none on PGlite). */
  databases: ReadonlySet<string>;
  stop(): Promise<void>;
}

export async function start(
  target: Target,
  seedDemo: boolean,
  gatewayWorkers: number,
  cpuProfileDir?: string,
): Promise<Running> {
  const secretsDir = mkdtempSync(path.join(tmpdir(), 'passerelle-bench-secrets-'));
  const jwtSecret = randomBytes(32).toString('base64url');
  const stack = await startStack({
    gatewayPort: 0,
    subgraphPorts: Object.fromEntries(listSubgraphs().map((entry) => [entry.name, 0])),
    output: process.env['BENCH_LOGS'] ? 'inherit' : 'ignore',
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      JWT_SECRET: jwtSecret,
      SECRETS_DIR: secretsDir,
      DEMO_SEED: seedDemo ? 'true' : 'false',
    },
    ...(cpuProfileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] } : {}),
    envFor: (name) =>
      name === 'gateway'
        ? { GATEWAY_WORKERS: String(gatewayWorkers) }
        : environmentFor(target, name),
  });
  const subgraphUrls = Object.fromEntries(
    stack.services.filter((s) => s.name !== 'gateway').map((s) => [s.name, s.url]),
  );
  return {
    gatewayUrl: stack.gatewayUrl,
    secretsDir,
    jwtSecret,
    subgraphUrls,
    startMs: stack.startMs,
    memory: () =>
      stack.services.map((service) => ({
        name: service.name,
        peakBytes: peakResident(service.child.pid),
      })),
    resetPeaks: () => {
      for (const service of stack.services) resetPeakMemory(service.child.pid);
    },
    processes: () =>
      stack.services.map((service) => ({ name: service.name, pid: service.child.pid })),
    databases: new Set(
      listSubgraphs().flatMap((entry) => databaseNameOf(target, entry.name) ?? []),
    ),
    stop: async () => {
      await stack.stop();
      rmSync(secretsDir, { recursive: true, force: true });
    },
  };
}

export async function openDatabases(
  target: Target,
): Promise<Map<string, Database<Record<string, unknown>>>> {
  const databases = new Map<string, Database<Record<string, unknown>>>();
  for (const entry of listSubgraphs()) {
    const module = await loadSubgraph(entry);
    databases.set(
      entry.name,
      await openDatabase({
        location: locationOf(target, entry.name),
        schema: module.dbSchema,
        migrationsFolder: module.migrationsFolder,
      }),
    );
  }
  return databases;
}

/** A scratch place for the demo data: temporary PGlite directories, or throwaway databases. */
export function demoTarget(target: Target): { target: Target; dispose: () => Promise<void> } {
  if (target.serverUrl) {
    const suffix = randomBytes(4).toString('hex');
    const name = (subgraph: string) => `passerelle_bench_${subgraph}_${suffix}`;
    const serverUrl = target.serverUrl;
    return {
      target: { serverUrl, dataRoot: target.dataRoot, databaseName: name },
      dispose: async () => {
        for (const entry of listSubgraphs())
          await dropPostgresDatabase(databaseUrl(serverUrl, name(entry.name)));
      },
    };
  }
  const dataRoot = mkdtempSync(path.join(tmpdir(), 'passerelle-bench-demo-'));
  return {
    target: { dataRoot },
    dispose: async () => rmSync(dataRoot, { recursive: true, force: true }),
  };
}

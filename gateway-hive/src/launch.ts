// Starts the Hive engine as its own process on given subgraph URLs, as @passerelle/stack starts
// the Apollo gateway: for the end-to-end comparison of the two engines and for the benchmark.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repositoryRoot, subgraphVariable } from '@passerelle/service';
import { freePort } from '@passerelle/stack';

export interface HiveLaunchOptions {
  /** Subgraph URL by subgraph name; names left out keep the URL the supergraph records. */
  subgraphUrls: Record<string, string>;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** More environment: JWT_SECRET, SECRETS_DIR, NODE_ENV, LOG_LEVEL… (see gateway/src/config.ts). */
  env?: NodeJS.ProcessEnv;
  /** Where the process's output goes: dropped by default. */
  output?: 'inherit' | 'ignore';
  readyTimeoutMs?: number;
}

export interface LaunchedGateway {
  url: string;
  pid: number;
  /** Resident memory of the process, in bytes (Linux). */
  memoryBytes(): number;
  stop(): Promise<void>;
}

export const HIVE_ENTRY = path.join(repositoryRoot, 'gateway-hive', 'src', 'main.ts');

export async function launchHiveGateway(options: HiveLaunchOptions): Promise<LaunchedGateway> {
  const port = options.port || (await freePort());
  const urls = Object.fromEntries(
    Object.entries(options.subgraphUrls).map(([name, url]) => [subgraphVariable(name, 'URL'), url]),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', HIVE_ENTRY], {
    cwd: repositoryRoot,
    env: { ...process.env, ...options.env, ...urls, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', options.output ?? 'ignore', options.output ?? 'ignore'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error('Hive Gateway exited before it was ready');
    if (Date.now() > deadline) {
      await stop();
      throw new Error('Hive Gateway was not ready in time');
    }
    const ready = await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(1000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url: `${base}/graphql`,
    pid: child.pid ?? 0,
    memoryBytes: () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
      } catch {
        return 0;
      }
    },
    stop,
  };
}

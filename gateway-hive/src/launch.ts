// Starts a gateway as its own process on given subgraph URLs, as @passerelle/stack starts the
// Apollo gateway: the Hive engine for the end-to-end comparison of the two engines and for the
// benchmark, either engine for the tests of its process (workers, signals).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { repositoryRoot, subgraphVariable } from '@passerelle/service';
import { freePort, residentBytes } from '@passerelle/stack';

export interface GatewayLaunchOptions {
  /** Subgraph URL by subgraph name; names left out keep the URL the supergraph records. */
  subgraphUrls: Record<string, string>;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** More environment: JWT_SECRET, SECRETS_DIR, NODE_ENV, LOG_LEVEL… (see gateway/src/config.ts). */
  env?: NodeJS.ProcessEnv;
  /** Where the process's output goes: dropped by default, or line by line to a function. */
  output?: 'inherit' | 'ignore' | ((line: string) => void);
  readyTimeoutMs?: number;
}

export interface LaunchedGateway {
  url: string;
  pid: number;
  /** Resident memory of the process and its workers, in bytes (Linux). */
  memoryBytes(): number;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<number | NodeJS.Signals | null>;
  stop(): Promise<void>;
}

export const HIVE_ENTRY = path.join(repositoryRoot, 'gateway-hive', 'src', 'main.ts');
export const APOLLO_ENTRY = path.join(repositoryRoot, 'gateway', 'src', 'index.ts');

export function launchHiveGateway(options: GatewayLaunchOptions): Promise<LaunchedGateway> {
  return launchGateway(HIVE_ENTRY, options);
}

/** Starts the gateway process `entry` (HIVE_ENTRY or APOLLO_ENTRY) and waits until it is ready. */
export async function launchGateway(
  entry: string,
  options: GatewayLaunchOptions,
): Promise<LaunchedGateway> {
  const port = options.port || (await freePort());
  const urls = Object.fromEntries(
    Object.entries(options.subgraphUrls).map(([name, url]) => [subgraphVariable(name, 'URL'), url]),
  );
  const output = options.output ?? 'ignore';
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: repositoryRoot,
    env: { ...process.env, ...options.env, ...urls, HOST: '127.0.0.1', PORT: String(port) },
    stdio: [
      'ignore',
      ...(typeof output === 'function' ? (['pipe', 'pipe'] as const) : [output, output]),
    ],
  });
  if (typeof output === 'function') {
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', output);
    }
  }
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };

  const name = path.relative(repositoryRoot, entry);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`${name} exited before it was ready`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} was not ready in time`);
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
    memoryBytes: () => residentBytes(child.pid),
    exited,
    stop,
  };
}

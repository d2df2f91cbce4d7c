// Starts the real stack once for the end-to-end suite: every subgraph and the gateway as
// separate processes on free ports, each subgraph on a fresh embedded database in a temporary
// directory (or a fresh database on PASSERELLE_TEST_DATABASE_URL), seeded with the demo network.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dropPostgresDatabase, databaseUrl } from '@passerelle/db';
import { listSubgraphs } from '@passerelle/schema';
import { startStack, type RunningStack } from '@passerelle/stack';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    gatewayUrl: string;
    jwtSecret: string;
    subgraphUrls: Record<string, string>;
    secretsDir: string;
  }
}

let stack: RunningStack | undefined;
let dataRoot: string | undefined;
const postgresUrls: string[] = [];

export async function setup(project: TestProject) {
  dataRoot = mkdtempSync(path.join(tmpdir(), 'passerelle-e2e-'));
  const jwtSecret = randomBytes(32).toString('base64url');
  const serverUrl = process.env['PASSERELLE_TEST_DATABASE_URL'];
  const suffix = randomBytes(4).toString('hex');
  const subgraphPorts = Object.fromEntries(listSubgraphs().map((entry) => [entry.name, 0]));
  stack = await startStack({
    gatewayPort: 0,
    subgraphPorts,
    output: process.env['E2E_LOGS'] ? 'inherit' : 'ignore',
    env: { NODE_ENV: 'test', LOG_LEVEL: 'warn', JWT_SECRET: jwtSecret, SECRETS_DIR: dataRoot },
    envFor: (name) => {
      if (name === 'gateway') return {};
      if (serverUrl) {
        const url = databaseUrl(serverUrl, `passerelle_e2e_${name}_${suffix}`);
        postgresUrls.push(url);
        return { DATABASE_URL: url };
      }
      return { DATA_DIR: path.join(dataRoot!, name) };
    },
  });
  project.provide('gatewayUrl', stack.gatewayUrl);
  project.provide('jwtSecret', jwtSecret);
  project.provide('secretsDir', dataRoot);
  project.provide(
    'subgraphUrls',
    Object.fromEntries(
      stack.services.filter((s) => s.name !== 'gateway').map((s) => [s.name, s.url]),
    ),
  );
}

export async function teardown() {
  await stack?.stop();
  for (const url of postgresUrls) await dropPostgresDatabase(url);
  if (dataRoot) rmSync(dataRoot, { recursive: true, force: true });
}

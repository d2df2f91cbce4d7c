// The whole federation in the test process: every subgraph on a fresh database (seeded with the
// demo network), the real gateway on the committed supergraph, all on free ports of 127.0.0.1.
// Tests read each subgraph's statement counter to prove batching.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startGateway, type GatewayOptions } from '@passerelle/gateway';
import { listSubgraphs, loadSubgraph } from '@passerelle/schema';
import { SUPERGRAPH_PATH } from '@passerelle/schema/compose';
import {
  createLogger,
  deriveKey,
  loadSecret,
  runSubgraph,
  subgraphEnv,
  type Clock,
  type RunningServer,
  type RunningSubgraph,
} from '@passerelle/service';
import { createTestDatabase } from './databases.ts';
import { postGraphQL, tokenFor, tokenSettings, type TestViewer } from './graphql.ts';

/** A statement a test runs on a subgraph's database (Drizzle's `sql` template). */
type SubgraphQuery = Parameters<
  RunningSubgraph<Record<string, unknown>>['database']['db']['execute']
>[0];

export interface InProcessStack {
  gatewayUrl: string;
  /** What the gateway was started with: a test may start another with some changed. */
  gatewayOptions: GatewayOptions;
  subgraphs: Map<string, RunningSubgraph<Record<string, unknown>>>;
  /** Runs an operation through the gateway as `viewer`. */
  query<TData = Record<string, any>>(
    viewer: TestViewer,
    query: string,
    variables?: Record<string, unknown>,
  ): ReturnType<typeof postGraphQL<TData>>;
  token(viewer: TestViewer): Promise<string>;
  /** SQL statements each subgraph ran since the last reset. */
  statementCounts(): Record<string, number>;
  /** Runs SQL on a subgraph's own database and returns the rows (PGlite or postgres.js alike). */
  rows<T>(subgraph: string, query: SubgraphQuery): Promise<T[]>;
  resetStatementCounts(): void;
  stop(): Promise<void>;
}

export async function startInProcessStack(
  options: {
    seed?: boolean;
    /** The clock every subgraph reads "now" from; the system clock when omitted. */
    clock?: Clock;
    /** Where the gateway reaches subgraph `name` served at `url` (a test's proxy); `url` when omitted. */
    route?: (name: string, url: string) => string;
  } = {},
): Promise<InProcessStack> {
  const log = createLogger('test', process.env['TEST_LOG_LEVEL'] ?? 'silent');
  const subgraphs = new Map<string, RunningSubgraph<Record<string, unknown>>>();
  const servers: RunningServer[] = [];
  const secretsDir = mkdtempSync(path.join(tmpdir(), 'passerelle-secrets-'));
  const stop = async () => {
    for (const server of servers.reverse()) await server.close();
    rmSync(secretsDir, { recursive: true, force: true });
  };
  try {
    const entries = listSubgraphs();
    let networkUrl = '';
    const boot = async (entry: (typeof entries)[number]) => {
      const module = await loadSubgraph(entry);
      const env = subgraphEnv(module.name, 0, {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DEMO_SEED: options.seed === false ? 'false' : 'true',
        SECRETS_DIR: secretsDir,
        ...(networkUrl ? { NETWORK_URL: networkUrl } : {}),
      });
      const database = await createTestDatabase(module);
      const running = await runSubgraph(module, env, {
        database,
        log: log.child({ service: module.name }),
        ...(options.clock ? { clock: options.clock } : {}),
      });
      servers.push(running);
      subgraphs.set(module.name, running);
      return running;
    };
    const [network, ...partners] = entries;
    if (network) networkUrl = (await boot(network)).url;
    await Promise.all(partners.map(boot));

    const secret = randomBytes(32).toString('base64url');
    const jwt = tokenSettings(secret);
    const gatewayOptions: GatewayOptions = {
      supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
      subgraphUrls: Object.fromEntries(
        [...subgraphs].map(([name, running]) => [
          name,
          options.route?.(name, running.url) ?? running.url,
        ]),
      ),
      jwt,
      signingKeyFor: (name) =>
        deriveKey(loadSecret('dev-signing-secret', undefined, secretsDir), 'gateway', name),
      log: log.child({ service: 'gateway' }),
      host: '127.0.0.1',
      port: 0,
      introspection: true,
    };
    const gateway = await startGateway(gatewayOptions);
    servers.push(gateway);

    return {
      gatewayUrl: gateway.url,
      gatewayOptions,
      subgraphs,
      token: (viewer) => tokenFor(jwt, viewer),
      query: async (viewer, query, variables) =>
        postGraphQL(
          gateway.url,
          { query, ...(variables ? { variables } : {}) },
          { token: await tokenFor(jwt, viewer) },
        ),
      statementCounts: () =>
        Object.fromEntries(
          [...subgraphs].map(([name, running]) => [name, running.database.statements.count]),
        ),
      resetStatementCounts: () => {
        for (const running of subgraphs.values()) running.database.statements.reset();
      },
      rows: async <T>(subgraph: string, query: SubgraphQuery) => {
        const running = subgraphs.get(subgraph);
        if (!running) throw new Error(`No subgraph ${subgraph} in this stack`);
        const result = (await running.database.db.execute(query)) as unknown as T[] | { rows: T[] };
        return Array.isArray(result) ? result : result.rows;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

// SQL statements per operation, counted: the subgraphs and the gateway in this process on the
// benchmark's databases, each subgraph's StatementCounter read around one operation at a time.
// And the batching rule: a facet over a list of people costs the same statements at any length.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Database } from '@passerelle/db';
import { startGateway } from '@passerelle/gateway';
import { listSubgraphs, loadSubgraph } from '@passerelle/schema';
import { SUPERGRAPH_PATH } from '@passerelle/schema/compose';
import {
  createLogger,
  deriveKey,
  loadSecret,
  runSubgraph,
  subgraphEnv,
  type RunningServer,
  type RunningSubgraph,
} from '@passerelle/service';
import { postGraphQL, tokenFor, tokenSettings, type TestViewer } from '@passerelle/testkit';
import { problemOf } from './load.ts';
import { FACET_LIST, type Step } from './operations.ts';

export interface StatementCounts {
  /** Average statements per operation, by subgraph, over a few runs of it. */
  perOperation: Record<string, Record<string, number>>;
  /** The housing facet over lists of people: statements in housing for each list length. */
  entityBatches: { people: number; housingStatements: number }[];
}

type OpenDatabases = Map<string, Database<Record<string, unknown>>>;

export async function countStatements(
  databases: OpenDatabases,
  secretsDir: string,
  operations: Record<string, Step[]>,
  listViewer: TestViewer,
  runs = 3,
): Promise<StatementCounts> {
  const log = createLogger('bench', 'silent');
  const servers: RunningServer[] = [];
  const subgraphs = new Map<string, RunningSubgraph<Record<string, unknown>>>();
  try {
    let networkUrl = '';
    for (const entry of listSubgraphs()) {
      const module = await loadSubgraph(entry);
      const database = databases.get(module.name);
      if (!database) continue;
      const env = subgraphEnv(module.name, 0, {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DEMO_SEED: 'false',
        SECRETS_DIR: secretsDir,
        ...(networkUrl ? { NETWORK_URL: networkUrl } : {}),
      });
      // The databases stay open after the subgraph stops: the caller closes them.
      const running = await runSubgraph(module, env, {
        database: { ...database, close: async () => {} },
        log,
      });
      servers.push(running);
      subgraphs.set(module.name, running);
      if (module.name === 'network') networkUrl = running.url;
    }
    const secret = randomBytes(32).toString('base64url');
    const gateway = await startGateway({
      supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
      subgraphUrls: Object.fromEntries(
        [...subgraphs].map(([name, running]) => [name, running.url]),
      ),
      jwt: tokenSettings(secret),
      signingKeyFor: (name) =>
        deriveKey(loadSecret('dev-signing-secret', undefined, secretsDir), 'gateway', name),
      log,
      host: '127.0.0.1',
      port: 0,
    });
    servers.push(gateway);

    const counted = async (
      viewer: TestViewer,
      query: string,
      variables?: Record<string, unknown>,
    ) => {
      for (const running of subgraphs.values()) running.database.statements.reset();
      const token = await tokenFor(tokenSettings(secret), viewer);
      const response = await postGraphQL(
        gateway.url,
        { query, ...(variables ? { variables } : {}) },
        { token },
      );
      const problem = problemOf(
        response.status,
        JSON.stringify({ data: response.data, errors: response.errors }),
      );
      if (problem) throw new Error(`counting statements: ${problem}`);
      const counts = Object.fromEntries(
        [...subgraphs].map(([name, running]) => [name, running.database.statements.count]),
      );
      return { counts, data: response.data ?? {} };
    };

    const perOperation: StatementCounts['perOperation'] = {};
    for (const [operation, steps] of Object.entries(operations)) {
      const totals: Record<string, number> = {};
      for (let turn = 0; turn < runs; turn += 1) {
        const context = {};
        for (const step of steps) {
          const call = step.call(context, 1_000 + turn);
          const { counts, data } = await counted(call.viewer, call.query, call.variables);
          step.remember?.(data, context);
          for (const [name, n] of Object.entries(counts))
            totals[name] = (totals[name] ?? 0) + n / runs;
        }
      }
      perOperation[operation] = Object.fromEntries(
        Object.entries(totals)
          .filter(([, n]) => n > 0)
          .map(([name, n]) => [name, Math.round(n * 10) / 10]),
      );
    }

    const entityBatches: StatementCounts['entityBatches'] = [];
    for (const first of [5, 100]) {
      const token = await tokenFor(tokenSettings(secret), listViewer);
      subgraphs.get('housing')?.database.statements.reset();
      const response = await postGraphQL(
        gateway.url,
        { query: FACET_LIST, variables: { first } },
        { token },
      );
      const people = (response.data?.['beneficiaries']?.nodes ?? []).length as number;
      entityBatches.push({
        people,
        housingStatements: subgraphs.get('housing')?.database.statements.count ?? 0,
      });
    }
    return { perOperation, entityBatches };
  } finally {
    for (const server of servers.reverse()) await server.close();
  }
}

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
  /** Average statements per request of each operation, by subgraph, over a few runs of it. */
  perOperation: Record<string, Record<string, number>>;
  /**
   * The housing facet over lists of people: statements in housing for each list length, and
   * what went wrong with the answer, if anything.
   */
  entityBatches: { people: number; housingStatements: number; problem: string | null }[];
}

/** An operation to count: its requests, and what must happen unmeasured before each run of them. */
export interface Counted {
  steps: Step[];
  before?: (turn: number) => Step[];
}

type OpenDatabases = Map<string, Database<Record<string, unknown>>>;

export async function countStatements(
  databases: OpenDatabases,
  secretsDir: string,
  operations: Record<string, Counted>,
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

    const send = async (
      viewer: TestViewer,
      query: string,
      variables?: Record<string, unknown>,
      step?: Step,
    ) => {
      const token = await tokenFor(tokenSettings(secret), viewer);
      const response = await postGraphQL(
        gateway.url,
        { query, ...(variables ? { variables } : {}) },
        { token },
      );
      return {
        data: response.data ?? {},
        problem: problemOf(
          response.status,
          JSON.stringify({ data: response.data, errors: response.errors }),
          step,
        ),
      };
    };
    const counted = async (call: ReturnType<Step['call']>, step: Step) => {
      for (const running of subgraphs.values()) running.database.statements.reset();
      const { data, problem } = await send(call.viewer, call.query, call.variables, step);
      if (problem) throw new Error(`counting statements: ${problem}`);
      const counts = Object.fromEntries(
        [...subgraphs].map(([name, running]) => [name, running.database.statements.count]),
      );
      return { counts, data };
    };

    const perOperation: StatementCounts['perOperation'] = {};
    for (const [operation, { steps, before }] of Object.entries(operations)) {
      const totals: Record<string, number> = {};
      for (let turn = 0; turn < runs; turn += 1) {
        for (const step of before?.(turn) ?? []) {
          const call = step.call({}, turn);
          const { problem } = await send(call.viewer, call.query, call.variables);
          if (problem) throw new Error(`before counting ${operation}: ${problem}`);
        }
        const context = {};
        for (const step of steps) {
          const { counts, data } = await counted(step.call(context, 1_000 + turn), step);
          step.remember?.(data, context);
          for (const [name, n] of Object.entries(counts))
            totals[name] = (totals[name] ?? 0) + n / (runs * steps.length);
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
      subgraphs.get('housing')?.database.statements.reset();
      const { data, problem } = await send(listViewer, FACET_LIST, { first });
      const people = ((data['beneficiaries'] as { nodes?: unknown[] } | undefined)?.nodes ?? [])
        .length;
      entityBatches.push({
        people,
        housingStatements: subgraphs.get('housing')?.database.statements.count ?? 0,
        problem,
      });
    }
    return { perOperation, entityBatches };
  } finally {
    for (const server of servers.reverse()) await server.close();
  }
}

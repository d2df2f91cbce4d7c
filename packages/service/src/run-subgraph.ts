// Runs one subgraph as a service: reads its environment, opens and migrates its database, seeds
// the demo network on first start, serves GraphQL and stops cleanly.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  databaseUrl,
  openDatabase,
  type Database,
  type DatabaseLocation,
  type Db,
} from '@passerelle/db';
import type { DocumentNode } from 'graphql';
import { flag, logLevel, optionalUrl, parseEnv, port, z } from './env.ts';
import type { RunningServer } from './http.ts';
import { limitsEnvShape, limitsFrom, SUBGRAPH_LIMITS } from './limits.ts';
import { systemClock, type Clock } from './clock.ts';
import { createLogger, type Logger } from './logger.ts';
import { loadSecret } from './secrets.ts';
import { deriveKey } from './signing.ts';
import { startSubgraph, type RequestContext } from './subgraph.ts';

/** Everything that makes a subgraph, as its `src/subgraph.ts` exports it. */
export interface SubgraphModule<
  TSchema extends Record<string, unknown>,
  TContext extends RequestContext,
> {
  name: string;
  defaultPort: number;
  typeDefs: DocumentNode;
  resolvers: unknown;
  dbSchema: TSchema;
  migrationsFolder: string;
  /** Fills an empty database with the demo network; does nothing when data is present. */
  seed: (db: Db<TSchema>) => Promise<void>;
  /** Called once at start; returns the per-request context factory. */
  createContext: (deps: {
    db: Db<TSchema>;
    env: SubgraphEnv;
    clock: Clock;
  }) => (base: RequestContext) => TContext;
}

export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The environment every subgraph process reads; `nowhere else reads process.env`. */
export function subgraphEnv(name: string, defaultPort: number, source: NodeJS.ProcessEnv) {
  const env = parseEnv(
    {
      NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
      HOST: z.string().default('127.0.0.1'),
      PORT: port(defaultPort),
      LOG_LEVEL: logLevel,
      /** A full connection URL for this subgraph's own PostgreSQL database. */
      DATABASE_URL: optionalUrl,
      /** A PostgreSQL server URL; each subgraph then uses its own database `passerelle_<name>`. */
      PASSERELLE_DATABASE_URL: optionalUrl,
      /** Where the embedded database lives when no URL is set. */
      DATA_DIR: z.string().default(path.join(repositoryRoot, '.data', name)),
      DEMO_SEED: flag.optional(),
      /**
       * PGlite only: minutes between two `VACUUM (ANALYZE)` of the embedded database, which runs
       * no autovacuum; 0 never.
       */
      PGLITE_VACUUM_MINUTES: z.coerce.number().int().nonnegative().default(60),
      /** PostgreSQL cancels a statement running longer than this (not enforced by PGlite). */
      STATEMENT_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
      /** Overall deadline of one request; past it the caller gets 504. */
      REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
      /** How long SIGTERM waits for in-flight requests before aborting them. */
      SHUTDOWN_GRACE_MS: z.coerce.number().int().positive().default(10_000),
      /** Overrides of the operation limits (limits.ts: SUBGRAPH_LIMITS). */
      ...limitsEnvShape,
      /** Where partner subgraphs ask network what it knows. */
      NETWORK_URL: z.url().default('http://127.0.0.1:4001/graphql'),
      /** Where development secrets are kept when they are not given in the environment. */
      SECRETS_DIR: z.string().default(path.join(repositoryRoot, '.data')),
      /** The key the gateway signs requests to this subgraph with (at least 32 bytes). */
      SIGNING_SECRET: z.string().min(32).optional(),
      /** Network only: the key partner subgraphs sign their internal calls with. */
      INTERNAL_SIGNING_SECRET: z.string().min(32).optional(),
      /** Partner subgraphs: the key to sign internal calls to network with. */
      NETWORK_SIGNING_SECRET: z.string().min(32).optional(),
    },
    source,
  );
  if (env.NODE_ENV === 'production') {
    const missing =
      name === 'network'
        ? ['SIGNING_SECRET', 'INTERNAL_SIGNING_SECRET']
        : ['SIGNING_SECRET', 'NETWORK_SIGNING_SECRET'];
    const unset = missing.filter((key) => !env[key as keyof typeof env]);
    if (unset.length) {
      throw new Error(
        `Invalid environment:\n${unset.map((key) => `  - ${key}: required in production`).join('\n')}`,
      );
    }
    // Every partner's host holds the internal secret: were it the gateway's, any of them could
    // sign as the gateway and vouch for any viewer.
    if (name === 'network' && env.SIGNING_SECRET === env.INTERNAL_SIGNING_SECRET) {
      throw new Error(
        'Invalid environment:\n  - INTERNAL_SIGNING_SECRET: must differ from SIGNING_SECRET',
      );
    }
  }
  const location: DatabaseLocation = env.DATABASE_URL
    ? { kind: 'postgres', url: env.DATABASE_URL }
    : env.PASSERELLE_DATABASE_URL
      ? { kind: 'postgres', url: databaseUrl(env.PASSERELLE_DATABASE_URL, `passerelle_${name}`) }
      : { kind: 'pglite', dataDir: env.DATA_DIR };
  return {
    ...env,
    location,
    production: env.NODE_ENV === 'production',
    limits: limitsFrom(env, SUBGRAPH_LIMITS),
    seedDemo: env.DEMO_SEED ?? env.NODE_ENV !== 'production',
    signing: signingKeys(name, env),
  };
}

/**
 * Which signers this subgraph accepts and with which key, and the key it signs internal calls
 * to network with. Development keys derive from one master secret under SECRETS_DIR.
 */
function signingKeys(
  name: string,
  env: {
    SECRETS_DIR: string;
    SIGNING_SECRET?: string | undefined;
    INTERNAL_SIGNING_SECRET?: string | undefined;
    NETWORK_SIGNING_SECRET?: string | undefined;
  },
) {
  let master: Uint8Array | undefined;
  const key = (given: string | undefined, signer: string, audience: string) =>
    given
      ? new Uint8Array(Buffer.from(given, 'utf8'))
      : deriveKey(
          (master ??= loadSecret('dev-signing-secret', undefined, env.SECRETS_DIR)),
          signer,
          audience,
        );
  const fromGateway = key(env.SIGNING_SECRET, 'gateway', name);
  const internal = new Map<string, Uint8Array>();
  return {
    keyFor: (signer: string): Uint8Array | undefined => {
      if (signer === 'gateway') return fromGateway;
      if (name !== 'network' || !/^[a-z][a-z0-9-]{1,62}$/.test(signer)) return undefined;
      let found = internal.get(signer);
      if (!found)
        internal.set(signer, (found = key(env.INTERNAL_SIGNING_SECRET, signer, 'network')));
      return found;
    },
    toNetwork: () => key(env.NETWORK_SIGNING_SECRET, name, 'network'),
  };
}
export type SubgraphEnv = ReturnType<typeof subgraphEnv>;

export interface RunningSubgraph<TSchema extends Record<string, unknown>> extends RunningServer {
  database: Database<TSchema>;
  log: Logger;
}

export async function runSubgraph<
  TSchema extends Record<string, unknown>,
  TContext extends RequestContext,
>(
  module: SubgraphModule<TSchema, TContext>,
  env: SubgraphEnv,
  options: { log?: Logger; database?: Database<TSchema>; clock?: Clock } = {},
): Promise<RunningSubgraph<TSchema>> {
  const log = options.log ?? createLogger(module.name, env.LOG_LEVEL);
  const started = performance.now();
  const database =
    options.database ??
    (await openDatabase({
      location: env.location,
      schema: module.dbSchema,
      migrationsFolder: module.migrationsFolder,
      statementTimeoutMs: env.STATEMENT_TIMEOUT_MS,
    }));
  await database.migrate();
  if (env.seedDemo) await module.seed(database.db);
  const vacuuming = vacuumEvery(database, env.PGLITE_VACUUM_MINUTES, log);
  const context = module.createContext({
    db: database.db,
    env,
    clock: options.clock ?? systemClock,
  });
  const server = await startSubgraph({
    name: module.name,
    typeDefs: module.typeDefs,
    resolvers: module.resolvers,
    log,
    host: env.HOST,
    port: env.PORT,
    production: env.production,
    limits: env.limits,
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    signing: env.signing,
    context,
    ready: () => database.ping(),
    onClose: async () => {
      await vacuuming.stop();
      await database.close();
      log.info({ driver: database.driver }, 'database closed');
    },
  });
  log.info(
    {
      url: server.url,
      driver: database.driver,
      startMs: Math.round(performance.now() - started),
    },
    'subgraph ready',
  );
  return { ...server, database, log };
}

/**
 * Vacuums an embedded database every `minutes` (none on PostgreSQL, where autovacuum does it):
 * without it, rows that changed keep their pages from index-only scans, and the planner's
 * statistics stay those of the last seed. A vacuum waits for the statement or transaction in
 * progress and holds the next ones for its length, about a second on the Brussels dataset.
 */
export function vacuumEvery(
  database: Pick<Database<Record<string, unknown>>, 'driver' | 'vacuum'>,
  minutes: number,
  log: Logger,
) {
  let running: Promise<void> = Promise.resolve();
  const timer =
    database.driver === 'pglite' && minutes > 0
      ? setInterval(() => {
          running = running.then(async () => {
            const started = performance.now();
            try {
              await database.vacuum();
              log.info({ ms: Math.round(performance.now() - started) }, 'database vacuumed');
            } catch (error) {
              log.warn({ err: error }, 'database vacuum failed');
            }
          });
        }, minutes * 60_000).unref()
      : undefined;
  return {
    /** Stops the schedule and waits for a vacuum under way. */
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

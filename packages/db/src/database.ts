// Opens a subgraph's database: embedded PGlite on disk by default, PostgreSQL (postgres.js)
// when a URL is configured. Both return the same Drizzle API, so repositories never know which.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Logger as DrizzleLogger } from 'drizzle-orm/logger';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { Sql } from 'postgres';
import { connectPostgres, ensurePostgresDatabase } from './postgres-admin.ts';

/** The Drizzle database every repository is written against, whichever driver is behind it. */
export type Db<TSchema extends Record<string, unknown>> = PgDatabase<PgQueryResultHKT, TSchema>;

/** Where a subgraph's data lives. */
export type DatabaseLocation =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite-memory'; template?: Blob }
  | { kind: 'postgres'; url: string; maxConnections?: number };

export interface OpenDatabaseOptions<TSchema extends Record<string, unknown>> {
  location: DatabaseLocation;
  schema: TSchema;
  migrationsFolder: string;
  /** PostgreSQL only: refuse statements that run longer than this. */
  statementTimeoutMs?: number;
  /** PostgreSQL only: how many distinct statements are prepared (MAX_PREPARED_STATEMENTS). */
  maxPreparedStatements?: number;
}

/** How many distinct statements a PostgreSQL client prepares, by default. */
export const MAX_PREPARED_STATEMENTS = 1000;
/** Statements with more parameters than this (long `in (…)` lists) are not prepared. */
export const MAX_PREPARED_PARAMETERS = 32;

/**
 * A postgres.js client that prepares its statements. Drizzle asks postgres.js not to prepare
 * (drizzle-team/drizzle-orm#6096), and postgres.js then runs each statement with parameters in two
 * round trips: parse and describe, then bind and execute. Prepared, a statement is parsed once per
 * connection and runs in one round trip. Each prepared statement stays in its connection's server
 * process, and `in (…)` lists give one text per list length: only statements of up to
 * MAX_PREPARED_PARAMETERS parameters are prepared, and past `limit` distinct texts new ones run
 * unprepared, so the server's memory stays bounded. A caller that asks for preparing itself is
 * obeyed. Transactions and savepoints hand out their own client, wrapped the same way.
 */
function preparing<T extends Sql>(client: T, limit: number, prepared = new Set<string>()): T {
  const wrapCallback = (args: unknown[]) =>
    args.map((arg) =>
      typeof arg === 'function'
        ? (inner: Sql) => (arg as (inner: Sql) => unknown)(preparing(inner, limit, prepared))
        : arg,
    );
  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === 'unsafe') {
        return (...args: Parameters<Sql['unsafe']>) => {
          const [query, params, options] = args;
          // Without parameters postgres.js sends a simple query, in one round trip already.
          if (
            !Array.isArray(params) ||
            params.length === 0 ||
            params.length > MAX_PREPARED_PARAMETERS ||
            options?.prepare === true
          ) {
            return target.unsafe(...args);
          }
          if (!prepared.has(query) && prepared.size < limit) prepared.add(query);
          return target.unsafe(query, params, { ...options, prepare: prepared.has(query) });
        };
      }
      if (key === 'begin' || key === 'savepoint') {
        const method = Reflect.get(target, key, receiver) as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => method.apply(target, wrapCallback(args));
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

/** Counts the SQL statements a database handle runs; tests use it to prove batching. */
export class StatementCounter implements DrizzleLogger {
  count = 0;
  readonly statements: string[] = [];
  logQuery(query: string): void {
    this.count += 1;
    if (this.statements.length < 1000) this.statements.push(query);
  }
  reset(): void {
    this.count = 0;
    this.statements.length = 0;
  }
}

export interface Database<TSchema extends Record<string, unknown>> {
  readonly db: Db<TSchema>;
  readonly driver: 'pglite' | 'postgres';
  readonly statements: StatementCounter;
  migrate(): Promise<void>;
  /** Runs a trivial statement; readiness probes call it. */
  ping(): Promise<void>;
  /**
   * `VACUUM (ANALYZE)` of the whole database: pages marked all-visible for index-only scans, dead
   * rows reclaimed, the planner's statistics refreshed. What autovacuum does on PostgreSQL, and
   * nothing does on PGlite unless asked.
   */
  vacuum(): Promise<void>;
  close(): Promise<void>;
}

export async function openDatabase<TSchema extends Record<string, unknown>>(
  options: OpenDatabaseOptions<TSchema>,
): Promise<Database<TSchema>> {
  const statements = new StatementCounter();
  const { location, schema, migrationsFolder } = options;

  if (location.kind === 'postgres') {
    await ensurePostgresDatabase(location.url);
    const client = connectPostgres(location.url, {
      max: location.maxConnections ?? 10,
      onnotice: () => {},
      connection: options.statementTimeoutMs
        ? { statement_timeout: options.statementTimeoutMs }
        : {},
    });
    const db = drizzlePostgres(
      preparing(client, options.maxPreparedStatements ?? MAX_PREPARED_STATEMENTS),
      { schema, logger: statements },
    );
    return {
      db: db as unknown as Db<TSchema>,
      driver: 'postgres',
      statements,
      migrate: () => migratePostgres(db, { migrationsFolder }),
      ping: async () => {
        await client`select 1`;
      },
      vacuum: async () => {
        await client`vacuum (analyze)`;
      },
      close: () => client.end({ timeout: 5 }),
    };
  }

  let client: PGlite;
  if (location.kind === 'pglite') {
    await mkdir(path.dirname(location.dataDir), { recursive: true });
    client = await PGlite.create({ dataDir: location.dataDir });
  } else {
    client = await PGlite.create(location.template ? { loadDataDir: location.template } : {});
  }
  // PGlite reads its pages from files the operating system keeps in memory: a page read out of
  // order costs what the next one costs. With PostgreSQL's default (4, for spinning disks) the
  // planner passes over index-only scans that read half the pages of a table scan.
  await client.exec('set random_page_cost = 1.1');
  const db = drizzlePglite(client, { schema, logger: statements });
  return {
    db: db as unknown as Db<TSchema>,
    driver: 'pglite',
    statements,
    migrate: () => migratePglite(db, { migrationsFolder }),
    ping: async () => {
      await client.query('select 1');
    },
    // Waits for a transaction in progress: PGlite runs one statement or transaction at a time.
    vacuum: async () => {
      await client.exec('vacuum (analyze)');
    },
    close: () => client.close(),
  };
}

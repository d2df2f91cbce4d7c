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
import postgres from 'postgres';
import { ensurePostgresDatabase } from './postgres-admin.ts';

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
  close(): Promise<void>;
}

export async function openDatabase<TSchema extends Record<string, unknown>>(
  options: OpenDatabaseOptions<TSchema>,
): Promise<Database<TSchema>> {
  const statements = new StatementCounter();
  const { location, schema, migrationsFolder } = options;

  if (location.kind === 'postgres') {
    await ensurePostgresDatabase(location.url);
    const client = postgres(location.url, {
      max: location.maxConnections ?? 10,
      onnotice: () => {},
      connection: options.statementTimeoutMs
        ? { statement_timeout: options.statementTimeoutMs }
        : {},
    });
    const db = drizzlePostgres(client, { schema, logger: statements });
    return {
      db: db as unknown as Db<TSchema>,
      driver: 'postgres',
      statements,
      migrate: () => migratePostgres(db, { migrationsFolder }),
      ping: async () => {
        await client`select 1`;
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
  const db = drizzlePglite(client, { schema, logger: statements });
  return {
    db: db as unknown as Db<TSchema>,
    driver: 'pglite',
    statements,
    migrate: () => migratePglite(db, { migrationsFolder }),
    ping: async () => {
      await client.query('select 1');
    },
    close: () => client.close(),
  };
}

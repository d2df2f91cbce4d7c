// The subgraphs' databases as the seed and the benchmark reach them: where each one lives (the
// same rules as runSubgraph: PASSERELLE_DATABASE_URL → `passerelle_<name>` on that server,
// otherwise PGlite under .data/<name>), opening and migrating, emptiness checks and bulk inserts.
import path from 'node:path';
import {
  databaseUrl,
  openDatabase,
  type Database,
  type DatabaseLocation,
  type Db,
} from '@passerelle/db';
import { listSubgraphs, loadSubgraph, type AnySubgraphModule } from '@passerelle/schema';
import { repositoryRoot } from '@passerelle/service';
import { getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';

export type AnyDb = Db<Record<string, unknown>>;

export interface Target {
  /** A PostgreSQL server URL; each subgraph then has its own database on it. */
  serverUrl?: string;
  /** Where the embedded databases live (one directory per subgraph) when no server is given. */
  dataRoot: string;
  /** PostgreSQL: the database name of a subgraph; `passerelle_<name>` by default. */
  databaseName?: (subgraph: string) => string;
}

/** Where `pnpm start` and runSubgraph keep the data, unless told otherwise. */
export function defaultTarget(env: NodeJS.ProcessEnv = process.env): Target {
  const serverUrl = env['PASSERELLE_DATABASE_URL'] || undefined;
  return {
    ...(serverUrl ? { serverUrl } : {}),
    dataRoot: path.join(repositoryRoot, '.data'),
  };
}

/** The PostgreSQL database a subgraph uses in `target` (none on PGlite). */
export function databaseNameOf(target: Target, subgraph: string): string | undefined {
  if (!target.serverUrl) return undefined;
  return target.databaseName?.(subgraph) ?? `passerelle_${subgraph}`;
}

export function locationOf(target: Target, subgraph: string): DatabaseLocation {
  const name = databaseNameOf(target, subgraph);
  if (target.serverUrl && name) {
    return { kind: 'postgres', url: databaseUrl(target.serverUrl, name), maxConnections: 4 };
  }
  return { kind: 'pglite', dataDir: path.join(target.dataRoot, subgraph) };
}

/** The process environment that points a subgraph at its database in `target`. */
export function environmentFor(target: Target, subgraph: string): NodeJS.ProcessEnv {
  const location = locationOf(target, subgraph);
  return location.kind === 'postgres'
    ? { DATABASE_URL: location.url }
    : location.kind === 'pglite'
      ? { DATA_DIR: location.dataDir }
      : {};
}

export interface SubgraphDatabase {
  name: string;
  module: AnySubgraphModule;
  database: Database<Record<string, unknown>>;
  tables: PgTable[];
}

/** Opens and migrates every subgraph's database, network first. */
export async function openAll(target: Target): Promise<SubgraphDatabase[]> {
  const opened: SubgraphDatabase[] = [];
  try {
    for (const entry of listSubgraphs()) {
      const module = await loadSubgraph(entry);
      const database = await openDatabase({
        location: locationOf(target, entry.name),
        schema: module.dbSchema,
        migrationsFolder: module.migrationsFolder,
      });
      opened.push({ name: entry.name, module, database, tables: tablesOf(module.dbSchema) });
      await database.migrate();
    }
    return opened;
  } catch (error) {
    await closeAll(opened);
    throw error;
  }
}

export async function closeAll(databases: readonly SubgraphDatabase[]): Promise<void> {
  for (const { database } of databases) await database.close();
}

export function tablesOf(schema: Record<string, unknown>): PgTable[] {
  return Object.values(schema).filter((value): value is PgTable => is(value, PgTable));
}

/** Rows a statement returned, whichever driver ran it. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** The tables of a subgraph that hold at least one row. */
export async function nonEmptyTables(subgraph: SubgraphDatabase): Promise<string[]> {
  const found: string[] = [];
  for (const table of subgraph.tables) {
    const result = await subgraph.database.db.execute(
      sql`select exists (select 1 from ${table}) as present`,
    );
    if (rowsOf<{ present: boolean }>(result)[0]?.present) found.push(getTableName(table));
  }
  return found;
}

/** Empties every table of a subgraph (its migrations stay applied). */
export async function truncateAll(subgraph: SubgraphDatabase): Promise<void> {
  if (subgraph.tables.length === 0) return;
  const names = subgraph.tables.map((table) => `"${getTableName(table)}"`).join(', ');
  await subgraph.database.db.execute(sql.raw(`truncate table ${names} restart identity cascade`));
}

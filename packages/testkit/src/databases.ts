// A fresh, migrated database per test: in-memory PGlite cloned from a migrated template (built
// once per subgraph and migration set, cached under node_modules/.cache), or a new database on
// the PostgreSQL server named by PASSERELLE_TEST_DATABASE_URL, dropped on close.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type PGlite } from '@electric-sql/pglite';
import { databaseUrl, dropPostgresDatabase, openDatabase, type Database } from '@passerelle/db';
import { repositoryRoot } from '@passerelle/service';

export interface DatabaseModule<TSchema extends Record<string, unknown>> {
  name: string;
  dbSchema: TSchema;
  migrationsFolder: string;
}

/** The PostgreSQL server tests run against, when one is configured. */
export const testPostgresUrl = process.env['PASSERELLE_TEST_DATABASE_URL'] || undefined;

const templates = new Map<string, Promise<Blob>>();

function migrationsHash(folder: string): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(folder, { recursive: true, encoding: 'utf8' }).sort()) {
    if (file.endsWith('.sql') || file.endsWith('.json')) {
      hash.update(file).update(readFileSync(path.join(folder, file)));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

async function buildTemplate(module: DatabaseModule<Record<string, unknown>>): Promise<Blob> {
  const cacheDir = path.join(repositoryRoot, 'node_modules', '.cache', 'passerelle-test-templates');
  const file = path.join(
    cacheDir,
    `${module.name}-${migrationsHash(module.migrationsFolder)}.tar.gz`,
  );
  try {
    return new Blob([readFileSync(file)]);
  } catch {
    // not cached yet
  }
  const database = await openDatabase({
    location: { kind: 'pglite-memory' },
    schema: module.dbSchema,
    migrationsFolder: module.migrationsFolder,
  });
  await database.migrate();
  const client = (database.db as unknown as { $client: PGlite }).$client;
  const dump = await client.dumpDataDir('gzip');
  await database.close();
  mkdirSync(cacheDir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, Buffer.from(await dump.arrayBuffer()));
  // rename is atomic: parallel workers never read a half-written template.
  renameSync(temporary, file);
  return dump;
}

/** A fresh database for `module`, migrated and empty. Close it after the test. */
export async function createTestDatabase<TSchema extends Record<string, unknown>>(
  module: DatabaseModule<TSchema>,
): Promise<Database<TSchema>> {
  if (testPostgresUrl) {
    const name = `passerelle_test_${module.name.replaceAll('-', '_')}_${randomBytes(4).toString('hex')}`;
    const url = databaseUrl(testPostgresUrl, name);
    const database = await openDatabase({
      location: { kind: 'postgres', url, maxConnections: 4 },
      schema: module.dbSchema,
      migrationsFolder: module.migrationsFolder,
    });
    await database.migrate();
    return {
      ...database,
      close: async () => {
        await database.close();
        await dropPostgresDatabase(url);
      },
    };
  }
  let template = templates.get(module.name);
  if (!template) {
    template = buildTemplate(module as DatabaseModule<Record<string, unknown>>);
    templates.set(module.name, template);
  }
  const database = await openDatabase({
    location: { kind: 'pglite-memory', template: await template },
    schema: module.dbSchema,
    migrationsFolder: module.migrationsFolder,
  });
  await database.migrate();
  return database;
}

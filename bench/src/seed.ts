// Fills every subgraph's database with the demo network, and at `brussels` scale with a
// deterministic region-sized dataset on top of it, in bulk inserts. Refuses a database that holds
// data unless forced, which empties it first.
import { socketDirectoryOf } from '@passerelle/db';
import { getTableName } from 'drizzle-orm';
import { generateBrussels, type Dataset } from './dataset/index.ts';
import { inTransaction } from './copy.ts';
import { closeAll, nonEmptyTables, openAll, truncateAll, type Target } from './databases.ts';

export const SCALES = ['demo', 'brussels'] as const;
export type Scale = (typeof SCALES)[number];

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const thousands = (n: number) => n.toLocaleString('en-US');
/** The server a URL reaches: its socket directory (`?host=/dir`) or its host and port. */
const serverOf = (url: string) => socketDirectoryOf(url) ?? new URL(url).host;

export interface SeedOptions {
  scale: Scale;
  force: boolean;
  target: Target;
  log?: (line: string) => void;
}

/** Seeds every subgraph; throws when a database holds data and `force` is not set. */
export async function seed({
  scale,
  force,
  target,
  log = console.log,
}: SeedOptions): Promise<void> {
  const started = performance.now();
  log(
    `Seeding the ${scale} dataset into ${target.serverUrl ? `PostgreSQL (${serverOf(target.serverUrl)}, databases passerelle_<subgraph>)` : `PGlite under ${target.dataRoot}`}`,
  );
  let dataset: Dataset = {};
  if (scale === 'brussels') {
    const drawing = performance.now();
    dataset = generateBrussels();
    const rows = Object.values(dataset)
      .flat()
      .reduce((sum, table) => sum + table.rows.length, 0);
    log(`  drew ${thousands(rows)} rows in ${seconds(drawing)}`);
  }

  const databases = await openAll(target);
  try {
    const occupied: string[] = [];
    for (const subgraph of databases) {
      const tables = await nonEmptyTables(subgraph);
      if (tables.length) occupied.push(`${subgraph.name} (${tables.join(', ')})`);
    }
    if (occupied.length && !force) {
      throw new Error(
        `Refusing to seed databases that hold data: ${occupied.join('; ')}. Run again with --force to empty them first.`,
      );
    }
    for (const subgraph of databases) {
      const since = performance.now();
      if (force) await truncateAll(subgraph);
      // The demo network first: its partners, people and courses are part of every dataset.
      await subgraph.module.seed(subgraph.database.db);
      const tables = dataset[subgraph.name] ?? [];
      await inTransaction(subgraph.database, async (loader) => {
        for (const { table, rows } of tables) {
          const tableStarted = performance.now();
          let reported = 0;
          await loader.load(table, rows, (inserted) => {
            if (inserted - reported >= 100_000) {
              reported = inserted;
              log(
                `    ${subgraph.name}.${getTableName(table)} ${thousands(inserted)} / ${thousands(rows.length)}`,
              );
            }
          });
          log(
            `  ${subgraph.name}.${getTableName(table)}: ${thousands(rows.length)} rows in ${seconds(tableStarted)}`,
          );
        }
      });
      // Fresh statistics, so that the planner sees the real sizes from the first query, and the
      // pages marked all-visible, so that index-only scans (the referral figures) need not visit
      // the table: after a bulk load, autovacuum would do it later, a running subgraph on PGlite
      // within the hour.
      await subgraph.database.vacuum();
      log(
        `${subgraph.name}: ${tables.length ? 'demo network and generated rows' : 'demo network'} in ${seconds(since)}`,
      );
    }
  } finally {
    await closeAll(databases);
  }
  log(`Seeded in ${seconds(started)}`);
}

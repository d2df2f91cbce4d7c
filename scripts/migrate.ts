// `pnpm db:migrate`: applies every subgraph's committed migrations to its database (the same
// location `pnpm start` uses: .data/<subgraph>/ or PASSERELLE_DATABASE_URL), without seeding.
import { openDatabase } from '@passerelle/db';
import { listSubgraphs, loadSubgraph } from '@passerelle/schema';
import { subgraphEnv } from '@passerelle/service';

for (const entry of listSubgraphs()) {
  const module = await loadSubgraph(entry);
  const env = subgraphEnv(module.name, module.defaultPort, process.env);
  const database = await openDatabase({
    location: env.location,
    schema: module.dbSchema,
    migrationsFolder: module.migrationsFolder,
  });
  try {
    await database.migrate();
    console.log(`${module.name}: migrated (${database.driver})`);
  } finally {
    await database.close();
  }
}

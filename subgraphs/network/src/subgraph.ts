// The network subgraph as a module: schema, resolvers, database and per-request context.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SubgraphModule } from '@passerelle/service';
import { gql } from 'graphql-tag';
import { createContext, createRepositories, type Context } from './context.ts';
import { schema } from './db/index.ts';
import { seedDemo } from './db/seed.ts';
import { resolvers } from './resolvers/index.ts';

export const network: SubgraphModule<typeof schema, Context> = {
  name: 'network',
  defaultPort: 4001,
  typeDefs: gql(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  dbSchema: schema,
  migrationsFolder: fileURLToPath(new URL('../migrations', import.meta.url)),
  seed: seedDemo,
  createContext: ({ db, clock }) => {
    const repos = createRepositories(db, clock);
    return (base) => createContext(base, repos, clock);
  },
};

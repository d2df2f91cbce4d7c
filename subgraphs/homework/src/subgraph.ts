// The homework subgraph as a module: schema, resolvers, database and per-request context.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NetworkClient } from '@passerelle/network-client';
import type { SubgraphModule } from '@passerelle/service';
import { gql } from 'graphql-tag';
import { contextFactory, createRepositories, type Context } from './context.ts';
import { schema } from './db/index.ts';
import { seedDemo } from './db/seed.ts';
import { resolvers } from './resolvers/index.ts';

export const homework: SubgraphModule<typeof schema, Context> = {
  name: 'homework',
  defaultPort: 4004,
  typeDefs: gql(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  dbSchema: schema,
  migrationsFolder: fileURLToPath(new URL('../migrations', import.meta.url)),
  seed: seedDemo,
  createContext: ({ db, env, clock }) =>
    contextFactory(createRepositories(db), NetworkClient.forSubgraph('homework', env), clock),
};

// The subgraphs of the repository, found by their directories: each `subgraphs/<name>/` holds a
// `src/subgraph.ts` exporting its module. Composition, the start script and the tests all
// list subgraphs from here, so a new partner needs no registration anywhere else.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repositoryRoot, type RequestContext, type SubgraphModule } from '@passerelle/service';

export type AnySubgraphModule = SubgraphModule<Record<string, unknown>, RequestContext>;

export interface SubgraphEntry {
  name: string;
  directory: string;
  /** The module file that exports the subgraph. */
  modulePath: string;
  /** The process entry point. */
  entryPath: string;
}

/** Network first (the others read from it on writes), then the partners by name. */
export function listSubgraphs(root: string = repositoryRoot): SubgraphEntry[] {
  const base = path.join(root, 'subgraphs');
  return readdirSync(base, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() && existsSync(path.join(base, entry.name, 'src', 'subgraph.ts')),
    )
    .map((entry) => {
      const directory = path.join(base, entry.name);
      return {
        name: entry.name,
        directory,
        modulePath: path.join(directory, 'src', 'subgraph.ts'),
        entryPath: path.join(directory, 'src', 'index.ts'),
      };
    })
    .sort(
      (a, b) =>
        Number(b.name === 'network') - Number(a.name === 'network') || a.name.localeCompare(b.name),
    );
}

/** Imports a subgraph's module: the single export of its `src/subgraph.ts`. */
export async function loadSubgraph(entry: SubgraphEntry): Promise<AnySubgraphModule> {
  const exports = (await import(pathToFileURL(entry.modulePath).href)) as Record<string, unknown>;
  const module = Object.values(exports).find(
    (value): value is AnySubgraphModule =>
      typeof value === 'object' &&
      value !== null &&
      (value as { name?: unknown }).name === entry.name,
  );
  if (!module) throw new Error(`${entry.modulePath} exports no subgraph named ${entry.name}`);
  return module;
}

export const subgraphUrl = (port: number, host = '127.0.0.1') => `http://${host}:${port}/graphql`;

// `pnpm compose` writes schema/supergraph.graphql from every subgraph's SDL; `--check` fails
// when the committed file is stale. Composition errors name the subgraph and the rule broken.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { repositoryRoot } from '@passerelle/service';
import { listSubgraphs, loadSubgraph, subgraphUrl } from './subgraphs.ts';

export const SUPERGRAPH_PATH = path.join(repositoryRoot, 'schema', 'supergraph.graphql');

export type Composition = { ok: true; supergraphSdl: string } | { ok: false; errors: string[] };

/**
 * Composes every subgraph of the repository. `overrides` replaces a subgraph's SDL by name, to
 * try a change before writing it (the schema-check tests do).
 */
export async function composeRepository(
  overrides: Readonly<Record<string, string>> = {},
): Promise<Composition> {
  const services = [];
  for (const entry of listSubgraphs()) {
    const module = await loadSubgraph(entry);
    const sdl = overrides[module.name];
    services.push({
      name: module.name,
      typeDefs: sdl === undefined ? module.typeDefs : parse(sdl),
      url: subgraphUrl(module.defaultPort),
    });
  }
  const result = composeServices(services);
  if (result.errors) {
    return {
      ok: false,
      errors: result.errors.map(
        (error) => `${String(error.extensions['code'] ?? 'ERROR')}: ${error.message}`,
      ),
    };
  }
  return { ok: true, supergraphSdl: `${result.supergraphSdl.trimEnd()}\n` };
}

async function main(args: string[]): Promise<number> {
  const composition = await composeRepository();
  if (!composition.ok) {
    console.error(`Composition failed:\n${composition.errors.map((e) => `  - ${e}`).join('\n')}`);
    return 1;
  }
  if (args.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(SUPERGRAPH_PATH, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (committed !== composition.supergraphSdl) {
      console.error(
        'schema/supergraph.graphql is stale: run `pnpm compose` and commit the result.',
      );
      return 1;
    }
    console.log('schema/supergraph.graphql is up to date.');
    return 0;
  }
  writeFileSync(SUPERGRAPH_PATH, composition.supergraphSdl);
  console.log(`Wrote ${path.relative(process.cwd(), SUPERGRAPH_PATH)}.`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}

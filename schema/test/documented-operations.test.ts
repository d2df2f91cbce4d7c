// Every operation the README and docs/ offer to paste is valid against the committed supergraph
// (kept current by `pnpm compose:check`), so a schema change that breaks a documented example
// fails here rather than for a reader.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from '@passerelle/service';
import { buildSchema, parse, validate, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { SUPERGRAPH_PATH } from '../src/compose.ts';

const documents = [
  'README.md',
  ...readdirSync(path.join(repositoryRoot, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.join('docs', name)),
];

function operationsIn(file: string): { line: number; source: string }[] {
  const text = readFileSync(path.join(repositoryRoot, file), 'utf8');
  const blocks: { line: number; source: string }[] = [];
  const fence = /^```graphql\n([\s\S]*?)^```/gm;
  for (let match = fence.exec(text); match; match = fence.exec(text)) {
    blocks.push({ line: text.slice(0, match.index).split('\n').length, source: match[1]! });
  }
  return blocks;
}

let schema: GraphQLSchema;
beforeAll(() => {
  schema = buildSchema(readFileSync(SUPERGRAPH_PATH, 'utf8'));
});

describe('documented operations', () => {
  const all = documents.flatMap((file) =>
    operationsIn(file).map((block) => ({ ...block, name: `${file}:${block.line}` })),
  );

  it('are found, and checked for real', () => {
    expect(all.length).toBeGreaterThan(5);
    expect(validate(schema, parse('{ referralFigures { nobody } }'))).not.toEqual([]);
  });

  it.each(all)('$name is valid against the supergraph', ({ source }) => {
    const errors = validate(schema, parse(source)).map((error) => error.message);
    expect(errors).toEqual([]);
  });
});

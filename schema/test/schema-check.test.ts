// `pnpm schema:check` on real subgraph changes: composing the repository with one subgraph's SDL
// edited, then comparing with the committed supergraph.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from '@passerelle/service';
import { describe, expect, it } from 'vitest';
import { compareSupergraphs } from '../src/check.ts';
import { composeRepository, SUPERGRAPH_PATH } from '../src/compose.ts';

const committed = readFileSync(SUPERGRAPH_PATH, 'utf8');
const sdlOf = (name: string) =>
  readFileSync(path.join(repositoryRoot, 'subgraphs', name, 'src', 'schema.graphql'), 'utf8');

async function changed(name: string, edit: (sdl: string) => string) {
  const sdl = sdlOf(name);
  const edited = edit(sdl);
  expect(edited).not.toBe(sdl);
  const composition = await composeRepository({ [name]: edited });
  if (!composition.ok) throw new Error(composition.errors.join('\n'));
  return composition.supergraphSdl;
}

describe('schema check', () => {
  it('finds nothing between the committed supergraph and the subgraphs as they are', async () => {
    const composition = await composeRepository();
    expect(composition.ok).toBe(true);
    if (!composition.ok) return;
    expect(compareSupergraphs(committed, composition.supergraphSdl, '')).toEqual({
      breaking: [],
      dangerous: [],
    });
  });

  it('lets an additive change pass', async () => {
    const next = await changed('training', (sdl) =>
      sdl.replace(
        '  seatsLeft: Int!\n',
        '  seatsLeft: Int!\n  "Whether the course has a waiting list."\n  hasWaitlist: Boolean\n',
      ),
    );
    expect(compareSupergraphs(committed, next, '').breaking).toEqual([]);
  });

  it('catches a removed field and names the subgraph that defined it', async () => {
    const next = await changed('training', (sdl) =>
      sdl.replace(/ {2}"Seats still free[^\n]*\n {2}seatsLeft: Int!\n/, ''),
    );
    const report = compareSupergraphs(committed, next, '');
    expect(report.breaking).toEqual([
      expect.objectContaining({
        coordinate: 'TrainingCourseFacet.seatsLeft',
        subgraphs: ['training'],
        acknowledged: false,
      }),
    ]);
    const acknowledged = compareSupergraphs(
      committed,
      next,
      '- `TrainingCourseFacet.seatsLeft` removed: apps compute it from capacity.',
    );
    expect(acknowledged.breaking[0]?.acknowledged).toBe(true);
  });

  it('catches a retyped field and an input made required', async () => {
    const next = await changed('network', (sdl) =>
      sdl
        .replace('  referralResponseDeadlineDays: Int!', '  referralResponseDeadlineDays: String!')
        .replace(
          '  "Only the courses of this partner."\n  partnerId: ID\n  kind: CourseKind',
          '  "Only the courses of this partner."\n  partnerId: ID!\n  kind: CourseKind',
        ),
    );
    const coordinates = compareSupergraphs(committed, next, '').breaking.map((c) => c.coordinate);
    expect(coordinates).toEqual(
      expect.arrayContaining(['Partner.referralResponseDeadlineDays', 'CourseFilter.partnerId']),
    );
  });
});

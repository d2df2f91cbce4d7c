// A facet reads the tables its asked fields show first, and the others only to tell an empty
// facet from none: what the operation does not ask for is not read when the facet exists anyway.
import { buildSchema, graphql, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { facetRows } from '../src/facet-rows.ts';

const schema = buildSchema(`
  type Query { facet: Facet }
  type Facet { current: String all: [String!]! channels: [String!]! rate: Float }
`);

const FIELDS = { current: 'stays', all: 'stays', channels: 'channels', rate: null } as const;

/** Runs `query` over a person holding `held` rows; says what was read and what the facet was. */
async function facetOf(query: string, held: { stays: string[]; channels: string[] }) {
  const reads: string[][] = [];
  let round: string[] = [];
  const reader = (name: keyof typeof held) => async () => {
    round.push(name);
    // The reads of one round start together, before any of them answers.
    await Promise.resolve();
    if (round.length) reads.push(round.sort());
    round = [];
    return held[name];
  };
  let rows: Awaited<ReturnType<typeof facetRows>> = null;
  const rootValue = {
    facet: async (_: unknown, __: unknown, info: GraphQLResolveInfo) => {
      rows = await facetRows(info, FIELDS, {
        stays: reader('stays'),
        channels: reader('channels'),
      });
      return rows && { current: 'x', all: rows['stays'], channels: rows['channels'], rate: 1 };
    },
  };
  const result = await graphql({ schema, source: query, rootValue });
  expect(result.errors).toBeUndefined();
  return { reads, rows };
}

describe('facetRows', () => {
  it('reads only what the fields asked show when that is enough to say the facet exists', async () => {
    const { reads, rows } = await facetOf('{ facet { current all } }', {
      stays: ['2024'],
      channels: ['sms'],
    });
    expect(reads).toEqual([['stays']]);
    expect(rows).toEqual({ stays: ['2024'], channels: [] });
  });

  it('reads the other tables together when every asked one is empty', async () => {
    const { reads, rows } = await facetOf('{ facet { all } }', { stays: [], channels: ['sms'] });
    expect(reads).toEqual([['stays'], ['channels']]);
    expect(rows).toEqual({ stays: [], channels: ['sms'] });
  });

  it('is null when the person has no row at all, whatever is asked', async () => {
    for (const query of [
      '{ facet { all channels } }',
      '{ facet { rate } }',
      '{ facet { __typename } }',
    ]) {
      const { reads, rows } = await facetOf(query, { stays: [], channels: [] });
      expect(rows, query).toBeNull();
      expect(reads.flat().sort(), query).toEqual(['channels', 'stays']);
    }
  });

  it('reads every table in one round when every one is asked, or none is', async () => {
    const held = { stays: ['2024'], channels: ['sms'] };
    expect((await facetOf('{ facet { current channels } }', held)).reads).toEqual([
      ['channels', 'stays'],
    ]);
    expect((await facetOf('{ facet { rate } }', held)).reads).toEqual([['channels', 'stays']]);
  });
});

// A facet reads the tables its asked fields show first, and the others only to tell an empty
// facet from none; the facets of one request are read as one batch, so that each table costs at
// most one statement, whatever the people, their views and the fields each list asks.
import DataLoader from 'dataloader';
import { buildSchema, graphql, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { facetRows } from '../src/facet-rows.ts';

const schema = buildSchema(`
  type Query { people: [Person!]! other: [Person!]! }
  type Person { id: ID! facet: Facet }
  type Facet { current: String all: [String!]! channels: [String!]! rate: Float }
`);

const FIELDS = { current: 'stays', all: 'stays', channels: 'channels', rate: null } as const;

type Table = 'stays' | 'channels';
interface Held {
  stays: string[];
  channels: string[];
  /** Tables the viewer may not see for this person: read as empty, with no statement. */
  hidden?: Table[];
}

/** Runs `query` over `people`; the statements each table ran (their keys), and the facets. */
async function run(query: string, people: Record<string, Held>) {
  const statements: Record<Table, string[][]> = { stays: [], channels: [] };
  const loader = (table: Table) =>
    new DataLoader(async (ids: readonly string[]) => {
      statements[table].push([...ids].sort());
      return ids.map((id) => people[id]![table]);
    });
  const context = { loaders: { stays: loader('stays'), channels: loader('channels') } };
  const reader = (id: string, table: Table) => async () =>
    people[id]!.hidden?.includes(table) ? [] : context.loaders[table].load(id);
  const facet = async (id: string, info: GraphQLResolveInfo) => {
    const rows = await facetRows(context, info, FIELDS, {
      stays: reader(id, 'stays'),
      channels: reader(id, 'channels'),
    });
    return (
      rows && {
        current: rows.stays[0] ?? null,
        all: rows.stays,
        channels: rows.channels,
        rate: 1,
      }
    );
  };
  // graphql-js calls a function-valued property with (arguments, context, info).
  const list = () =>
    Object.keys(people).map((id) => ({
      id,
      facet: (_: unknown, __: unknown, info: GraphQLResolveInfo) => facet(id, info),
    }));
  const result = await graphql({
    schema,
    source: query,
    rootValue: { people: list, other: list },
    contextValue: context,
  });
  expect(result.errors?.map((error) => error.message)).toBeUndefined();
  return { statements, data: result.data as Record<string, { id: string; facet: unknown }[]> };
}

const facets = (list: { id: string; facet: unknown }[] | undefined) =>
  Object.fromEntries((list ?? []).map((person) => [person.id, person.facet]));

describe('facetRows', () => {
  it('reads only the tables asked when they say the facet exists', async () => {
    const { statements, data } = await run('{ people { id facet { current all } } }', {
      amina: { stays: ['2024'], channels: ['sms'] },
    });
    expect(statements).toEqual({ stays: [['amina']], channels: [] });
    expect(facets(data['people'])).toEqual({ amina: { current: '2024', all: ['2024'] } });
  });

  it('reads the other tables for the people with no row in the asked ones, in one statement', async () => {
    const { statements, data } = await run('{ people { id facet { all } } }', {
      amina: { stays: ['2024'], channels: ['sms'] },
      jean: { stays: [], channels: ['phone'] },
      marta: { stays: [], channels: ['email'] },
    });
    expect(statements).toEqual({
      stays: [['amina', 'jean', 'marta']],
      channels: [['jean', 'marta']],
    });
    expect(facets(data['people'])).toEqual({
      amina: { all: ['2024'] },
      jean: { all: [] },
      marta: { all: [] },
    });
  });

  it('is null for a person with no row at all, whatever is asked', async () => {
    for (const query of [
      '{ people { id facet { all channels } } }',
      '{ people { id facet { rate } } }',
      '{ people { id facet { __typename } } }',
    ]) {
      const { statements, data } = await run(query, { lina: { stays: [], channels: [] } });
      expect(facets(data['people']), query).toEqual({ lina: null });
      expect(statements, query).toEqual({ stays: [['lina']], channels: [['lina']] });
    }
  });

  it('keeps one statement per table when views differ between the people of a batch', async () => {
    // Marta's channels are hidden from the viewer: her first round reads nothing, yet her second
    // round waits for Jean's, and both are read together.
    const { statements, data } = await run('{ people { id facet { channels } } }', {
      jean: { stays: ['2019'], channels: [] },
      marta: { stays: ['2022'], channels: ['email'], hidden: ['channels'] },
    });
    expect(statements).toEqual({ stays: [['jean', 'marta']], channels: [['jean']] });
    expect(facets(data['people'])).toEqual({ jean: { channels: [] }, marta: { channels: [] } });
  });

  it('reads every table asked anywhere in the request in the first round, once', async () => {
    const { statements } = await run(
      '{ people { id facet { all } } other { id facet { channels } } }',
      { amina: { stays: ['2024'], channels: ['sms'] }, jean: { stays: ['2019'], channels: [] } },
    );
    expect(statements).toEqual({ stays: [['amina', 'jean']], channels: [['amina', 'jean']] });
  });
});

// Entity fetches sent together: the merged request answers each fetch exactly as the fetch alone
// would (entities, errors and their paths), fetches meet only within one client request, and a
// group never holds more representations than a subgraph takes in one request.
import { buildSchema, graphql, type GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  EntityBatches,
  isEntityFetch,
  mergeEntityRequests,
  splitMergedAnswer,
  type EntityRequest,
  type SubgraphAnswer,
} from '../src/entity-batches.ts';

const schema = buildSchema(`
  scalar _Any
  union _Entity = Course | Person
  type Course { id: ID! title: String secret: String }
  type Person { id: ID! name: String }
  type Query { _entities(representations: [_Any!]!): [_Entity]! }
`);

type Representation = { __typename: string; id: string };
const rootValue = {
  _entities: ({ representations }: { representations: Representation[] }) =>
    representations.map((representation) =>
      representation.id === 'missing'
        ? null
        : {
            ...representation,
            title: `Title ${representation.id}`,
            name: `Name ${representation.id}`,
            secret: () => {
              throw new Error(`No secret for ${representation.id}`);
            },
          },
    ),
};

/** Runs a request against the schema as a subgraph would, errors without their locations. */
async function answer(request: EntityRequest): Promise<SubgraphAnswer> {
  const result = await graphql({
    schema,
    source: request.query ?? '',
    variableValues: request.variables ?? null,
    rootValue,
    typeResolver: (value: Representation) => value.__typename,
  });
  const { errors, data } = JSON.parse(JSON.stringify(result)) as {
    errors?: (GraphQLFormattedError & { locations?: unknown })[];
    data?: Record<string, unknown> | null;
  };
  return {
    ...(data === undefined ? {} : { data }),
    ...(errors ? { errors: errors.map(({ locations: _, ...error }) => error) } : {}),
  };
}

const courses: EntityRequest = {
  query: `query Journey__network__1($representations:[_Any!]!){_entities(representations:$representations){...on Course{title secret}}}`,
  variables: {
    representations: [
      { __typename: 'Course', id: 'c1' },
      { __typename: 'Course', id: 'missing' },
    ],
  },
  operationName: 'Journey__network__1',
};
const people: EntityRequest = {
  query: `query Journey__network__2($representations:[_Any!]!,$named:Boolean!){_entities(representations:$representations){...P}} fragment P on Person{id name @include(if:$named)}`,
  variables: { representations: [{ __typename: 'Person', id: 'p1' }], named: true },
  operationName: 'Journey__network__2',
};
const samePeopleOtherFragment: EntityRequest = {
  query: `query Journey__network__3($representations:[_Any!]!){_entities(representations:$representations){...P}} fragment P on Person{id}`,
  variables: { representations: [{ __typename: 'Person', id: 'p2' }] },
};

describe('merged entity fetches', () => {
  it('answer each fetch as it would be answered alone, errors at their own paths', async () => {
    const parts = [courses, people, samePeopleOtherFragment];
    const merged = mergeEntityRequests(parts);
    expect(merged.operationName).toBe('Journey__network__1');
    expect(Object.keys(merged.variables ?? {})).toEqual([
      'f0_representations',
      'f1_representations',
      'f1_named',
      'f2_representations',
    ]);
    const alone = await Promise.all(parts.map(answer));
    expect(alone[0]?.errors?.[0]).toMatchObject({ path: ['_entities', 0, 'secret'] });
    expect(splitMergedAnswer(await answer(merged), parts.length)).toEqual(alone);
  });

  it('give every part the errors that name no path, and no data when there is none', () => {
    const refused = { errors: [{ message: 'The operation is too costly' }], data: null };
    expect(splitMergedAnswer(refused, 2)).toEqual([refused, refused]);
    expect(splitMergedAnswer({ errors: refused.errors }, 1)).toEqual([{ errors: refused.errors }]);
  });

  it('are recognised by their single `_entities` field', () => {
    expect(isEntityFetch(courses)).toBe(true);
    expect(isEntityFetch({ ...courses, variables: {} })).toBe(false);
    const root = { query: '{ courses { id } }', variables: { representations: [] } };
    expect(isEntityFetch(root)).toBe(false);
    const aliased = `query($representations:[_Any!]!){e:_entities(representations:$representations){__typename}}`;
    expect(isEntityFetch({ ...courses, query: aliased })).toBe(false);
    expect(isEntityFetch({ ...courses, query: 'mutation { _entities }' })).toBe(false);
    expect(isEntityFetch({ ...courses, query: '{ not graphql' })).toBe(false);
    const directed = `query($representations:[_Any!]!) @traced {_entities(representations:$representations){__typename}}`;
    expect(isEntityFetch({ ...courses, query: directed })).toBe(false);
  });
});

interface Options {
  request: EntityRequest;
  context: object;
}

class Unavailable extends Error {}

/** Batches whose sends are recorded, answered by the schema above unless `fail` says otherwise. */
function recorded(
  maxRepresentations = 1000,
  fail?: (request: EntityRequest) => Error | SubgraphAnswer | undefined,
) {
  const sent: EntityRequest[] = [];
  const batches = new EntityBatches<Options>(
    async (options, merged) => {
      const request = merged ?? options.request;
      sent.push(request);
      const failure = fail?.(request);
      if (failure instanceof Error) throw failure;
      return failure ?? answer(request);
    },
    maxRepresentations,
    (error) => !(error instanceof Unavailable),
  );
  return { batches, sent };
}

const isMerged = (request: EntityRequest) => 'f0_representations' in (request.variables ?? {});

describe('entity batches', () => {
  it('send the fetches one request makes in the same tick together, each answered apart', async () => {
    const { batches, sent } = recorded();
    const context = {};
    const answers = await Promise.all(
      [courses, people].map((request) => batches.fetch({ request, context })),
    );
    expect(sent).toHaveLength(1);
    expect(answers).toEqual(await Promise.all([courses, people].map(answer)));
    // Later fetches of the same request start a new batch; one alone is sent as it is.
    await batches.fetch({ request: people, context });
    expect(sent.at(-1)).toBe(people);
  });

  it('never merge fetches of two client requests (two viewers)', async () => {
    const { batches, sent } = recorded();
    await Promise.all([
      batches.fetch({ request: courses, context: { viewer: 'a' } }),
      batches.fetch({ request: people, context: { viewer: 'b' } }),
    ]);
    expect(sent).toEqual([courses, people]);
  });

  it('keep each request within the representations a subgraph takes', async () => {
    const { batches, sent } = recorded(3);
    const context = {};
    await Promise.all(
      [courses, people, samePeopleOtherFragment].map((request) =>
        batches.fetch({ request, context }),
      ),
    );
    expect(sent.map((request) => Object.keys(request.variables ?? {}).length)).toEqual([3, 1]);
  });

  it('fail every fetch of a request that could not reach the subgraph, and only those', async () => {
    const { batches, sent } = recorded(3, (request) =>
      request !== samePeopleOtherFragment
        ? new Unavailable('The network service is unavailable')
        : undefined,
    );
    const context = {};
    const results = await Promise.allSettled(
      [courses, people, samePeopleOtherFragment].map((request) =>
        batches.fetch({ request, context }),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(results[0]).toMatchObject({ reason: { message: 'The network service is unavailable' } });
    // Not asked again: alone, the fetches would only wait for the same deadline.
    expect(sent).toHaveLength(2);
  });

  it('send each fetch again alone when the merged request is refused or answers no data', async () => {
    const refusals = [
      new Error('The request resolves too many entities at once'),
      { data: null, errors: [{ message: 'Unknown type', path: ['f1'] }] },
    ];
    for (const refusal of refusals) {
      const { batches, sent } = recorded(1000, (request) =>
        isMerged(request) ? refusal : undefined,
      );
      const context = {};
      const answers = await Promise.all(
        [courses, people].map((request) => batches.fetch({ request, context })),
      );
      expect(sent.map(isMerged)).toEqual([true, false, false]);
      expect(answers).toEqual(await Promise.all([courses, people].map(answer)));
    }
  });
});

// Facets are batched: resolving the four partner facets of 50 people costs each subgraph the
// same few SQL statements as resolving them for 5 people — one per entity type, never one per row.
import { partners } from '@passerelle/demo-data';
import { ManualClock } from '@passerelle/service';
import { startInProcessStack, type InProcessStack } from '@passerelle/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const housingStaff = { partner: partners.aisQuartiers.id, role: 'staff' } as const;

const FACETS = `query Facets($first: Int!) {
  beneficiaries(first: $first) {
    nodes {
      id
      housing { __typename }
      training { __typename }
      homework { __typename }
      women { __typename }
      helpdesk { __typename }
    }
  }
}`;

let stack: InProcessStack;

beforeAll(async () => {
  // A clock that stands still: the partners each subgraph serves, kept by the process for a
  // minute, are read by the first request and never again, so counts do not depend on timing.
  stack = await startInProcessStack({ clock: new ManualClock() });
  // The agency sees the people it is linked to; register more so that one page holds 50.
  for (let i = 0; i < 50; i += 1) {
    const result = await stack.query(
      housingStaff,
      `mutation($input: RegisterBeneficiaryInput!) { registerBeneficiary(input: $input) { errors { code } } }`,
      { input: { givenName: `Personne ${i}`, familyName: 'Batch', birthYear: 1950 + i } },
    );
    expect(result.data?.registerBeneficiary.errors).toEqual([]);
  }
});

afterAll(async () => {
  await stack?.stop();
});

async function countFor(first: number) {
  stack.resetStatementCounts();
  const result = await stack.query(housingStaff, FACETS, { first });
  // Facets of other partners are withheld (no consent): null, each with a FORBIDDEN error.
  for (const error of result.errors ?? []) expect(error.extensions?.code).toBe('FORBIDDEN');
  expect(result.data?.beneficiaries.nodes).toHaveLength(first);
  return stack.statementCounts();
}

describe('facet resolution', () => {
  it('runs one statement per entity type per subgraph, whatever the number of people', async () => {
    // The first request also reads the partners each subgraph serves (once per process).
    const first = await countFor(5);
    const few = await countFor(5);
    const many = await countFor(50);
    expect(many).toEqual(few);
    for (const [subgraph, count] of Object.entries(many)) {
      expect(count, subgraph).toBeLessThanOrEqual(4);
      expect(first[subgraph], subgraph).toBeGreaterThanOrEqual(count);
    }
    // The directory and the facet the viewer sees (housing) read rows; the withheld facets of
    // the other partners are decided on the served partners alone, with no statement.
    expect(many['network']).toBeGreaterThan(0);
    expect(many['housing']).toBeGreaterThan(0);
    for (const subgraph of ['training', 'homework', 'women', 'helpdesk']) {
      expect(first[subgraph], subgraph).toBe(1);
      expect(many[subgraph], subgraph).toBe(0);
    }
  });
});

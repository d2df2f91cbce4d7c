// A subgraph that serves several partners keeps their disclosure logs apart: a partner's staff
// read the log of the people their own partner holds rows about, never that of a person only
// another partner of the same subgraph knows. Each facet's case adds a second served partner that
// knows the person in the directory but holds nothing about them in the facet's subgraph.
import { beneficiaries, partners } from '@passerelle/demo-data';
import { startInProcessStack, type InProcessStack, type TestViewer } from '@passerelle/testkit';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cases = [
  {
    facet: 'training',
    owner: partners.clic.id,
    person: beneficiaries.amina.id,
    second: partners.tournesols.id,
    serve: (id: string) =>
      sql`insert into training_partners (id, name) values (${id}, 'Second training partner')`,
  },
  {
    facet: 'women',
    owner: partners.femmes.id,
    person: beneficiaries.tigist.id,
    second: partners.aisIris.id,
    serve: (id: string) =>
      sql`insert into women_networks (partner_id, name) values (${id}, 'Second network')`,
  },
] as const;

const staffOf = (partner: string): TestViewer => ({
  partner,
  role: 'staff',
  sub: `staff:log@${partner}`,
});

let stack: InProcessStack;

beforeAll(async () => {
  stack = await startInProcessStack();
  // Before any request: each subgraph keeps the partners it serves for a minute once read.
  for (const c of cases) await stack.subgraphs.get(c.facet)!.database.db.execute(c.serve(c.second));
});
afterAll(async () => {
  await stack?.stop();
});

async function logAs(partner: string, facet: string, person: string) {
  const result = await stack.query(
    staffOf(partner),
    `query($id: ID!) { beneficiary(id: $id) { ${facet}Disclosures { facet purpose } } }`,
    { id: person },
  );
  expect(result.errors).toBeUndefined();
  return result.data?.beneficiary[`${facet}Disclosures`] as { facet: string; purpose: string }[];
}

describe.each(cases)('the $facet disclosure log', (c) => {
  it('is read by the partner that holds the person, and by no other partner it serves', async () => {
    const consent = await stack.query(
      staffOf(c.owner),
      `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { errors { code } } }`,
      {
        input: {
          beneficiaryId: c.person,
          recipientPartnerId: partners.coordination.id,
          categories: ['identity', c.facet],
          purpose: 'COORDINATION',
          method: 'WRITTEN',
          noticeVersion: '2026-06',
          noticeLanguage: 'fr',
        },
      },
    );
    expect(consent.data?.recordConsent.errors).toEqual([]);
    const seen = await stack.query(
      { partner: null, role: 'coordinator', sub: 'coordinator:log' },
      `query($id: ID!) { beneficiary(id: $id) { ${c.facet} { __typename } } }`,
      { id: c.person },
    );
    expect(seen.errors).toBeUndefined();
    expect(seen.data?.beneficiary[c.facet]).not.toBeNull();

    expect(await logAs(c.owner, c.facet, c.person)).toEqual([
      { facet: c.facet, purpose: 'COORDINATION' },
    ]);
    // The second partner is the subgraph's staff and knows the person in the directory, yet
    // holds nothing about them here: it learns neither the entries nor that there are any.
    expect(await logAs(c.second, c.facet, c.person)).toEqual([]);
  });
});

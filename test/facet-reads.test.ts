// A partner's facet reads the tables the operation asks for, and the others only to tell an
// empty facet from none: contact channels of a tenant are not read when only their tenancies are
// asked, and a person the agency knows through a contact channel alone still has a facet.
import { beneficiaries, partners } from '@passerelle/demo-data';
import { ManualClock } from '@passerelle/service';
import { startInProcessStack, type InProcessStack } from '@passerelle/testkit';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const agencyStaff = { partner: partners.aisQuartiers.id, role: 'staff' } as const;

const facetQuery = (fields: string) => `query Facet($id: ID!) {
  beneficiary(id: $id) { housing { ${fields} } }
}`;

let stack: InProcessStack;
let channelOnly: string;
let unknownToHousing: string;

const housing = () => stack.subgraphs.get('housing')!.database;

async function register(givenName: string): Promise<string> {
  const result = await stack.query(
    agencyStaff,
    `mutation($input: RegisterBeneficiaryInput!) {
      registerBeneficiary(input: $input) { beneficiary { id } errors { code } }
    }`,
    { input: { givenName, familyName: 'Lecture', birthYear: 1970 } },
  );
  expect(result.data?.registerBeneficiary.errors).toEqual([]);
  return result.data?.registerBeneficiary.beneficiary.id as string;
}

/** The housing facet of `id` as the agency's staff, and the tables housing read for it. */
async function read(id: string, fields: string) {
  const statements = housing().statements;
  statements.reset();
  const result = await stack.query(agencyStaff, facetQuery(fields), { id });
  expect(result.errors).toBeUndefined();
  const tables = ['tenancies', 'contact_channels', 'equipment_loans'].filter((table) =>
    statements.statements.some((text) => text.includes(`from "${table}"`)),
  );
  return { facet: result.data?.beneficiary.housing as Record<string, unknown[]> | null, tables };
}

beforeAll(async () => {
  stack = await startInProcessStack({ clock: new ManualClock() });
  channelOnly = await register('Canal');
  unknownToHousing = await register('Personne');
  await housing().db.execute(sql`
    insert into contact_channels (id, agency_id, beneficiary_id, kind, value, preferred)
    values (gen_random_uuid(), ${partners.aisQuartiers.id}, ${channelOnly}, 'PHONE', '+3225550101', true)`);
});

afterAll(async () => {
  await stack?.stop();
});

describe('a facet reads what is asked', () => {
  it('leaves out the tables of fields nobody asked for when the facet exists anyway', async () => {
    const seen = await read(
      beneficiaries.amina.id,
      'tenancies { startsOn } currentLoans { lentOn }',
    );
    expect(seen.facet?.['tenancies']).not.toHaveLength(0);
    expect(seen.tables).toEqual(['tenancies', 'equipment_loans']);
  });

  it('reads every table when the fields asked show none of them', async () => {
    const seen = await read(beneficiaries.amina.id, '__typename');
    expect(seen.facet).not.toBeNull();
    expect(seen.tables).toEqual(['tenancies', 'contact_channels', 'equipment_loans']);
  });

  it('still answers for a person known through a table that was not asked', async () => {
    const seen = await read(channelOnly, 'tenancies { startsOn }');
    expect(seen.facet).toEqual({ tenancies: [] });
    expect(seen.tables).toEqual(['tenancies', 'contact_channels', 'equipment_loans']);
    const channels = await read(channelOnly, 'preferredContactChannel { kind }');
    expect(channels.facet).toEqual({ preferredContactChannel: { kind: 'PHONE' } });
  });

  it('reads each table in one statement for a list of people known in different ways', async () => {
    const statements = housing().statements;
    statements.reset();
    const result = await stack.query(
      agencyStaff,
      `{ beneficiaries(first: 100) { nodes { id housing { tenancies { startsOn } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    const facets = new Map(
      (result.data?.beneficiaries.nodes as { id: string; housing: unknown }[]).map((node) => [
        node.id,
        node.housing,
      ]),
    );
    expect(facets.get(beneficiaries.amina.id)).not.toBeNull();
    expect(facets.get(channelOnly)).toEqual({ tenancies: [] });
    expect(facets.get(unknownToHousing)).toBeNull();
    for (const table of ['tenancies', 'contact_channels', 'equipment_loans']) {
      const reads = statements.statements.filter((text) => text.includes(`from "${table}"`));
      expect(reads, table).toHaveLength(1);
    }
  });

  it('is null for a person the agency holds no row about', async () => {
    const seen = await read(unknownToHousing, 'tenancies { startsOn }');
    expect(seen.facet).toBeNull();
  });
});

// The authorization matrix, through the real gateway and subgraphs: every kind of viewer ×
// own or other partner × each partner facet × each consent state. A cell fails if a facet leaks
// or is wrongly denied; after each allowed cross-partner read the disclosing subgraph's log must
// hold exactly one more entry, naming the consent, the purpose and the fields asked.
import { beneficiaries, partners } from '@passerelle/demo-data';
import { startInProcessStack, type InProcessStack, type TestViewer } from '@passerelle/testkit';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface FacetCase {
  facet: 'housing' | 'training' | 'homework' | 'women' | 'helpdesk';
  owner: string;
  /** A person the owner holds facet data about. */
  person: string;
  /** Another partner, linked to the person or made so by an identity consent. */
  other: string;
  /** Whether `other` needs an identity consent to see the person at all. */
  needsIdentityConsent: boolean;
}

const cases: FacetCase[] = [
  {
    facet: 'housing',
    owner: partners.aisQuartiers.id,
    person: beneficiaries.amina.id,
    other: partners.tournesols.id,
    needsIdentityConsent: false,
  },
  {
    facet: 'training',
    owner: partners.clic.id,
    person: beneficiaries.amina.id,
    other: partners.femmes.id,
    needsIdentityConsent: false,
  },
  {
    facet: 'homework',
    owner: partners.tournesols.id,
    person: beneficiaries.lina.id,
    other: partners.femmes.id,
    needsIdentityConsent: true,
  },
  {
    facet: 'women',
    owner: partners.femmes.id,
    person: beneficiaries.tigist.id,
    other: partners.aisIris.id,
    needsIdentityConsent: false,
  },
  {
    facet: 'helpdesk',
    owner: partners.mdnSaintGilles.id,
    person: beneficiaries.jean.id,
    other: partners.clic.id,
    needsIdentityConsent: false,
  },
];

const staffOf = (partner: string): TestViewer => ({
  partner,
  role: 'staff',
  sub: `staff:matrix@${partner}`,
});
const coordinator: TestViewer = { partner: null, role: 'coordinator', sub: 'coordinator:matrix' };

let stack: InProcessStack;

beforeAll(async () => {
  stack = await startInProcessStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function facetOf(viewer: TestViewer, c: FacetCase) {
  const result = await stack.query(
    viewer,
    `query($id: ID!) { beneficiary(id: $id) { id ${c.facet} { __typename } } }`,
    { id: c.person },
  );
  const person = result.data?.beneficiary ?? null;
  const error = result.errors?.find((e) => e.path?.includes(c.facet));
  return {
    visible: person !== null,
    facet: person?.[c.facet] ?? null,
    code: error?.extensions?.code,
    errors: result.errors,
  };
}

async function disclosures(
  c: FacetCase,
): Promise<{ consentId: string; purpose: string; viewerSub: string; fields: string[] }[]> {
  const result = await stack.query(
    staffOf(c.owner),
    `query($id: ID!) { beneficiary(id: $id) { ${c.facet}Disclosures { consentId purpose viewerSub facet fields } } }`,
    { id: c.person },
  );
  expect(result.errors).toBeUndefined();
  return result.data?.beneficiary[`${c.facet}Disclosures`];
}

async function recordConsent(
  by: string,
  person: string,
  recipient: string,
  categories: string[],
  purpose: string,
) {
  const result = await stack.query(
    staffOf(by),
    `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { consent { id } errors { field code } } }`,
    {
      input: {
        beneficiaryId: person,
        recipientPartnerId: recipient,
        categories,
        purpose,
        method: 'WRITTEN',
        noticeVersion: '2026-06',
        noticeLanguage: 'fr',
      },
    },
  );
  expect(result.data?.recordConsent.errors).toEqual([]);
  return result.data?.recordConsent.consent.id as string;
}

const network = () => stack.subgraphs.get('network')!.database.db;

async function expectWithheld(viewer: TestViewer, c: FacetCase) {
  const before = (await disclosures(c)).length;
  const seen = await facetOf(viewer, c);
  expect(seen.facet, `${c.facet} leaked to ${viewer.role}@${viewer.partner}`).toBeNull();
  if (seen.visible) expect(seen.code).toBe('FORBIDDEN');
  expect((await disclosures(c)).length).toBe(before);
}

async function expectDisclosed(
  viewer: TestViewer,
  c: FacetCase,
  consentId: string,
  purpose: string,
) {
  const before = (await disclosures(c)).length;
  const seen = await facetOf(viewer, c);
  expect(
    seen.errors,
    `${c.facet} wrongly denied to ${viewer.role}@${viewer.partner}`,
  ).toBeUndefined();
  expect(seen.facet).not.toBeNull();
  const after = await disclosures(c);
  expect(after.length).toBe(before + 1);
  // The matrix asks the facet's `__typename` alone: none of its fields left.
  expect(after[0]).toEqual({
    consentId,
    purpose,
    viewerSub: viewer.sub,
    facet: c.facet,
    fields: [],
  });
}

describe.each(cases)('the $facet facet', (c) => {
  it('is shown to the owner’s staff and partner admins without a disclosure entry', async () => {
    const before = (await disclosures(c)).length;
    for (const role of ['staff', 'partner_admin'] as const) {
      const seen = await facetOf({ partner: c.owner, role }, c);
      expect(seen.errors).toBeUndefined();
      expect(seen.facet).not.toBeNull();
    }
    expect((await disclosures(c)).length).toBe(before);
  });

  it('is never shown to beneficiaries or services, and people stay hidden from them', async () => {
    for (const viewer of [
      { partner: null, role: 'beneficiary' },
      { partner: null, role: 'service' },
    ] satisfies TestViewer[]) {
      const seen = await facetOf(viewer, c);
      expect(seen.visible).toBe(false);
      expect(seen.facet).toBeNull();
    }
  });

  it('follows the consent states for another partner: none, live, wrong purpose, expired, withdrawn', async () => {
    const other = staffOf(c.other);
    if (c.needsIdentityConsent) {
      expect((await facetOf(other, c)).visible).toBe(false);
      await recordConsent(c.owner, c.person, c.other, ['identity'], 'FOLLOW_UP');
    }
    // none
    await expectWithheld(other, c);
    // a live consent for another category only
    await recordConsent(c.owner, c.person, c.other, ['identity', 'contact'], 'FOLLOW_UP');
    await expectWithheld(other, c);
    // live
    const consentId = await recordConsent(c.owner, c.person, c.other, [c.facet], 'FOLLOW_UP');
    await expectDisclosed(other, c, consentId, 'FOLLOW_UP');
    // the other partner's volunteers never get another partner's facet
    await expectWithheld(
      { partner: c.other, role: 'volunteer', sub: `volunteer:matrix@${c.other}` },
      c,
    );
    // wrong purpose: the same consent, now for coordination only
    await network().execute(
      sql`update consents set purpose = 'COORDINATION' where id = ${consentId}`,
    );
    await expectWithheld(other, c);
    await network().execute(sql`update consents set purpose = 'FOLLOW_UP' where id = ${consentId}`);
    await expectDisclosed(other, c, consentId, 'FOLLOW_UP');
    // expired
    await network().execute(
      sql`update consents set expires_at = now() - interval '1 minute' where id = ${consentId}`,
    );
    await expectWithheld(other, c);
    await network().execute(sql`update consents set expires_at = null where id = ${consentId}`);
    // withdrawn: takes effect on the very next request
    const withdrawn = await stack.query(
      staffOf(c.owner),
      `mutation($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { consent { live } errors { code } } }`,
      { input: { consentId } },
    );
    expect(withdrawn.data?.withdrawConsent).toEqual({ consent: { live: false }, errors: [] });
    await expectWithheld(other, c);
  });

  it('opens nothing under a consent recorded by a partner that does not hold the facet', async () => {
    const other = staffOf(c.other);
    const named = await stack.query(
      other,
      `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { consent { id } errors { field code } } }`,
      {
        input: {
          beneficiaryId: c.person,
          recipientPartnerId: c.other,
          categories: [c.facet],
          purpose: 'FOLLOW_UP',
          method: 'ORAL_ATTESTED',
          noticeVersion: '2026-06',
          noticeLanguage: 'fr',
        },
      },
    );
    expect(named.data?.recordConsent.consent).toBeNull();
    expect(named.data?.recordConsent.errors).toContainEqual({
      field: 'input.recipientPartnerId',
      code: 'INVALID',
    });
    // Consents recorded in another partner's name, as nothing in the directory's rows forbids.
    const forged = async (recipient: string, purpose: string) => {
      const rows = await stack.rows<{ id: string }>(
        'network',
        sql`insert into consents (beneficiary_id, recipient_partner_id, categories, purpose, method,
              notice_version, notice_language, recorded_by_sub, recorded_by_partner_id)
            values (${c.person}::uuid, ${recipient}, array['identity', ${c.facet}], ${purpose},
              'ORAL_ATTESTED', '2026-06', 'fr', ${other.sub}, ${c.other})
            returning id`,
      );
      return rows[0]!.id;
    };
    const ids = [
      await forged(c.other, 'FOLLOW_UP'),
      await forged(partners.coordination.id, 'COORDINATION'),
    ];
    try {
      await expectWithheld(other, c);
      await expectWithheld(coordinator, c);
    } finally {
      for (const id of ids) {
        await stack.rows('network', sql`update consents set withdrawn_at = now() where id = ${id}`);
      }
    }
  });

  it('is shown to coordinators under a coordination consent only', async () => {
    await expectWithheld(coordinator, c);
    const consentId = await recordConsent(
      c.owner,
      c.person,
      partners.coordination.id,
      ['identity', c.facet],
      'COORDINATION',
    );
    await expectDisclosed(coordinator, c, consentId, 'COORDINATION');
  });
});

describe('the disclosure log', () => {
  it('is readable by the disclosing partner only', async () => {
    const c = cases[0]!;
    const result = await stack.query(
      staffOf(c.other),
      `query($id: ID!) { beneficiary(id: $id) { housingDisclosures { consentId } } }`,
      { id: c.person },
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('names the fields of the facet the request asked for', async () => {
    const c = cases[0]!;
    await recordConsent(c.owner, c.person, c.other, ['housing'], 'REFERRAL');
    const result = await stack.query(
      staffOf(c.other),
      `query($id: ID!) { beneficiary(id: $id) { housing { currentLoans { lentOn } loans: pastLoans { lentOn } currentTenancy { startsOn } } } }`,
      { id: c.person },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.beneficiary.housing.currentTenancy).not.toBeNull();
    const [latest] = await disclosures(c);
    expect(latest).toMatchObject({ purpose: 'REFERRAL', facet: 'housing' });
    expect(latest!.fields).toEqual(['currentTenancy', 'currentLoans', 'pastLoans']);
  });
});

describe('a facet disclosed under two consents of one partner', () => {
  it('shows what either covers, whatever order network lists them in, and logs both', async () => {
    // AIS Iris recorded Tigist's consent for the women's network covering `housing` and
    // `contact`; a second one, for follow-up, covers `housing` alone.
    const women = staffOf(partners.femmes.id);
    const tigist: FacetCase = {
      facet: 'housing',
      owner: partners.aisIris.id,
      person: beneficiaries.tigist.id,
      other: partners.femmes.id,
      needsIdentityConsent: false,
    };
    await recordConsent(tigist.owner, tigist.person, tigist.other, ['housing'], 'FOLLOW_UP');
    const before = (await disclosures(tigist)).length;
    const result = await stack.query(
      women,
      `query($id: ID!) { beneficiary(id: $id) { housing { contactChannels { kind } } } }`,
      { id: tigist.person },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.beneficiary.housing.contactChannels).toEqual([{ kind: 'WHATSAPP' }]);
    const after = await disclosures(tigist);
    expect(after.length).toBe(before + 2);
    expect(new Set(after.slice(0, 2).map((entry) => entry.consentId)).size).toBe(2);
  });
});

// Which partners know a person, as the directory tells it: a partner's people learn their own
// partner's link only (that the women's network knows Amina is what her withheld facet keeps
// quiet), coordinators every link of the people they may see.
import { randomUUID } from 'node:crypto';
import { beneficiaries, consents, partners } from '@passerelle/demo-data';
import { startInProcessStack, type InProcessStack, type TestViewer } from '@passerelle/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const staffOf = (partner: string): TestViewer => ({
  partner,
  role: 'staff',
  sub: `staff:links@${partner}`,
});
const coordinator: TestViewer = { partner: null, role: 'coordinator', sub: 'coordinator:links' };

const PERSON = `query($id: ID!) {
  beneficiary(id: $id) { registeredBy { id } knownBy { partner { id } basis } }
}`;

let stack: InProcessStack;
beforeAll(async () => {
  stack = await startInProcessStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function person(viewer: TestViewer, id: string) {
  const result = await stack.query(viewer, PERSON, { id });
  expect(result.errors).toBeUndefined();
  return result.data?.beneficiary as {
    registeredBy: { id: string } | null;
    knownBy: { partner: { id: string }; basis: string }[];
  };
}

describe("a person's links", () => {
  it("shows a partner's staff their own link only, and who registered the person when they did", async () => {
    // Amina is known to AIS Quartiers (which registered her), Clic, Les Tournesols and Femmes.
    const byAgency = await person(staffOf(partners.aisQuartiers.id), beneficiaries.amina.id);
    expect(byAgency).toEqual({
      registeredBy: { id: partners.aisQuartiers.id },
      knownBy: [{ partner: { id: partners.aisQuartiers.id }, basis: 'REGISTERED' }],
    });
    const byTraining = await person(staffOf(partners.clic.id), beneficiaries.amina.id);
    expect(byTraining.registeredBy).toBeNull();
    expect(byTraining.knownBy.map((link) => link.partner.id)).toEqual([partners.clic.id]);
  });

  it('shows coordinators every link of the people their coordination consent shows', async () => {
    // Jean gave a coordination consent; he is known to AIS Quartiers, Clic and the help desk.
    const jean = await person(coordinator, beneficiaries.jean.id);
    expect(jean.registeredBy).toEqual({ id: partners.aisQuartiers.id });
    expect(jean.knownBy.map((link) => link.partner.id).sort()).toEqual(
      [partners.aisQuartiers.id, partners.clic.id, partners.mdnSaintGilles.id].sort(),
    );
  });

  it("lists a partner's own people by link, and refuses to list another partner's", async () => {
    const list = (viewer: TestViewer, knownBy: string) =>
      stack.query(
        viewer,
        `query($knownBy: ID) { beneficiaries(first: 100, filter: { knownBy: $knownBy }) { totalCount } }`,
        { knownBy },
      );
    const own = await list(staffOf(partners.aisQuartiers.id), partners.aisQuartiers.id);
    expect(own.errors).toBeUndefined();
    expect(own.data?.beneficiaries.totalCount).toBeGreaterThan(0);
    const other = await list(staffOf(partners.aisQuartiers.id), partners.femmes.id);
    expect(other.data).toBeNull();
    expect(other.errors?.map((error) => error.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
    const byCoordinator = await list(coordinator, partners.clic.id);
    expect(byCoordinator.errors).toBeUndefined();
  });

  it("keeps other partners' consents out of what a partner reads of a person", async () => {
    const read = async (viewer: TestViewer) => {
      const result = await stack.query(
        viewer,
        `query($id: ID!) { beneficiary(id: $id) { consents { id } } }`,
        { id: beneficiaries.amina.id },
      );
      expect(result.errors).toBeUndefined();
      return (result.data?.beneficiary.consents as { id: string }[]).map((c) => c.id).sort();
    };
    // AIS Quartiers recorded one of Amina's consents and is named by another, both with Clic.
    expect(await read(staffOf(partners.aisQuartiers.id))).toEqual(
      [consents.aminaHousingToTraining.id, consents.aminaTrainingToHousing.id].sort(),
    );
    // Les Tournesols knows her too, and took part in neither: they would name AIS and Clic.
    expect(await read(staffOf(partners.tournesols.id))).toEqual([]);
    // Nor may it end one by its id (disclosure logs carry consent ids): the same answer as for
    // a consent that does not exist, and the consent stays live.
    for (const consentId of [consents.aminaHousingToTraining.id, randomUUID()]) {
      const withdrawn = await stack.query(
        staffOf(partners.tournesols.id),
        `mutation($input: WithdrawConsentInput!) {
          withdrawConsent(input: $input) { consent { id recipient { id } } errors { field code } }
        }`,
        { input: { consentId } },
      );
      expect(withdrawn.data?.withdrawConsent).toEqual({
        consent: null,
        errors: [{ field: 'input.consentId', code: 'NOT_FOUND' }],
      });
    }
    const live = await stack.query(
      staffOf(partners.aisQuartiers.id),
      `query($id: ID!) { beneficiary(id: $id) { consents { id live } } }`,
      { id: beneficiaries.amina.id },
    );
    expect(live.data?.beneficiary.consents).toContainEqual({
      id: consents.aminaHousingToTraining.id,
      live: true,
    });
  });

  it("tells volunteers of no consent: what one covers would name another partner's facet", async () => {
    const access = async (viewer: TestViewer) => {
      const result = await stack.query(
        viewer,
        `query($id: ID!) { beneficiary(id: $id) { access { consentId categories } } }`,
        { id: beneficiaries.amina.id },
      );
      expect(result.errors).toBeUndefined();
      return result.data?.beneficiary.access as { consentId: string }[];
    };
    const staffGrants = await access(staffOf(partners.aisQuartiers.id));
    expect(staffGrants.map((grant) => grant.consentId)).toContain(
      consents.aminaTrainingToHousing.id,
    );
    const volunteer: TestViewer = {
      partner: partners.aisQuartiers.id,
      role: 'volunteer',
      sub: 'volunteer:links@ais-quartiers',
    };
    expect(await access(volunteer)).toEqual([]);
  });
});

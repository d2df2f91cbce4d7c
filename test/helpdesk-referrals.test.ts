// Referrals to and from the public digital help desks go through network's `createReferral` and
// `transitionReferral`, like any other partner's: a help desk refers a woman to the women's
// network, and the homework school refers a parent to a help desk, each through its lifecycle.
// On the way, the help desk's visits travel under the person's consent only, and a referral the
// help desk accepted is what lets it link its visits to the person.
import { courses, partners, sites } from '@passerelle/demo-data';
import { ManualClock } from '@passerelle/service';
import { startInProcessStack, type InProcessStack, type TestViewer } from '@passerelle/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const HELP_DESK = partners.mdnSaintGilles.id;
const FEMMES = partners.femmes.id;
const TOURNESOLS = partners.tournesols.id;
const JOURDAN = sites.salleJourdan.id;

const staffOf = (partner: string): TestViewer => ({
  partner,
  role: 'staff',
  sub: `staff:helpdesk-referrals@${partner}`,
});

interface Referral {
  id: string;
  version: number;
  status: string;
  outcome: string | null;
  digCompProgress: { competence: string; fromLevel: number | null; toLevel: number }[];
  history: { toStatus: string; actorPartner: { id: string } }[];
}
const REFERRAL = `id version status outcome digCompProgress { competence fromLevel toLevel }
  history { toStatus actorPartner { id } }`;

const FACET = `query($id: ID!) {
  beneficiary(id: $id) { helpdesk { visits { topic outcome competence note helpDesk { id } } } }
}`;

let stack: InProcessStack;
let keys = 0;

beforeAll(async () => {
  stack = await startInProcessStack({ clock: new ManualClock(new Date('2026-11-16T09:00:00Z')) });
});
afterAll(async () => {
  await stack?.stop();
});

async function registerPerson(by: string, givenName: string): Promise<string> {
  const result = await stack.query(
    staffOf(by),
    `mutation($input: RegisterBeneficiaryInput!) {
      registerBeneficiary(input: $input) { beneficiary { id } errors { field code } }
    }`,
    { input: { givenName, familyName: 'Helpdesk-referrals', preferredLanguages: ['fr'] } },
  );
  expect(result.data?.registerBeneficiary.errors).toEqual([]);
  return result.data?.registerBeneficiary.beneficiary.id as string;
}

async function refer(input: {
  from: string;
  to: string;
  beneficiaryId: string;
  courseId: string | null;
  reason: string;
  categories: string[];
}): Promise<Referral> {
  const result = await stack.query(
    staffOf(input.from),
    `mutation($input: CreateReferralInput!) {
      createReferral(input: $input) { referral { ${REFERRAL} } errors { field code } }
    }`,
    {
      input: {
        idempotencyKey: `helpdesk-referrals-${++keys}`,
        beneficiaryId: input.beneficiaryId,
        toPartnerId: input.to,
        courseId: input.courseId,
        reason: input.reason,
        consent: {
          categories: input.categories,
          method: 'ORAL_ATTESTED',
          noticeVersion: '2026-09',
          noticeLanguage: 'fr',
        },
      },
    },
  );
  expect(result.errors).toBeUndefined();
  expect(result.data?.createReferral.errors).toEqual([]);
  return result.data?.createReferral.referral as Referral;
}

async function step(
  by: string,
  referral: Referral,
  action: string,
  extra: Record<string, unknown> = {},
): Promise<Referral> {
  const result = await stack.query(
    staffOf(by),
    `mutation($input: TransitionReferralInput!) {
      transitionReferral(input: $input) { referral { ${REFERRAL} } errors { field code } }
    }`,
    { input: { referralId: referral.id, expectedVersion: referral.version, action, ...extra } },
  );
  expect(result.errors).toBeUndefined();
  expect(result.data?.transitionReferral.errors, action).toEqual([]);
  return result.data?.transitionReferral.referral as Referral;
}

async function recordVisit(input: Record<string, unknown>) {
  const result = await stack.query(
    staffOf(HELP_DESK),
    `mutation($input: HelpdeskRecordVisitInput!) {
      helpdeskRecordVisit(input: $input) { visit { id anonymous } errors { field code } }
    }`,
    { input: { siteId: JOURDAN, ...input } },
  );
  expect(result.errors).toBeUndefined();
  return result.data?.helpdeskRecordVisit as {
    visit: { id: string; anonymous: boolean } | null;
    errors: { field: string; code: string }[];
  };
}

async function helpdeskFacet(viewer: TestViewer, id: string) {
  const result = await stack.query(viewer, FACET, { id });
  return {
    visits: result.data?.beneficiary?.helpdesk?.visits ?? null,
    code: result.errors?.[0]?.extensions?.code as string | undefined,
  };
}

async function disclosures(id: string) {
  const result = await stack.query(
    staffOf(HELP_DESK),
    `query($id: ID!) { beneficiary(id: $id) { helpdeskDisclosures { viewerPartner purpose } } }`,
    { id },
  );
  expect(result.errors).toBeUndefined();
  return result.data?.beneficiary.helpdeskDisclosures as {
    viewerPartner: string;
    purpose: string;
  }[];
}

async function referralAs(viewer: TestViewer, id: string): Promise<Referral | null> {
  const result = await stack.query(
    viewer,
    `query($id: ID!) { referral(id: $id) { ${REFERRAL} } }`,
    {
      id,
    },
  );
  expect(result.errors).toBeUndefined();
  return result.data?.referral ?? null;
}

describe('referrals with the help desks', () => {
  it('a help desk refers a woman to the women’s network, which sees its visits under her consent', async () => {
    const woman = await registerPerson(HELP_DESK, 'Hanane');
    const visit = await recordVisit({
      beneficiaryId: woman,
      visitedOn: '2026-11-10',
      topic: 'SMARTPHONE_BASICS',
      outcome: 'REFERRED',
      competence: '4.2',
      note: 'Pense que son téléphone est surveillé; souhaite un groupe entre femmes.',
    });
    expect(visit.errors).toEqual([]);
    // Before the referral, the women's network does not even see her.
    expect(await helpdeskFacet(staffOf(FEMMES), woman)).toEqual({ visits: null, code: undefined });

    let referral = await refer({
      from: HELP_DESK,
      to: FEMMES,
      beneficiaryId: woman,
      courseId: courses.atelierFemmes.id,
      reason: 'Sécurité de son téléphone; préfère un atelier non mixte.',
      categories: ['identity', 'helpdesk'],
    });
    expect(referral.status).toBe('SENT');

    // The consent recorded with the referral covers the help desk's facet: the receiver sees the
    // visits, without the staff note, and the help desk logs the disclosure.
    const seen = await helpdeskFacet(staffOf(FEMMES), woman);
    expect(seen).toEqual({
      visits: [
        {
          topic: 'SMARTPHONE_BASICS',
          outcome: 'REFERRED',
          competence: '4.2',
          note: null,
          helpDesk: { id: HELP_DESK },
        },
      ],
      code: undefined,
    });
    expect(await disclosures(woman)).toEqual([{ viewerPartner: FEMMES, purpose: 'REFERRAL' }]);

    referral = await step(FEMMES, referral, 'ACKNOWLEDGE');
    referral = await step(FEMMES, referral, 'ACCEPT', { note: 'Place réservée vendredi.' });
    referral = await step(FEMMES, referral, 'START');
    referral = await step(FEMMES, referral, 'COMPLETE', {
      outcome: 'A sécurisé son téléphone et changé ses mots de passe.',
      digCompProgress: [{ competence: '4.2', fromLevel: 1, toLevel: 2 }],
    });
    expect(referral).toMatchObject({
      status: 'COMPLETED',
      outcome: 'A sécurisé son téléphone et changé ses mots de passe.',
      digCompProgress: [{ competence: '4.2', fromLevel: 1, toLevel: 2 }],
    });

    // The help desk, as the sender, follows the referral to its end.
    const followed = await referralAs(staffOf(HELP_DESK), referral.id);
    expect(followed?.history.map((event) => [event.toStatus, event.actorPartner.id])).toEqual([
      ['SENT', HELP_DESK],
      ['ACKNOWLEDGED', FEMMES],
      ['ACCEPTED', FEMMES],
      ['IN_PROGRESS', FEMMES],
      ['COMPLETED', FEMMES],
    ]);
  });

  it('the homework school refers a parent to a help desk, which links its visit once it accepted', async () => {
    const parent = await registerPerson(TOURNESOLS, 'Karim');
    let referral = await refer({
      from: TOURNESOLS,
      to: HELP_DESK,
      beneficiaryId: parent,
      courseId: null,
      reason: 'Doit suivre la plateforme de l’école de sa fille; n’a pas d’adresse e-mail.',
      categories: ['identity'],
    });

    // Sent is not known: the help desk cannot link a visit to the parent yet.
    const early = await recordVisit({
      beneficiaryId: parent,
      topic: 'SCHOOL_PLATFORMS',
      outcome: 'SOLVED',
    });
    expect(early).toEqual({
      visit: null,
      errors: [{ field: 'input.beneficiaryId', code: 'NOT_FOUND' }],
    });

    referral = await step(HELP_DESK, referral, 'ACKNOWLEDGE');
    referral = await step(HELP_DESK, referral, 'ACCEPT', { note: 'Permanence du mardi.' });
    referral = await step(HELP_DESK, referral, 'START');
    const linked = await recordVisit({
      beneficiaryId: parent,
      visitedOn: '2026-11-16',
      topic: 'SCHOOL_PLATFORMS',
      outcome: 'LEARNED_TO_DO_IT_ALONE',
      competence: '2.1',
      note: 'Adresse e-mail créée, application de l’école installée.',
      clientKey: `parent-visit-${parent}`,
    });
    expect(linked.errors).toEqual([]);
    expect(linked.visit?.anonymous).toBe(false);

    referral = await step(HELP_DESK, referral, 'COMPLETE', {
      outcome: 'Suit seul les messages de l’école.',
      digCompProgress: [{ competence: '2.1', fromLevel: null, toLevel: 2 }],
    });
    expect(referral.status).toBe('COMPLETED');

    // The school sees the outcome of its referral…
    const followed = await referralAs(staffOf(TOURNESOLS), referral.id);
    expect(followed).toMatchObject({
      status: 'COMPLETED',
      outcome: 'Suit seul les messages de l’école.',
      digCompProgress: [{ competence: '2.1', fromLevel: null, toLevel: 2 }],
    });
    // …but not the help desk's visits, until the parent consents to it.
    expect(await helpdeskFacet(staffOf(TOURNESOLS), parent)).toEqual({
      visits: null,
      code: 'FORBIDDEN',
    });
    const consent = await stack.query(
      staffOf(HELP_DESK),
      `mutation($input: RecordConsentInput!) {
        recordConsent(input: $input) { consent { id } errors { field code } }
      }`,
      {
        input: {
          beneficiaryId: parent,
          recipientPartnerId: TOURNESOLS,
          categories: ['helpdesk'],
          purpose: 'FOLLOW_UP',
          method: 'WRITTEN',
          noticeVersion: '2026-09',
          noticeLanguage: 'fr',
        },
      },
    );
    expect(consent.data?.recordConsent.errors).toEqual([]);
    expect(await helpdeskFacet(staffOf(TOURNESOLS), parent)).toEqual({
      visits: [
        {
          topic: 'SCHOOL_PLATFORMS',
          outcome: 'LEARNED_TO_DO_IT_ALONE',
          competence: '2.1',
          note: null,
          helpDesk: { id: HELP_DESK },
        },
      ],
      code: undefined,
    });
    expect(await disclosures(parent)).toEqual([
      { viewerPartner: TOURNESOLS, purpose: 'FOLLOW_UP' },
    ]);
  });
});

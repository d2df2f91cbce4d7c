// The help desks' site facet through the real gateway: the weekly drop-in sessions at a place,
// and the visits counted there over a period (anonymous and linked alike, counts only), who may
// read those counts, and that a list of sites costs one statement per entity type. The counted
// visits are recorded by the test in June 2026, a month the demo data leaves empty.
import { partners, sites } from '@passerelle/demo-data';
import { ManualClock } from '@passerelle/service';
import { startInProcessStack, type InProcessStack, type TestViewer } from '@passerelle/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SAINT_GILLES = partners.mdnSaintGilles.id;
const ANDERLECHT = partners.mdnAnderlecht.id;
const JOURDAN = sites.salleJourdan.id;
const PETERBOS = sites.sallePeterbos.id;

const viewer = (partner: string | null, role: TestViewer['role'] = 'staff'): TestViewer => ({
  partner,
  role,
  sub: `${role}:site-facet@${partner ?? 'network'}`,
});
const coordinator = viewer(null, 'coordinator');

const COUNTS = `visitCounts(from: $from, to: $to) {
  from to visits anonymousVisits
  byTopic { topic visits }
  byOutcome { outcome visits }
  byTopicAndOutcome { topic outcome visits }
}`;
let stack: InProcessStack;
beforeAll(async () => {
  stack = await startInProcessStack({
    clock: new ManualClock(new Date('2026-11-20T10:00:00Z')),
  });
});
afterAll(async () => {
  await stack?.stop();
});

interface Counts {
  from: string;
  to: string;
  visits: number;
  anonymousVisits: number;
  byTopic: { topic: string; visits: number }[];
  byOutcome: { outcome: string; visits: number }[];
  byTopicAndOutcome: { topic: string; outcome: string; visits: number }[];
}

/** The help-desk facet of one site, through `sites` (network) and the gateway. */
async function siteFacet(who: TestViewer, siteId: string, from: string, to: string) {
  const result = await stack.query(
    who,
    `query($from: Date!, $to: Date!) {
      sites { id helpdesk { dropIns { helpDesk { id } weekday opensAt closesAt languages } ${COUNTS} } }
    }`,
    { from, to },
  );
  const site = (result.data?.sites as { id: string; helpdesk: unknown }[] | undefined)?.find(
    (candidate) => candidate.id === siteId,
  );
  return {
    facet: (site?.helpdesk ?? null) as {
      dropIns: { helpDesk: { id: string }; weekday: number; languages: string[] }[];
      visitCounts: Counts | null;
    } | null,
    codes: (result.errors ?? []).map((error) => error.extensions?.code as string),
  };
}

async function record(who: TestViewer, input: Record<string, unknown>) {
  const result = await stack.query(
    who,
    `mutation($input: HelpdeskRecordVisitInput!) {
      helpdeskRecordVisit(input: $input) { visit { id } errors { field code } }
    }`,
    { input },
  );
  expect(result.data?.helpdeskRecordVisit.errors).toEqual([]);
}

async function registerPerson(): Promise<string> {
  const result = await stack.query(
    viewer(SAINT_GILLES),
    `mutation($input: RegisterBeneficiaryInput!) {
      registerBeneficiary(input: $input) { beneficiary { id } errors { code } }
    }`,
    { input: { givenName: 'Test', familyName: 'Site facet' } },
  );
  expect(result.data?.registerBeneficiary.errors).toEqual([]);
  return result.data?.registerBeneficiary.beneficiary.id as string;
}

const zeroTopics = {
  ONLINE_BANKING: 0,
  E_GOVERNMENT_FORMS: 0,
  EMAIL: 0,
  SMARTPHONE_BASICS: 0,
  JOB_SEARCH: 0,
  SCHOOL_PLATFORMS: 0,
  HEALTH_AND_INSURANCE: 0,
  OTHER: 0,
};
const zeroOutcomes = { SOLVED: 0, LEARNED_TO_DO_IT_ALONE: 0, REFERRED: 0 };
const entries = <K extends string>(counts: Record<K, number>, key: string) =>
  Object.entries(counts).map(([value, visits]) => ({ [key]: value, visits }));

describe('the helpdesk site facet', () => {
  it('shows the drop-in sessions of a place to every signed-in caller, and null elsewhere', async () => {
    for (const who of [viewer(partners.tournesols.id, 'volunteer'), viewer(SAINT_GILLES)]) {
      const jourdan = await siteFacet(who, JOURDAN, '2026-06-01', '2026-06-30');
      expect(jourdan.facet?.dropIns).toEqual([
        {
          helpDesk: { id: SAINT_GILLES },
          weekday: 2,
          opensAt: '14:00',
          closesAt: '17:00',
          languages: ['fr', 'ar'],
        },
        {
          helpDesk: { id: SAINT_GILLES },
          weekday: 5,
          opensAt: '09:30',
          closesAt: '12:00',
          languages: ['fr', 'pt'],
        },
      ]);
      const classroom = await siteFacet(who, sites.clicClassroom.id, '2026-06-01', '2026-06-30');
      expect(classroom.facet).toBeNull();
    }
  });

  it('counts the visits of a period by topic and outcome, anonymous and linked alike', async () => {
    const person = await registerPerson();
    const at = (visitedOn: string, topic: string, outcome: string, extra = {}) =>
      record(viewer(SAINT_GILLES, 'volunteer'), {
        siteId: JOURDAN,
        visitedOn,
        topic,
        outcome,
        ...extra,
      });
    await at('2026-06-02', 'ONLINE_BANKING', 'SOLVED');
    await at('2026-06-05', 'ONLINE_BANKING', 'SOLVED', { beneficiaryId: person });
    await at('2026-06-09', 'ONLINE_BANKING', 'LEARNED_TO_DO_IT_ALONE', { competence: '2.1' });
    await at('2026-06-30', 'EMAIL', 'REFERRED');
    // Outside the period, or at another place: not counted.
    await at('2026-07-03', 'EMAIL', 'SOLVED');
    await record(viewer(ANDERLECHT), {
      siteId: PETERBOS,
      visitedOn: '2026-06-08',
      topic: 'JOB_SEARCH',
      outcome: 'SOLVED',
    });

    const { facet, codes } = await siteFacet(
      viewer(ANDERLECHT),
      JOURDAN,
      '2026-06-01',
      '2026-06-30',
    );
    expect(codes).toEqual([]);
    expect(facet?.visitCounts).toEqual({
      from: '2026-06-01',
      to: '2026-06-30',
      visits: 4,
      anonymousVisits: 3,
      byTopic: entries({ ...zeroTopics, ONLINE_BANKING: 3, EMAIL: 1 }, 'topic'),
      byOutcome: entries(
        { ...zeroOutcomes, SOLVED: 2, LEARNED_TO_DO_IT_ALONE: 1, REFERRED: 1 },
        'outcome',
      ),
      byTopicAndOutcome: [
        { topic: 'ONLINE_BANKING', outcome: 'SOLVED', visits: 2 },
        { topic: 'ONLINE_BANKING', outcome: 'LEARNED_TO_DO_IT_ALONE', visits: 1 },
        { topic: 'EMAIL', outcome: 'REFERRED', visits: 1 },
      ],
    });
    const empty = await siteFacet(coordinator, JOURDAN, '2026-05-01', '2026-05-31');
    expect(empty.facet?.visitCounts).toMatchObject({
      visits: 0,
      anonymousVisits: 0,
      byTopic: entries(zeroTopics, 'topic'),
      byTopicAndOutcome: [],
    });
  });

  it('shows the demo season, so that the README examples have data', async () => {
    const { facet } = await siteFacet(coordinator, JOURDAN, '2026-09-01', '2026-10-31');
    expect(facet?.visitCounts).toMatchObject({ visits: 8, anonymousVisits: 4 });
    const peterbos = await siteFacet(coordinator, PETERBOS, '2026-09-01', '2026-10-31');
    expect(peterbos.facet?.visitCounts).toMatchObject({ visits: 5, anonymousVisits: 2 });
  });

  it('gives the counts to coordinators, partner staff and help-desk volunteers only', async () => {
    const allowed = [
      coordinator,
      viewer(partners.femmes.id, 'partner_admin'),
      viewer(SAINT_GILLES, 'volunteer'),
    ];
    for (const who of allowed) {
      const seen = await siteFacet(who, JOURDAN, '2026-09-01', '2026-10-31');
      expect(seen.codes, who.sub).toEqual([]);
      expect(seen.facet?.visitCounts?.visits, who.sub).toBe(8);
    }
    const refused = [
      viewer(partners.tournesols.id, 'volunteer'),
      viewer(null, 'beneficiary'),
      viewer(null, 'service'),
    ];
    for (const who of refused) {
      const seen = await siteFacet(who, JOURDAN, '2026-09-01', '2026-10-31');
      // The sessions are public; the counts are not.
      expect(seen.facet?.dropIns, who.sub).toHaveLength(2);
      expect(seen.facet?.visitCounts, who.sub).toBeNull();
      expect(seen.codes, who.sub).toContain('FORBIDDEN');
    }
  });

  it('refuses a period that ends before it starts, is not whole months or spans over 12', async () => {
    for (const [from, to] of [
      ['2026-06-30', '2026-06-01'],
      // A day, or two periods a day apart: their difference would be one session.
      ['2026-06-02', '2026-06-02'],
      ['2026-06-01', '2026-06-29'],
      ['2026-06-02', '2026-06-30'],
      ['2025-06-01', '2026-06-30'],
    ] as const) {
      const seen = await siteFacet(coordinator, JOURDAN, from, to);
      expect(seen.facet?.visitCounts ?? null, `${from}..${to}`).toBeNull();
      expect(seen.codes).toContain('BAD_USER_INPUT');
    }
    const year = await siteFacet(coordinator, JOURDAN, '2025-11-01', '2026-10-31');
    expect(year.codes).toEqual([]);
    const february = await siteFacet(coordinator, JOURDAN, '2024-02-01', '2024-02-29');
    expect(february.codes).toEqual([]);
  });

  it('counts months that have ended only: this one changes with each drop-in', async () => {
    // The clock stands on 20 November 2026: asking November before and after a session would
    // subtract down to that session's visitors.
    for (const [from, to] of [
      ['2026-11-01', '2026-11-30'],
      ['2026-10-01', '2026-11-30'],
      ['2027-01-01', '2027-01-31'],
    ] as const) {
      for (const who of [coordinator, viewer(SAINT_GILLES)]) {
        const seen = await siteFacet(who, JOURDAN, from, to);
        expect(seen.facet?.visitCounts ?? null, `${from}..${to}`).toBeNull();
        expect(seen.codes).toContain('BAD_USER_INPUT');
      }
    }
  });

  it('costs one statement per entity type for a list of sites', async () => {
    stack.resetStatementCounts();
    const { facet, codes } = await siteFacet(
      viewer(SAINT_GILLES),
      JOURDAN,
      '2026-09-01',
      '2026-10-31',
    );
    expect(codes).toEqual([]);
    expect(facet?.visitCounts?.visits).toBe(8);
    // The drop-in sessions of every site, then the counts of the sites that have some.
    expect(stack.statementCounts()['helpdesk']).toBe(2);
  });
});

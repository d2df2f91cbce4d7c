// The operations the benchmark drives, and whom each is sent as: a person's journey across every
// facet (as their housing agency's staff, under the person's consents), the course directory
// with filters, a partner's referral inbox, the coordinators' funnel, and the everyday writes.
// Each operation rotates through many people, partners and filters of the dataset.
import * as demo from '@passerelle/demo-data';
import type { TestViewer } from '@passerelle/testkit';
import { partnersOf, personId, SCALE, COMMUNES } from './dataset/world.ts';

export type DataName = 'demo' | 'brussels';

export interface GraphQLCall {
  viewer: TestViewer;
  query: string;
  variables?: Record<string, unknown>;
}

/** Per-connection state a step may read from the step before it (the mutation chain). */
export type Context = Record<string, unknown>;

export interface Step {
  /** The row of the table the step counts in. */
  operation: string;
  call: (context: Context, turn: number) => GraphQLCall;
  /** Reads what the next step needs out of a successful answer. */
  remember?: (data: Record<string, unknown>, context: Context) => void;
  /** What a normal answer lacks that this step's data must hold, or null. */
  missing?: (data: Record<string, unknown>) => string | null;
}

export const JOURNEY = `query Journey($id: ID!) {
  beneficiary(id: $id) {
    givenName familyName
    knownBy { partner { id name } }
    housing {
      currentTenancy { dwelling { street unitLabel } household { role beneficiary { id homework { pupilRecords { grade memberships { club { title } presenceRate } } } } } }
      currentLoans { equipment { label } lentOn }
    }
    training { enrollments { status course { title training { seatsLeft } } } attendanceRate }
    women { participations { status workshop { title women { childcareAvailable } } } }
    helpdesk { visits { visitedOn topic outcome } }
  }
}`;

const DIRECTORY = `query Directory($filter: CourseFilter) {
  courses(filter: $filter, first: 20) {
    totalCount
    nodes { id title startsOn partner { name } site { name municipality } training { seatsLeft } women { placesLeft } }
  }
}`;

const INBOX = `query Inbox($filter: ReferralFilter) {
  referrals(filter: $filter, first: 20) {
    totalCount
    nodes { id status sentAt respondBy from { name } beneficiary { givenName familyName } course { title } }
  }
}`;

const FUNNEL = `query Funnel($filter: ReferralFiguresFilter!) {
  referralFigures(filter: $filter) {
    total { sent awaitingAnswer acknowledged accepted completed acceptanceRate medianHoursToAcknowledge medianHoursToComplete byStatus { status count } }
    byPair(first: 20) { from { id } to { id } funnel { sent accepted completed } }
    series(granularity: MONTH) { start funnel { sent completed } }
    reasons { status reasonCode count }
    overdue { partner { id } expired awaitingAnswer }
  }
}`;

/** The single-subgraph query of the gateway-vs-direct comparison: network answers it alone. */
export const NETWORK_ONLY = `query Courses($filter: CourseFilter) {
  courses(filter: $filter, first: 20) { totalCount nodes { id title kind startsOn endsOn languages capacity } }
}`;

/**
 * A list of people with one partner's facet: its statements must not grow with the list. Every
 * table of the facet is asked, so that all are read in one round whoever is on the list.
 */
export const FACET_LIST = `query People($first: Int) {
  beneficiaries(first: $first) { nodes { id housing { tenancies { startsOn } contactChannels { kind } currentLoans { lentOn } } } }
}`;
/** The housing tables FACET_LIST asks: tenancies, contact channels, loans. */
export const HOUSING_TABLES_ASKED = 3;

const staff = (partner: string): TestViewer => ({
  partner,
  role: 'staff',
  sub: demo.staffOf(partner),
});
export const coordinator: TestViewer = {
  partner: demo.partners.coordination.id,
  role: 'coordinator',
  sub: demo.staff.coordination,
};

/** The parts of JOURNEY's answer the benchmark reads: to check it, and to count its rows. */
export interface JourneyAnswer {
  beneficiary: {
    housing: {
      currentTenancy: {
        household: {
          role: string;
          beneficiary: {
            homework: { pupilRecords: { memberships: unknown[] }[] } | null;
          } | null;
        }[];
      } | null;
      currentLoans: unknown[];
    } | null;
    training: { enrollments: unknown[] } | null;
    women: { participations: unknown[] } | null;
    helpdesk: { visits: unknown[] } | null;
  } | null;
}

/**
 * What a journey of the Brussels cohort lacks: each of them has every facet, and so has their
 * child at school, under consents the data holders recorded. A facet missing (withheld, or
 * null) means the data was seeded under older rules, and the journey would read (and cost) less
 * than it should. Other household members' homework may be withheld: they are not pupils.
 */
function cohortJourneyMissing(data: Record<string, unknown>): string | null {
  const person = (data as unknown as JourneyAnswer).beneficiary;
  const child = person?.housing?.currentTenancy?.household.find((m) => m.role === 'CHILD');
  const missing = [
    person ? null : 'the person',
    ...(['housing', 'training', 'women', 'helpdesk'] as const).map((facet) =>
      person && !person[facet] ? `the ${facet} facet` : null,
    ),
    person?.housing && !child ? 'the household child' : null,
    child && !child.beneficiary?.homework ? "the child's homework facet" : null,
  ].filter(Boolean);
  return missing.length
    ? `the journey cohort's answer lacks ${missing.join(', ')}: the data was seeded by an older version, run \`pnpm seed --scale brussels --force\``
    : null;
}

/** Whom the journey is about, and who asks. */
export function journeyPeople(data: DataName): { id: string; viewer: TestViewer }[] {
  if (data === 'demo') {
    return [{ id: demo.beneficiaries.amina.id, viewer: staff(demo.partners.aisQuartiers.id) }];
  }
  const agencies = partnersOf('HOUSING_AGENCY');
  return Array.from({ length: SCALE.journeyCohort }, (_, cohort) => ({
    id: personId(cohort),
    viewer: staff(agencies[cohort % agencies.length]!.id),
  }));
}

function inboxPartners(data: DataName): string[] {
  const demoPartners = Object.values(demo.partners)
    .filter((partner) => partner.kind !== 'COORDINATION')
    .map((partner) => partner.id);
  if (data === 'demo') return demoPartners;
  return [
    ...demoPartners,
    ...(['HOUSING_AGENCY', 'TRAINING', 'HOMEWORK_SCHOOL', 'WOMEN_NETWORK'] as const).flatMap(
      (kind) => partnersOf(kind).map((partner) => partner.id),
    ),
  ].filter((id, index, all) => all.indexOf(id) === index);
}

const DIRECTORY_FILTERS: Record<string, unknown>[] = [
  { kind: 'DIGITAL_INITIATION', language: 'fr', from: '2026-11-23' },
  { kind: 'WORKSHOP', from: '2026-11-23' },
  { language: 'ar' },
  { kind: 'HOMEWORK_CLUB' },
  ...COMMUNES.slice(0, 8).map(([municipality]) => ({ municipality, from: '2026-09-01' })),
];

export const FUNNEL_PERIOD = { from: '2026-01-01', to: '2026-11-30' };

/** The read operations, one step each. */
export function readSteps(
  data: DataName,
): Record<'journey' | 'directory' | 'inbox' | 'funnel', Step> {
  const people = journeyPeople(data);
  const partners = inboxPartners(data);
  return {
    journey: {
      operation: 'journey',
      call: (_, turn) => {
        const person = people[turn % people.length]!;
        return { viewer: person.viewer, query: JOURNEY, variables: { id: person.id } };
      },
      ...(data === 'brussels' ? { missing: cohortJourneyMissing } : {}),
    },
    directory: {
      operation: 'course directory',
      call: (_, turn) => ({
        viewer: staff(demo.partners.aisIris.id),
        query: DIRECTORY,
        variables: { filter: DIRECTORY_FILTERS[turn % DIRECTORY_FILTERS.length] },
      }),
    },
    inbox: {
      operation: 'referral inbox',
      call: (_, turn) => {
        const partner = partners[turn % partners.length]!;
        return {
          viewer: staff(partner),
          query: INBOX,
          variables: {
            filter: {
              toPartnerId: partner,
              status: ['SENT', 'ACKNOWLEDGED', 'ACCEPTED', 'IN_PROGRESS'],
            },
          },
        };
      },
    },
    funnel: {
      operation: 'coordinator funnel',
      call: () => ({ viewer: coordinator, query: FUNNEL, variables: { filter: FUNNEL_PERIOD } }),
    },
  };
}

/**
 * The everyday writes, as one chain: register a person, refer a tenant to a training partner and
 * have the receiver acknowledge it, record attendance at a session. Demo ids exist in every
 * dataset (the Brussels one is drawn on top of the demo network).
 */
export function mutationSteps(run: string): Step[] {
  const { aisQuartiers, clic } = demo.partners;
  const { jean, amina } = demo.beneficiaries;
  const session = demo.demoId(`session:${demo.courses.premiersPas.id}:0`);
  return [
    {
      operation: 'mutation mix',
      call: (_, turn) => ({
        viewer: staff(aisQuartiers.id),
        query: `mutation Register($input: RegisterBeneficiaryInput!) { registerBeneficiary(input: $input) { beneficiary { id } errors { field code } } }`,
        variables: {
          input: {
            givenName: 'Bench',
            familyName: `Person ${run}-${turn}`,
            birthYear: 1980,
            preferredLanguages: ['fr'],
            idempotencyKey: `register-${run}-${turn}`,
          },
        },
      }),
    },
    {
      operation: 'mutation mix',
      call: (_, turn) => ({
        viewer: staff(aisQuartiers.id),
        query: `mutation Refer($input: CreateReferralInput!) { createReferral(input: $input) { referral { id version } errors { field code } } }`,
        variables: {
          input: {
            idempotencyKey: `bench-${run}-${turn}`,
            beneficiaryId: jean.id,
            toPartnerId: clic.id,
            reason: 'Souhaite suivre une formation (benchmark).',
            consent: {
              categories: ['housing'],
              method: 'WRITTEN',
              noticeVersion: '2026-06',
              noticeLanguage: 'fr',
            },
          },
        },
      }),
      remember: (data, context) => {
        context['referral'] =
          (data['createReferral'] as { referral?: unknown } | null)?.referral ?? null;
      },
    },
    {
      operation: 'mutation mix',
      call: (context) => {
        const referral = context['referral'] as { id: string; version: number } | null;
        return {
          viewer: staff(clic.id),
          query: `mutation Acknowledge($input: TransitionReferralInput!) { transitionReferral(input: $input) { referral { id status } errors { field code } } }`,
          variables: {
            input: {
              referralId: referral?.id ?? demo.demoId('referral:none'),
              expectedVersion: referral?.version ?? 1,
              action: 'ACKNOWLEDGE',
            },
          },
        };
      },
    },
    {
      operation: 'mutation mix',
      call: () => ({
        viewer: staff(clic.id),
        query: `mutation Attend($input: RecordAttendanceInput!) { recordAttendance(input: $input) { recorded errors { field code } } }`,
        variables: {
          input: { sessionId: session, entries: [{ beneficiaryId: amina.id, present: true }] },
        },
      }),
    },
  ];
}

/** A change to the referrals on its own: a referral sent (unique to `run`). */
export const referralChange = (run: string): Step => mutationSteps(run)[1]!;

/** One connection's cycle through the mix: reads weighted as partner apps use them, writes among them. */
export function mixSteps(data: DataName, run: string): Step[] {
  const read = readSteps(data);
  const [register, refer, acknowledge, attend] = mutationSteps(run);
  return [
    read.journey,
    read.directory,
    read.inbox,
    read.funnel,
    register!,
    read.journey,
    read.directory,
    refer!,
    acknowledge!,
    read.journey,
    read.inbox,
    read.directory,
    read.journey,
    attend!,
  ];
}

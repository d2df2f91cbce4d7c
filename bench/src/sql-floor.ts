// The SQL floor of the journey: the fewest statements that read the same rows straight from the
// six databases with the bare driver (no GraphQL, no HTTP, no ORM), in three rounds as the
// answers depend on each other, each round's statements in parallel. The consent checks stay in,
// the person's and each household child's, with the subgraphs' own rule of which partners' rows
// a consent shows: without them the answer would not be the same. The floor only reads: it does
// not write the disclosure log entries the federated journey writes before its answer leaves.
import type { PGlite } from '@electric-sql/pglite';
import type { Database } from '@passerelle/db';
import { decideFacet, recordersOf, type AccessGrant, type Viewer } from '@passerelle/service';
import type { Sql } from 'postgres';
import { partnersOf } from './dataset/world.ts';
import type { JourneyAnswer } from './operations.ts';
import { percentile } from './load.ts';

type Run = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

function runnerOf(database: Database<Record<string, unknown>>): Run {
  const client = (database.db as unknown as { $client: unknown }).$client;
  if (database.driver === 'pglite') {
    return async (text, params) =>
      (await (client as PGlite).query<Record<string, unknown>>(text, params)).rows;
  }
  return async (text, params) =>
    (await (client as Sql).unsafe(text, params as never[], { prepare: true })) as unknown as Record<
      string,
      unknown
    >[];
}

/**
 * A consent network counts at the instant of the read (`liveConsent` in its consents repository):
 * not withdrawn, not expired, not held by a referral whose answer is overdue.
 */
const LIVE = `c.withdrawn_at is null and (c.expires_at is null or c.expires_at > now())
  and not exists (select 1 from referrals r where r.consent_id = c.id
    and r.status in ('SENT', 'ACKNOWLEDGED') and r.respond_by <= now())`;
/** A live consent naming the viewer's partner, as network reports it on `Beneficiary.access`. */
const GRANT = `json_build_object('consentId', c.id, 'partner', c.recipient_partner_id,
  'categories', c.categories, 'purpose', c.purpose, 'recordedBy', c.recorded_by_partner_id)`;

const PERSON = `select b.given_name, b.family_name,
  (select json_agg(json_build_object('id', p.id, 'name', p.name)) from beneficiary_links l
     join partners p on p.id = l.partner_id where l.beneficiary_id = b.id and l.partner_id = $2) as known_by,
  (select json_agg(${GRANT}) from consents c
     where c.beneficiary_id = b.id and c.recipient_partner_id = $2 and ${LIVE}) as grants
  from beneficiaries b where b.id = $1`;
const CHILD_GRANTS = `select c.beneficiary_id, ${GRANT} as grant from consents c
  where c.beneficiary_id = any($1::uuid[]) and c.recipient_partner_id = $2 and ${LIVE}`;
// The person's current tenancy and the other members of the agency's household whose tenancy
// overlaps it, as the housing facet lists them; one row with no member when they live alone.
const HOUSEHOLD = `select d.street, d.unit_label, m.role, m.beneficiary_id
  from tenancies t join dwellings d on d.id = t.dwelling_id
  left join tenancies m on m.dwelling_id = t.dwelling_id and m.id <> t.id and m.agency_id = t.agency_id
    and (t.ends_on is null or m.starts_on <= t.ends_on) and (m.ends_on is null or t.starts_on <= m.ends_on)
  where t.beneficiary_id = $1 and t.agency_id = $2 and t.starts_on <= current_date
    and (t.ends_on is null or t.ends_on >= current_date)`;
const LOANS = `select e.label, l.lent_on from equipment_loans l join equipment e on e.id = l.equipment_id
  where l.beneficiary_id = $1 and l.agency_id = $2 and l.returned_on is null`;
// The attendance rate counts the shown partners' records only: counted per partner, once.
const ENROLLMENTS = `select e.status, e.course_id, e.partner_id,
  (select json_object_agg(s.partner_id, json_build_array(s.recorded, s.present)) from
     (select o.partner_id, count(*) as recorded, count(*) filter (where a.present) as present
        from attendance a join course_sessions cs on cs.id = a.session_id
        join course_offers o on o.course_id = cs.course_id
        where a.beneficiary_id = $1 group by o.partner_id) s) as attendance,
  (select count(*) from enrollments x where x.course_id = e.course_id and x.status = 'ENROLLED') as seats_taken
  from enrollments e where e.beneficiary_id = $1`;
const PARTICIPATIONS = `select p.status, p.workshop_id, p.network_id, w.childcare_available
  from participations p join workshops w on w.course_id = p.workshop_id where p.beneficiary_id = $1`;
const PUPILS = `select p.beneficiary_id, p.school_id, p.grade, m.club_id,
  (select avg(sp.present::int) from session_presence sp where sp.pupil_id = p.id) as presence_rate
  from pupils p join club_memberships m on m.pupil_id = p.id where p.beneficiary_id = any($1::uuid[])`;
const COURSES = `select id, title, capacity from courses where id = any($1::uuid[])`;
const VISITS = `select partner_id, visited_on, topic, outcome from helpdesk_visits
  where beneficiary_id = $1 order by visited_on desc, recorded_at desc`;

/** The partners each partner subgraph serves, by the facet's category. */
const SERVED = {
  training: partnersOf('TRAINING').map((partner) => partner.id),
  women: partnersOf('WOMEN_NETWORK').map((partner) => partner.id),
  homework: partnersOf('HOMEWORK_SCHOOL').map((partner) => partner.id),
  helpdesk: partnersOf('PUBLIC_HELP_DESK').map((partner) => partner.id),
};

/**
 * The partners whose rows of a facet another partner's staff see, by the subgraphs' own rule
 * (`decideFacet`): the served partners that recorded a live consent covering the facet and naming
 * the viewer's partner.
 */
function shownPartners(
  viewer: Viewer,
  category: keyof typeof SERVED,
  grants: readonly AccessGrant[],
): ReadonlySet<unknown> {
  const decision = decideFacet({ viewer, servedPartners: SERVED[category], category, grants });
  return new Set(decision.kind === 'consent' ? recordersOf(decision.grants) : []);
}

type Row = Record<string, unknown>;
type Part = 'household' | 'loans' | 'enrollments' | 'participations' | 'visits' | 'pupils';

export interface FloorJourney {
  statements: number;
  /** The rows each part of the journey shows; null when the viewer does not see the person. */
  shown: (Record<Part, Row[]> & { attendanceRate: number | null }) | null;
}

/** Reads one person's journey as their housing agency's staff see it. */
export function floorJourney(
  databases: Map<string, Database<Record<string, unknown>>>,
): (person: { id: string; agency: string }) => Promise<FloorJourney> {
  const run = (name: string) => {
    const database = databases.get(name);
    if (!database) throw new Error(`no ${name} database for the SQL floor`);
    return runnerOf(database);
  };
  const [network, housing, training, homework, women, helpdesk] = [
    'network',
    'housing',
    'training',
    'homework',
    'women',
    'helpdesk',
  ].map(run) as [Run, Run, Run, Run, Run, Run];

  return async (person) => {
    const [tenancy, loans, [seen], enrollments, participations, visits] = await Promise.all([
      housing(HOUSEHOLD, [person.id, person.agency]),
      housing(LOANS, [person.id, person.agency]),
      network(PERSON, [person.id, person.agency]),
      training(ENROLLMENTS, [person.id]),
      women(PARTICIPATIONS, [person.id]),
      helpdesk(VISITS, [person.id]),
    ]);
    // Network shows a partner the people it is linked to or that a live consent names it for.
    if (!seen?.['known_by'] && !seen?.['grants']) return { statements: 6, shown: null };
    const viewer: Viewer = { sub: '', partner: person.agency, role: 'staff' };
    const grants = (seen['grants'] ?? []) as AccessGrant[];
    const shown = (category: keyof typeof SERVED) => shownPartners(viewer, category, grants);
    const [trainers, networks, desks] = [shown('training'), shown('women'), shown('helpdesk')];
    const shownEnrollments = enrollments.filter((row) => trainers.has(row['partner_id']));
    const shownParticipations = participations.filter((row) => networks.has(row['network_id']));
    const attendance = Object.entries(
      (enrollments[0]?.['attendance'] ?? {}) as Record<string, [number, number]>,
    ).filter(([partner]) => trainers.has(partner));
    const recorded = attendance.reduce((sum, [, counts]) => sum + counts[0], 0);
    const present = attendance.reduce((sum, [, counts]) => sum + counts[1], 0);

    // Each child's homework is shown under the child's own consents toward the viewer.
    const household = tenancy.filter((row) => row['beneficiary_id'] !== null);
    const children = household
      .filter((row) => row['role'] === 'CHILD')
      .map((row) => row['beneficiary_id']);
    const [pupils, childGrants] = children.length
      ? await Promise.all([
          homework(PUPILS, [children]),
          network(CHILD_GRANTS, [children, person.agency]),
        ])
      : [[], []];
    const shownPupils = pupils.filter((pupil) => {
      const own = childGrants
        .filter((row) => row['beneficiary_id'] === pupil['beneficiary_id'])
        .map((row) => row['grant'] as AccessGrant);
      return shownPartners(viewer, 'homework', own).has(pupil['school_id']);
    });

    const courseIds = [
      ...shownEnrollments.map((row) => row['course_id']),
      ...shownParticipations.map((row) => row['workshop_id']),
      ...shownPupils.map((row) => row['club_id']),
    ];
    await network(COURSES, [courseIds]);
    return {
      statements: 6 + (children.length ? 2 : 0) + 1,
      shown: {
        household,
        loans,
        enrollments: shownEnrollments,
        participations: shownParticipations,
        visits: visits.filter((row) => desks.has(row['partner_id'])),
        pupils: shownPupils,
        attendanceRate: recorded > 0 ? present / recorded : null,
      },
    };
  };
}

export interface FloorResult {
  journeys: number;
  statements: number;
  p50: number;
  p95: number;
  /**
   * How many people's journeys were compared with the federated answers, and how many read the
   * same rows; null when there were no answers to compare with (an attached stack's databases
   * are not the ones the floor reads).
   */
  sameRows: { compared: number; same: number; firstDifference: string | null } | null;
}

/** The rows of each part of a journey answered through the gateway, counted as the floor's. */
function federatedCounts(data: Record<string, unknown>): Record<Part, number> {
  const person = (data as unknown as JourneyAnswer).beneficiary;
  const household = person?.housing?.currentTenancy?.household ?? [];
  return {
    household: household.length,
    loans: person?.housing?.currentLoans.length ?? 0,
    enrollments: person?.training?.enrollments.length ?? 0,
    participations: person?.women?.participations.length ?? 0,
    visits: person?.helpdesk?.visits.length ?? 0,
    pupils: household
      .flatMap((member) => member.beneficiary?.homework?.pupilRecords ?? [])
      .reduce((sum, record) => sum + record.memberships.length, 0),
  };
}

/**
 * Whether the floor reads, for each person, as many rows of each part as the journey answered
 * through the gateway: the first part that differs, or null.
 */
async function differenceFrom(
  journey: ReturnType<typeof floorJourney>,
  person: { id: string; agency: string },
  answer: Record<string, unknown>,
): Promise<string | null> {
  const { shown } = await journey(person);
  const federated = federatedCounts(answer);
  for (const part of Object.keys(federated) as Part[]) {
    const floor = shown?.[part].length ?? 0;
    if (floor !== federated[part])
      return `${person.id}: ${part}, ${floor} rows in the floor, ${federated[part]} through the gateway`;
  }
  return null;
}

/** Reads the journey of each person in turn for `seconds`; the latency of each whole journey. */
export async function measureSqlFloor(
  databases: Map<string, Database<Record<string, unknown>>>,
  people: readonly { id: string; agency: string }[],
  seconds: number,
  answers: ReadonlyMap<string, Record<string, unknown>> | null,
): Promise<FloorResult> {
  const journey = floorJourney(databases);
  let sameRows: FloorResult['sameRows'] = null;
  if (answers) {
    sameRows = { compared: 0, same: 0, firstDifference: null };
    for (const person of people) {
      const answer = answers.get(person.id);
      if (!answer) continue;
      const difference = await differenceFrom(journey, person, answer);
      sameRows.compared += 1;
      if (difference === null) sameRows.same += 1;
      else sameRows.firstDifference ??= difference;
    }
  }
  const latencies: number[] = [];
  let statements = 0;
  const deadline = performance.now() + seconds * 1000;
  for (let turn = 0; performance.now() < deadline || turn < 20; turn += 1) {
    const started = performance.now();
    statements += (await journey(people[turn % people.length]!)).statements;
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  return {
    journeys: latencies.length,
    statements: statements / latencies.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    sameRows,
  };
}

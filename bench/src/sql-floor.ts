// The SQL floor of the journey: the fewest statements that read the same rows straight from the
// six databases with the bare driver (no GraphQL, no HTTP, no ORM), in three rounds as the
// answers depend on each other, each round's statements in parallel. The consent check stays in:
// without it the answer would not be the same.
import type { PGlite } from '@electric-sql/pglite';
import type { Database } from '@passerelle/db';
import type { Sql } from 'postgres';
import { partnersOf } from './dataset/world.ts';
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

const PERSON = `select b.given_name, b.family_name,
  (select json_agg(json_build_object('id', p.id, 'name', p.name)) from beneficiary_links l
     join partners p on p.id = l.partner_id where l.beneficiary_id = b.id) as known_by,
  (select json_agg(c.categories) from consents c
     where c.beneficiary_id in ($1, $3) and c.recipient_partner_id = $2 and c.withdrawn_at is null
       and (c.expires_at is null or c.expires_at > now())) as grants
  from beneficiaries b where b.id = $1`;
const HOUSEHOLD = `select d.street, d.unit_label, m.role, m.beneficiary_id
  from tenancies t join dwellings d on d.id = t.dwelling_id
  join tenancies m on m.dwelling_id = t.dwelling_id and m.starts_on <= current_date
    and (m.ends_on is null or m.ends_on >= current_date)
  where t.beneficiary_id = $1 and t.agency_id = $2 and t.starts_on <= current_date
    and (t.ends_on is null or t.ends_on >= current_date)`;
const LOANS = `select e.label, l.lent_on from equipment_loans l join equipment e on e.id = l.equipment_id
  where l.beneficiary_id = $1 and l.agency_id = $2 and l.returned_on is null`;
const ENROLLMENTS = `select e.status, e.course_id,
  (select avg(a.present::int) from attendance a where a.beneficiary_id = $1) as attendance_rate,
  (select count(*) from enrollments x where x.course_id = e.course_id and x.status = 'ENROLLED') as seats_taken
  from enrollments e where e.beneficiary_id = $1`;
const PARTICIPATIONS = `select p.status, p.workshop_id, w.childcare_available
  from participations p join workshops w on w.course_id = p.workshop_id where p.beneficiary_id = $1`;
const PUPILS = `select p.beneficiary_id, p.grade, m.club_id,
  (select avg(sp.present::int) from session_presence sp where sp.pupil_id = p.id) as presence_rate
  from pupils p join club_memberships m on m.pupil_id = p.id where p.beneficiary_id = any($1::uuid[])`;
const COURSES = `select id, title, capacity from courses where id = any($1::uuid[])`;
const VISITS = `select visited_on, topic, outcome from helpdesk_visits
  where beneficiary_id = $1 and partner_id = any($2::text[]) order by visited_on desc, recorded_at desc`;

/** The help desks the helpdesk subgraph serves, whose visits its facet reads. */
const HELP_DESKS = partnersOf('PUBLIC_HELP_DESK').map((partner) => partner.id);

export interface FloorResult {
  journeys: number;
  statements: number;
  p50: number;
  p95: number;
}

/** Reads the journey of each person in turn for `seconds`; the latency of each whole journey. */
export async function measureSqlFloor(
  databases: Map<string, Database<Record<string, unknown>>>,
  people: readonly { id: string; agency: string }[],
  seconds: number,
): Promise<FloorResult> {
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

  const journey = async (person: { id: string; agency: string }) => {
    const [household, , , enrollments, participations] = await Promise.all([
      housing(HOUSEHOLD, [person.id, person.agency]),
      housing(LOANS, [person.id, person.agency]),
      network(PERSON, [person.id, person.agency, person.id]),
      training(ENROLLMENTS, [person.id]),
      women(PARTICIPATIONS, [person.id]),
      helpdesk(VISITS, [person.id, HELP_DESKS]),
    ]);
    const children = household
      .filter((row) => row['role'] === 'CHILD')
      .map((row) => row['beneficiary_id']);
    const pupils = children.length ? await homework(PUPILS, [children]) : [];
    const courseIds = [
      ...enrollments.map((row) => row['course_id']),
      ...participations.map((row) => row['workshop_id']),
      ...pupils.map((row) => row['club_id']),
    ];
    await network(COURSES, [courseIds]);
    return 8 + (children.length ? 1 : 0);
  };

  const latencies: number[] = [];
  let statements = 0;
  const deadline = performance.now() + seconds * 1000;
  for (let turn = 0; performance.now() < deadline || turn < 20; turn += 1) {
    const started = performance.now();
    statements += await journey(people[turn % people.length]!);
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  return {
    journeys: latencies.length,
    statements: statements / latencies.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
  };
}

// The public digital help desks' visits: the two help desks of the demo network hold their weekly
// drop-in sessions (the demo seed's) since the history starts, each session seeing a handful of
// people, two in three of them linked to the person and the rest anonymous. Each journey-cohort
// person came to one of them lately.
import {
  VISIT_OUTCOMES,
  VISIT_TOPICS,
  visits,
  type NewVisitRow,
} from '../../../subgraphs/helpdesk/src/db/schema.ts';
import { demoDropIns } from '../../../subgraphs/helpdesk/src/db/seed.ts';
import { isoDay, nameId, plusDays } from './random.ts';
import { rowsOf, type TableRows } from './rows.ts';
import { DATASET_NOW, HISTORY_START, SCALE, staffOf, type World } from './world.ts';

/** Each help desk's drop-in days and place, from the demo seed of `subgraphs/helpdesk`. */
const DROP_INS = [...new Set(demoDropIns.map((session) => session.partnerId))].map((partnerId) => {
  const sessions = demoDropIns.filter((session) => session.partnerId === partnerId);
  return {
    partnerId,
    siteId: sessions[0]!.siteId,
    weekdays: sessions.map((session) => session.weekday),
  };
});

/** DigComp 2.2 competences a drop-in session practises most. */
const COMPETENCES = ['1.1', '2.1', '2.3', '3.1', '4.1', '4.2', '5.2'];

export function generateHelpdesk(world: World): TableRows[] {
  const r = world.random;
  const rows: NewVisitRow[] = [];
  const add = (
    key: string,
    desk: (typeof DROP_INS)[number],
    day: Date,
    beneficiaryId: string | null,
  ) => {
    const visitedOn = isoDay(day);
    rows.push({
      id: nameId(`helpdesk-visit:${key}`),
      partnerId: desk.partnerId,
      siteId: desk.siteId,
      visitedOn,
      beneficiaryId,
      topic: r.pick(VISIT_TOPICS),
      outcome: r.weighted(VISIT_OUTCOMES, [5, 3, 2]),
      competence: r.chance(0.6) ? r.pick(COMPETENCES) : null,
      note: beneficiaryId && r.chance(0.2) ? 'Revient la semaine prochaine avec ses codes.' : null,
      recordedBy: staffOf(desk.partnerId),
      recordedAt: new Date(`${visitedOn}T16:00:00Z`),
    });
    if (beneficiaryId)
      world.link(beneficiaryId, desk.partnerId, new Date(`${visitedOn}T10:00:00Z`));
  };

  const sessions: { desk: (typeof DROP_INS)[number]; day: Date }[] = [];
  for (let day = HISTORY_START; day < DATASET_NOW; day = plusDays(day, 1)) {
    for (const desk of DROP_INS) {
      if (desk.weekdays.includes(day.getUTCDay())) sessions.push({ desk, day });
    }
  }
  for (const [index, { desk, day }] of sessions.entries()) {
    const people = r.int(4, 12);
    for (let seat = 0; seat < people; seat += 1) {
      const person = r.chance(2 / 3) ? world.people[r.pick(world.adults)]!.id : null;
      add(`${index}:${seat}`, desk, day, person);
    }
  }
  // The cohort: one or two visits each, to two of the last ten sessions of their help desk.
  for (let cohort = 0; cohort < SCALE.journeyCohort; cohort += 1) {
    const desk = DROP_INS[cohort % DROP_INS.length]!;
    const recent = sessions.filter((session) => session.desk === desk).slice(-10);
    r.sample(recent, r.int(1, 2)).forEach((session, visit) => {
      add(`cohort:${cohort}:${visit}`, desk, session.day, world.people[cohort]!.id);
    });
  }
  return [rowsOf(visits, rows)];
}

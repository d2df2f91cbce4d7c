// The women's networks' operations: 150 workshops of eight weekly sessions, participations with
// childcare, attendance of the sessions held, safe-contact preferences and vulnerability
// factors. Each journey-cohort person attends a workshop running today.
import {
  participations,
  safeContactPreferences,
  sessionAttendance,
  vulnerabilityFactors,
  womenNetworks,
  workshops,
  workshopSessions,
} from '../../../subgraphs/women/src/db/schema.ts';
import { coursesOf, phaseOf } from './courses.ts';
import { brusselsAt, isoDay, nameId, plusDays } from './random.ts';
import { rowsOf, type TableRows } from './rows.ts';
import { DATASET_NOW, partnersOf, SCALE, staffOf, type World } from './world.ts';

const THEMES = [
  'Mots de passe',
  'Arnaques en ligne',
  'Mon téléphone',
  'Démarches',
  'Photos et vie privée',
];

export function generateWomen(world: World): TableRows[] {
  const r = world.random;
  const today = isoDay(DATASET_NOW);
  const courses = coursesOf(world, 'WORKSHOP');
  const running = courses.filter((course) => phaseOf(course, today) === 'running');
  const cohortByWorkshop = new Map<string, string[]>();
  for (let cohort = 0; cohort < SCALE.journeyCohort; cohort += 1) {
    const course = running[cohort % running.length]!;
    cohortByWorkshop.set(course.id, [
      ...(cohortByWorkshop.get(course.id) ?? []),
      world.people[cohort]!.id,
    ]);
  }

  const workshopRows = courses.map((course) => {
    const childcareAvailable = r.chance(0.7);
    return {
      courseId: course.id,
      networkId: course.partnerId,
      childcareAvailable,
      childcarePlaces: childcareAvailable ? r.int(2, 8) : 0,
      facilitator: r.pick(['Aïcha', 'Sophie', 'Nour', 'Hanna', 'Leila']),
      createdAt: plusDays(new Date(`${course.startsOn}T08:00:00Z`), -30),
    };
  });
  const sessionRows: (typeof workshopSessions.$inferInsert & {
    id: string;
    startsAt: Date;
    endsAt: Date;
  })[] = [];
  const participationRows: (typeof participations.$inferInsert & { id: string })[] = [];
  const attendanceRows: (typeof sessionAttendance.$inferInsert)[] = [];
  const safeRows = new Map<string, typeof safeContactPreferences.$inferInsert>();
  const factorRows = new Map<string, typeof vulnerabilityFactors.$inferInsert>();

  for (const course of courses) {
    const sessions = Array.from({ length: 8 }, (_, week) => {
      const startsAt = brusselsAt(
        isoDay(plusDays(new Date(`${course.startsOn}T00:00:00Z`), week * 7)),
        '09:30',
      );
      return {
        id: nameId(`workshop-session:${course.id}:${week}`),
        workshopId: course.id,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 2 * 3_600_000),
        theme: THEMES[week % THEMES.length]!,
      };
    });
    sessionRows.push(...sessions);
    const held = sessions.filter((session) => session.endsAt < DATASET_NOW);
    const phase = phaseOf(course, today);
    const workshop = workshopRows.find((row) => row.courseId === course.id)!;
    const women = new Set(cohortByWorkshop.get(course.id) ?? []);
    const cohortCount = women.size;
    const target = Math.max(cohortCount, course.capacity - r.int(0, 3));
    while (women.size < target) women.add(world.people[r.pick(world.adults)]!.id);

    [...women].forEach((beneficiaryId, place) => {
      const status =
        phase === 'upcoming'
          ? 'REGISTERED'
          : place >= cohortCount && r.chance(0.15)
            ? 'WITHDRAWN'
            : phase === 'ended'
              ? 'COMPLETED'
              : 'ATTENDING';
      const childcareNeeded = workshop.childcareAvailable && r.chance(0.4);
      const registeredOn = isoDay(
        plusDays(new Date(`${course.startsOn}T08:00:00Z`), -r.int(1, 20)),
      );
      const id = nameId(`participation:${course.id}:${beneficiaryId}`);
      participationRows.push({
        id,
        workshopId: course.id,
        networkId: course.partnerId,
        beneficiaryId,
        registeredOn,
        status,
        childcareNeeded,
        childrenCount: childcareNeeded ? r.int(1, 3) : 0,
        registeredBy: staffOf(course.partnerId),
        updatedAt: new Date(`${registeredOn}T10:00:00Z`),
      });
      world.link(beneficiaryId, course.partnerId, new Date(`${registeredOn}T10:00:00Z`));
      const attended = status === 'WITHDRAWN' ? held.slice(0, 2) : held;
      for (const session of attended) {
        attendanceRows.push({
          sessionId: session.id,
          participationId: id,
          present: r.chance(0.85),
          childcareUsed: childcareNeeded && r.chance(0.8),
          recordedBy: staffOf(course.partnerId),
          recordedAt: session.endsAt,
        });
      }
      const key = `${course.partnerId}:${beneficiaryId}`;
      if (!safeRows.has(key) && r.chance(0.5)) {
        safeRows.set(key, {
          networkId: course.partnerId,
          beneficiaryId,
          channel: r.pick(['PHONE_CALL', 'SMS', 'WHATSAPP', 'EMAIL', 'IN_PERSON'] as const),
          allowedTimeWindows: r.chance(0.6) ? 'mardi et jeudi 10h–12h' : null,
          noVoicemail: r.chance(0.5),
          discreetSender: r.chance(0.6),
          codeWord: r.chance(0.3) ? r.pick(['tournesol', 'café', 'bibliothèque']) : null,
          updatedBy: staffOf(course.partnerId),
          updatedAt: new Date(`${registeredOn}T10:00:00Z`),
        });
      }
      for (const kind of r.sample(['SOCIAL', 'DIGITAL', 'GENDER'] as const, r.int(0, 2))) {
        factorRows.set(`${key}:${kind}`, {
          networkId: course.partnerId,
          beneficiaryId,
          kind,
          notedOn: registeredOn,
          notedBy: staffOf(course.partnerId),
        });
      }
    });
  }

  return [
    rowsOf(
      womenNetworks,
      partnersOf('WOMEN_NETWORK')
        .filter((partner) => partner.generated)
        .map((partner) => ({ partnerId: partner.id, name: partner.name })),
    ),
    rowsOf(workshops, workshopRows),
    rowsOf(workshopSessions, sessionRows),
    rowsOf(participations, participationRows),
    rowsOf(sessionAttendance, attendanceRows),
    rowsOf(safeContactPreferences, [...safeRows.values()]),
    rowsOf(vulnerabilityFactors, [...factorRows.values()]),
  ];
}

// The training partners' operations on their 1,700 courses: weekly sessions, 60,000 enrollments
// (admitted up to capacity, then waitlisted), about 500,000 attendance rows for the sessions
// already held, and DigComp assessments of those who completed. Each journey-cohort person is
// enrolled in a course running today.
import {
  assessments,
  attendance,
  courseOffers,
  courseSessions,
  enrollments,
  trainingPartners,
} from '../../../subgraphs/training/src/db/schema.ts';
import { DIGCOMP_VERSION } from '@passerelle/service';
import { coursesOf, phaseOf } from './courses.ts';
import { brusselsAt, isoDay, nameId, plusDays, plusMinutes } from './random.ts';
import { rowsOf, type TableRows } from './rows.ts';
import { DATASET_NOW, partnersOf, SCALE, staffOf, type Course, type World } from './world.ts';

const TOPICS = [
  'La souris et le clavier',
  'Les fichiers',
  'Créer une adresse e-mail',
  'Envoyer une pièce jointe',
  'Chercher sur Internet',
  'Réglages et sécurité',
  "L'application de la banque",
  'itsme',
];
const COMPETENCES = ['1.1', '1.2', '2.1', '2.2', '3.1', '4.1', '4.2', '5.2'];

/** The session ids of a course, by week. */
export const sessionId = (courseId: string, week: number) => nameId(`session:${courseId}:${week}`);

/** The running training course the journey-cohort person number `cohort` is enrolled in. */
export function cohortCourse(running: readonly Course[], cohort: number): Course {
  return running[(cohort * 7) % running.length]!;
}

export function generateTraining(world: World): TableRows[] {
  const r = world.random;
  const today = isoDay(DATASET_NOW);
  const courses = coursesOf(world, 'DIGITAL_INITIATION');
  const running = courses.filter((course) => phaseOf(course, today) === 'running');
  const cohortByCourse = new Map<string, number[]>();
  for (let cohort = 0; cohort < SCALE.journeyCohort; cohort += 1) {
    const course = cohortCourse(running, cohort);
    cohortByCourse.set(course.id, [...(cohortByCourse.get(course.id) ?? []), cohort]);
  }

  const offerRows: (typeof courseOffers.$inferInsert)[] = [];
  const sessionRows: (typeof courseSessions.$inferInsert & {
    id: string;
    startsAt: Date;
    endsAt: Date;
  })[] = [];
  const enrollmentRows: (typeof enrollments.$inferInsert)[] = [];
  const attendanceRows: (typeof attendance.$inferInsert)[] = [];
  const assessmentRows: (typeof assessments.$inferInsert)[] = [];
  const perCourse = SCALE.enrollments / courses.length;
  const adults = world.adults;

  courses.forEach((course, courseIndex) => {
    const published = new Date(`${course.startsOn}T08:00:00Z`);
    offerRows.push({
      courseId: course.id,
      partnerId: course.partnerId,
      createdAt: plusDays(published, -30),
    });
    const weeks =
      Math.round((Date.parse(course.endsOn) - Date.parse(course.startsOn)) / (7 * 86_400_000)) + 1;
    const sessions = Array.from({ length: weeks }, (_, week) => {
      const day = isoDay(plusDays(new Date(`${course.startsOn}T00:00:00Z`), week * 7));
      const startsAt = brusselsAt(day, '09:30');
      return {
        id: sessionId(course.id, week),
        courseId: course.id,
        startsAt,
        endsAt: plusMinutes(startsAt, 150),
        topic: TOPICS[week % TOPICS.length]!,
        trainer: r.pick(['Rachid', 'Ingrid', 'Moussa', 'Eva', 'Tom']),
      };
    });
    sessionRows.push(...sessions);
    const held = sessions.filter((session) => session.endsAt < DATASET_NOW);

    // Enough enrollments in all: the last course takes what the others left.
    const target =
      courseIndex === courses.length - 1
        ? SCALE.enrollments - enrollmentRows.length
        : Math.round(perCourse * (0.6 + r.next() * 0.8));
    const people = new Set<string>(
      (cohortByCourse.get(course.id) ?? []).map((cohort) => world.people[cohort]!.id),
    );
    while (people.size < target) people.add(world.people[r.pick(adults)]!.id);

    const phase = phaseOf(course, today);
    const cohortCount = cohortByCourse.get(course.id)?.length ?? 0;
    [...people].forEach((beneficiaryId, place) => {
      const admitted = place < course.capacity;
      const status = !admitted
        ? phase === 'ended'
          ? 'DROPPED'
          : 'WAITLISTED'
        : phase === 'ended'
          ? r.chance(0.78)
            ? 'COMPLETED'
            : 'DROPPED'
          : phase === 'running' && place >= cohortCount && r.chance(0.1)
            ? 'DROPPED'
            : 'ENROLLED';
      const enrolledAt = plusDays(published, -r.int(1, 30));
      enrollmentRows.push({
        id: nameId(`enrollment:${course.id}:${beneficiaryId}`),
        courseId: course.id,
        beneficiaryId,
        partnerId: course.partnerId,
        status,
        enrolledBy: staffOf(course.partnerId),
        enrolledAt,
        updatedAt: phase === 'ended' ? new Date(`${course.endsOn}T17:00:00Z`) : enrolledAt,
      });
      world.link(beneficiaryId, course.partnerId, enrolledAt);
      if (!admitted) return;
      const attended = status === 'DROPPED' ? held.slice(0, Math.ceil(held.length / 3)) : held;
      for (const session of attended) {
        attendanceRows.push({
          sessionId: session.id,
          beneficiaryId,
          present: r.chance(0.86),
          recordedBy: staffOf(course.partnerId),
          recordedAt: session.endsAt,
        });
      }
      if (status === 'COMPLETED') {
        const competence = r.pick(COMPETENCES);
        const level = r.int(1, 3);
        const assess = (on: string, method: string, reached: number) =>
          assessmentRows.push({
            id: nameId(`assessment:${beneficiaryId}:${course.id}:${on}`),
            beneficiaryId,
            partnerId: course.partnerId,
            frameworkVersion: DIGCOMP_VERSION,
            competence,
            level: reached,
            method,
            assessedOn: on,
            assessedBy: staffOf(course.partnerId),
          });
        assess(course.startsOn, 'SELF_ASSESSMENT', level);
        if (r.chance(0.5)) assess(course.endsOn, 'PRACTICAL_TEST', level + 1);
      }
    });
  });

  return [
    rowsOf(
      trainingPartners,
      partnersOf('TRAINING')
        .filter((partner) => partner.generated)
        .map((partner) => ({
          id: partner.id,
          name: partner.name,
          joinedAt: new Date('2026-06-15T08:00:00Z'),
        })),
    ),
    rowsOf(courseOffers, offerRows),
    rowsOf(courseSessions, sessionRows),
    rowsOf(enrollments, enrollmentRows),
    rowsOf(attendance, attendanceRows),
    rowsOf(assessments, assessmentRows),
  ];
}

// The homework schools' operations for this school year: 100 clubs with their weekly slots,
// pupils (children of the generated network, their guardian a household head when the child
// lives in an agency's dwelling), memberships, tutors, club afternoons with presence, and the
// admin-help visits of adults. Each journey-cohort child is a pupil of a club.
import { addDays, isoWeekday } from '@passerelle/service';
import {
  adminHelpCourses,
  adminHelpVisits,
  clubMemberships,
  clubs,
  clubSessions,
  clubSlots,
  homeworkSchools,
  pupils,
  sessionPresence,
  tutors,
} from '../../../subgraphs/homework/src/db/schema.ts';
import { coursesOf } from './courses.ts';
import type { Households } from './housing.ts';
import { brusselsAt, isoDay, nameId } from './random.ts';
import { rowsOf, type TableRows } from './rows.ts';
import { DATASET_NOW, partnersOf, staffOf, type World } from './world.ts';

const PUPILS = 3_500;
const VISITS = 5_000;
const HOLIDAYS: [string, string][] = [['2026-10-19', '2026-10-30']];

/** The grade of a child born in `birthYear`, in the 2026-2027 school year. */
function grade(birthYear: number): string {
  const age = 2026 - birthYear;
  return age <= 11 ? `P${Math.max(1, age - 5)}` : `S${Math.min(6, age - 11)}`;
}

export function generateHomework(world: World, households: Households): TableRows[] {
  const r = world.random;
  const schools = partnersOf('HOMEWORK_SCHOOL');
  const clubCourses = coursesOf(world, 'HOMEWORK_CLUB');
  const helpCourses = coursesOf(world, 'ADMIN_HELP');
  const clubRows = clubCourses.map((course) => ({
    courseId: course.id,
    schoolId: course.partnerId,
    level: course.audience === 'TEENAGERS' ? 'SECONDARY' : 'PRIMARY',
    createdAt: new Date('2026-08-20T08:00:00Z'),
  }));
  const slotRows = clubRows.flatMap((club) =>
    (club.level === 'PRIMARY' ? [1, 2, 4] : [1, 3]).map((weekday) => ({
      clubId: club.courseId,
      weekday,
      startsAt: club.level === 'PRIMARY' ? '15:30' : '16:00',
      endsAt: club.level === 'PRIMARY' ? '17:30' : '18:00',
    })),
  );

  const tutorRows = schools.flatMap((school) =>
    Array.from({ length: 20 }, (_, index) => ({
      id: nameId(`tutor:${school.id}:${index}`),
      schoolId: school.id,
      displayName: `${r.pick(['Salma', 'Théo', 'Ilyas', 'Nora', 'Adam', 'Lina'])} ${String.fromCharCode(65 + (index % 26))}.`,
      active: r.chance(0.9),
      createdAt: new Date('2026-08-25T08:00:00Z'),
    })),
  );

  // Pupils: the cohort's children first, then other children, each at one school.
  const pupilRows: (typeof pupils.$inferInsert & { id: string })[] = [];
  const membershipRows: (typeof clubMemberships.$inferInsert)[] = [];
  const membersByClub = new Map<string, string[]>();
  const cohortChildren = new Set(households.cohortChildren);
  const candidates = [
    ...households.cohortChildren,
    ...world.children
      .map((index) => world.people[index]!.id)
      .filter((id) => !cohortChildren.has(id)),
  ].slice(0, PUPILS);
  const birthYear = new Map(world.people.map((person) => [person.id, person.birthYear]));
  candidates.forEach((beneficiaryId, index) => {
    const school = schools[index % schools.length]!;
    const level = grade(birthYear.get(beneficiaryId)!).startsWith('P') ? 'PRIMARY' : 'SECONDARY';
    const ofSchool = clubRows.filter((club) => club.schoolId === school.id);
    const club = r.pick(
      ofSchool.filter((c) => c.level === level).length
        ? ofSchool.filter((c) => c.level === level)
        : ofSchool,
    );
    const household = households.tenantOf.get(beneficiaryId);
    const consentOn = isoDay(world.instantBetween(new Date('2026-08-24'), new Date('2026-09-10')));
    const id = nameId(`pupil:${school.id}:${beneficiaryId}`);
    pupilRows.push({
      id,
      schoolId: school.id,
      beneficiaryId,
      grade: grade(birthYear.get(beneficiaryId)!),
      schoolYear: '2026-2027',
      guardianBeneficiaryId: household ? household.headId : null,
      guardianName: household
        ? null
        : `${r.pick(['Fatima', 'Mohamed', 'Marie', 'Aminata'])} ${world.people[index % world.people.length]!.familyName}`,
      guardianRelation: r.weighted(
        ['MOTHER', 'FATHER', 'GRANDPARENT', 'LEGAL_GUARDIAN'],
        [6, 3, 1, 1],
      ),
      guardianConsentGivenOn: consentOn,
      guardianConsentMethod: r.weighted(['WRITTEN', 'ORAL_ATTESTED', 'DIGITAL'], [6, 2, 2]),
      guardianConsentRecordedBy: staffOf(school.id),
      createdAt: new Date(`${consentOn}T16:00:00Z`),
      updatedAt: new Date(`${consentOn}T16:00:00Z`),
    });
    membershipRows.push({
      id: nameId(`membership:${club.courseId}:${id}`),
      clubId: club.courseId,
      pupilId: id,
      joinedOn: consentOn,
      enrolledBy: staffOf(school.id),
      createdAt: new Date(`${consentOn}T16:00:00Z`),
    });
    membersByClub.set(club.courseId, [...(membersByClub.get(club.courseId) ?? []), id]);
    world.link(beneficiaryId, school.id, new Date(`${consentOn}T16:00:00Z`));
  });

  const sessionRows: (typeof clubSessions.$inferInsert)[] = [];
  const presenceRows: (typeof sessionPresence.$inferInsert)[] = [];
  for (const club of clubRows) {
    const weekdays = new Set(
      slotRows.filter((slot) => slot.clubId === club.courseId).map((slot) => slot.weekday),
    );
    const schoolTutors = tutorRows.filter((tutor) => tutor.schoolId === club.schoolId);
    const members = membersByClub.get(club.courseId) ?? [];
    for (let day = '2026-09-07'; day <= '2026-12-18'; day = addDays(day, 1)) {
      if (!weekdays.has(isoWeekday(day))) continue;
      if (HOLIDAYS.some(([start, end]) => day >= start && day <= end)) continue;
      const startsAt = brusselsAt(day, club.level === 'PRIMARY' ? '15:30' : '16:00');
      const id = nameId(`club-session:${club.courseId}:${day}`);
      sessionRows.push({
        id,
        clubId: club.courseId,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 2 * 3_600_000),
        tutorId: r.pick(schoolTutors).id,
        topic: r.pick(['Lecture', 'Mathématiques', 'Devoirs du jour', 'Éveil', 'Conjugaison']),
      });
      if (startsAt >= DATASET_NOW) continue;
      for (const pupilId of members) {
        presenceRows.push({
          sessionId: id,
          pupilId,
          present: r.chance(0.88),
          recordedBy: staffOf(club.schoolId),
          recordedAt: new Date(startsAt.getTime() + 2 * 3_600_000),
        });
      }
    }
  }

  const visitRows: (typeof adminHelpVisits.$inferInsert)[] = [];
  const seen = new Set<string>();
  while (visitRows.length < VISITS) {
    const course = r.pick(helpCourses);
    const beneficiaryId = world.people[r.pick(world.adults)]!.id;
    const visitedOn = isoDay(world.instantBetween(new Date('2026-09-01'), DATASET_NOW));
    const category = r.pick([
      'SCHOOL_ENROLMENT',
      'SOCIAL_SECURITY',
      'TAXES',
      'BANKING',
      'HOUSING',
      'OTHER',
    ]);
    const key = `${course.id}:${beneficiaryId}:${visitedOn}:${category}`;
    if (seen.has(key)) continue;
    seen.add(key);
    visitRows.push({
      id: nameId(`visit:${key}`),
      schoolId: course.partnerId,
      courseId: course.id,
      beneficiaryId,
      visitedOn,
      category,
      outcome: r.weighted(['DONE', 'FOLLOW_UP', 'REFERRED'], [6, 3, 1]),
      recordedBy: staffOf(course.partnerId),
      recordedAt: new Date(`${visitedOn}T14:00:00Z`),
    });
    world.link(beneficiaryId, course.partnerId, new Date(`${visitedOn}T14:00:00Z`));
  }

  return [
    rowsOf(
      homeworkSchools,
      schools.filter((school) => school.generated).map((school) => ({ partnerId: school.id })),
    ),
    rowsOf(clubs, clubRows),
    rowsOf(clubSlots, slotRows),
    rowsOf(
      adminHelpCourses,
      helpCourses.map((course) => ({ courseId: course.id, schoolId: course.partnerId })),
    ),
    rowsOf(tutors, tutorRows),
    rowsOf(pupils, pupilRows),
    rowsOf(clubMemberships, membershipRows),
    rowsOf(clubSessions, sessionRows),
    rowsOf(sessionPresence, presenceRows),
    rowsOf(adminHelpVisits, visitRows),
  ];
}

// Les Tournesols' demo operations: the primary homework club with its weekly slots, Yassin and
// Lina as pupils (their mothers consented in writing), three teenage tutors (Mamadou, now 18,
// is one), the club's afternoons since early October with presence, the next afternoons until
// the Christmas holidays, and the admin-help visits of Fatou and Samira.
import * as demo from '@passerelle/demo-data';
import { count } from 'drizzle-orm';
import { addDays, brusselsInstant, isoWeekday } from '../calendar.ts';
import type { HomeworkDb } from './index.ts';
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
} from './schema.ts';

const { beneficiaries: B, courses: C, partners: P, staff } = demo;
const school = P.tournesols.id;
const at = (iso: string) => new Date(iso);

/** Club afternoons (Monday, Tuesday, Thursday) from `from` to `to`, skipping school holidays. */
function clubDays(from: string, to: string, holidays: [string, string][]): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    if (![1, 2, 4].includes(isoWeekday(day))) continue;
    if (holidays.some(([start, end]) => day >= start && day <= end)) continue;
    days.push(day);
  }
  return days;
}

const TOPICS: Record<number, string[]> = {
  1: ['Lecture à voix haute', 'Dictée préparée', 'Lecture: comprendre un texte'],
  2: ['Tables de multiplication', 'Fractions', 'Problèmes de mathématiques'],
  4: ['Conjugaison: le présent', 'Éveil: les saisons', 'Devoirs du jour'],
};

export async function seedDemo(db: HomeworkDb): Promise<void> {
  const [existing] = await db.select({ n: count() }).from(homeworkSchools);
  if ((existing?.n ?? 0) > 0) return;

  const tutor = {
    mamadou: demo.demoId('homework:tutor:mamadou'),
    salma: demo.demoId('homework:tutor:salma'),
    theo: demo.demoId('homework:tutor:theo'),
  };
  const pupil = {
    yassin: demo.demoId('homework:pupil:yassin'),
    lina: demo.demoId('homework:pupil:lina'),
  };
  // The autumn break of the French-speaking community's calendar: 19 to 30 October 2026.
  const days = clubDays('2026-10-05', '2026-12-17', [['2026-10-19', '2026-10-30']]);
  const tutorOf: Record<number, string> = { 1: tutor.mamadou, 2: tutor.salma, 4: tutor.theo };
  const sessions = days.map((day, index) => {
    const weekday = isoWeekday(day);
    const topics = TOPICS[weekday] ?? ['Devoirs du jour'];
    return {
      id: demo.demoId(`homework:session:${C.clubPrimaire.id}:${day}`),
      clubId: C.clubPrimaire.id,
      startsAt: brusselsInstant(day, '15:30'),
      endsAt: brusselsInstant(day, '17:30'),
      tutorId: tutorOf[weekday] ?? null,
      topic: topics[Math.floor(index / 3) % topics.length]!,
    };
  });
  // Presence is taken up to the last afternoon before the seed's "today" (Monday 23 November).
  const past = sessions.filter((session) => session.startsAt < at('2026-11-23T00:00:00Z'));
  const absent = {
    [pupil.yassin]: new Set(['2026-10-13', '2026-11-10']),
    [pupil.lina]: new Set(['2026-11-05']),
  };

  await db.transaction(async (tx) => {
    await tx
      .insert(homeworkSchools)
      .values({ partnerId: school, createdAt: at('2026-06-15T08:00:00Z') });
    await tx.insert(clubs).values({
      courseId: C.clubPrimaire.id,
      schoolId: school,
      level: 'PRIMARY',
      createdAt: at('2026-06-15T08:00:00Z'),
    });
    await tx.insert(clubSlots).values(
      [1, 2, 4].map((weekday) => ({
        clubId: C.clubPrimaire.id,
        weekday,
        startsAt: '15:30',
        endsAt: '17:30',
      })),
    );
    await tx.insert(adminHelpCourses).values({
      courseId: C.demarches.id,
      schoolId: school,
      createdAt: at('2026-06-15T08:00:00Z'),
    });

    await tx.insert(tutors).values([
      {
        id: tutor.mamadou,
        schoolId: school,
        displayName: 'Mamadou',
        beneficiaryId: B.mamadou.id,
        createdAt: at('2026-09-01T14:00:00Z'),
      },
      {
        id: tutor.salma,
        schoolId: school,
        displayName: 'Salma',
        beneficiaryId: null,
        createdAt: at('2026-09-01T14:05:00Z'),
      },
      {
        id: tutor.theo,
        schoolId: school,
        displayName: 'Théo',
        beneficiaryId: null,
        createdAt: at('2026-09-01T14:10:00Z'),
      },
    ]);

    await tx.insert(pupils).values([
      {
        id: pupil.yassin,
        schoolId: school,
        beneficiaryId: B.yassin.id,
        grade: 'P6',
        schoolYear: '2026-2027',
        guardianBeneficiaryId: B.amina.id,
        guardianName: null,
        guardianRelation: 'MOTHER',
        guardianConsentGivenOn: '2026-09-02',
        guardianConsentMethod: 'WRITTEN',
        guardianConsentRecordedBy: staff.tournesols,
        createdAt: at('2026-09-02T15:00:00Z'),
        updatedAt: at('2026-09-02T15:00:00Z'),
      },
      {
        id: pupil.lina,
        schoolId: school,
        beneficiaryId: B.lina.id,
        grade: 'P4',
        schoolYear: '2026-2027',
        guardianBeneficiaryId: B.samira.id,
        guardianName: null,
        guardianRelation: 'MOTHER',
        guardianConsentGivenOn: '2026-09-01',
        guardianConsentMethod: 'WRITTEN',
        guardianConsentRecordedBy: staff.tournesols,
        createdAt: at('2026-09-01T14:30:00Z'),
        updatedAt: at('2026-09-01T14:30:00Z'),
      },
    ]);
    await tx.insert(clubMemberships).values([
      {
        id: demo.demoId('homework:membership:yassin:club-primaire'),
        clubId: C.clubPrimaire.id,
        pupilId: pupil.yassin,
        joinedOn: '2026-09-03',
        enrolledBy: staff.tournesols,
        createdAt: at('2026-09-02T15:00:00Z'),
      },
      {
        id: demo.demoId('homework:membership:lina:club-primaire'),
        clubId: C.clubPrimaire.id,
        pupilId: pupil.lina,
        joinedOn: '2026-09-01',
        enrolledBy: staff.tournesols,
        createdAt: at('2026-09-01T14:30:00Z'),
      },
    ]);

    await tx.insert(clubSessions).values(sessions);
    await tx.insert(sessionPresence).values(
      past.flatMap((session) =>
        [pupil.yassin, pupil.lina].map((pupilId) => ({
          sessionId: session.id,
          pupilId,
          present: !absent[pupilId]?.has(session.startsAt.toISOString().slice(0, 10)),
          recordedBy: staff.tournesols,
          recordedAt: session.endsAt,
        })),
      ),
    );

    const visit = (
      key: string,
      beneficiaryId: string,
      visitedOn: string,
      category: string,
      outcome: string,
    ) => ({
      id: demo.demoId(`homework:visit:${key}:${visitedOn}:${category}`),
      schoolId: school,
      courseId: C.demarches.id,
      beneficiaryId,
      visitedOn,
      category,
      outcome,
      recordedBy: staff.tournesols,
      recordedAt: brusselsInstant(visitedOn, '15:00'),
    });
    await tx
      .insert(adminHelpVisits)
      .values([
        visit('samira', B.samira.id, '2026-09-16', 'SCHOOL_ENROLMENT', 'DONE'),
        visit('samira', B.samira.id, '2026-10-07', 'SOCIAL_SECURITY', 'FOLLOW_UP'),
        visit('samira', B.samira.id, '2026-10-14', 'SOCIAL_SECURITY', 'DONE'),
        visit('fatou', B.fatou.id, '2026-09-23', 'BANKING', 'DONE'),
        visit('fatou', B.fatou.id, '2026-10-07', 'TAXES', 'FOLLOW_UP'),
        visit('fatou', B.fatou.id, '2026-11-04', 'TAXES', 'REFERRED'),
        visit('fatou', B.fatou.id, '2026-11-18', 'HOUSING', 'DONE'),
      ]);
  });
}

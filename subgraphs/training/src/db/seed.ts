// Clic Formation's demo operations: the training partner this subgraph serves, its two directory
// courses, their sessions, enrollments, attendance and a few DigComp assessments.
import * as demo from '@passerelle/demo-data';
import { count } from 'drizzle-orm';
import { DIGCOMP_VERSION } from '../digcomp.ts';
import type { TrainingDb } from './index.ts';
import {
  assessments,
  attendance,
  courseOffers,
  courseSessions,
  enrollments,
  trainingPartners,
} from './schema.ts';

const { beneficiaries: B, courses: C, partners: P, staff } = demo;

/** Weekly sessions from the course's first day. */
function weekly(course: demo.DemoCourse, weeks: number, startHourUtc: number, topics: string[]) {
  return Array.from({ length: weeks }, (_, week) => {
    const startsAt = new Date(`${course.startsOn}T${String(startHourUtc).padStart(2, '0')}:30:00Z`);
    startsAt.setUTCDate(startsAt.getUTCDate() + week * 7);
    return {
      id: demo.demoId(`session:${course.id}:${week}`),
      courseId: course.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 150 * 60_000),
      topic: topics[week % topics.length]!,
      trainer: 'Rachid',
    };
  });
}

export async function seedDemo(db: TrainingDb): Promise<void> {
  // Served partners first and on their own: databases seeded before the table existed get it too.
  await db
    .insert(trainingPartners)
    .values({ id: P.clic.id, name: P.clic.name, joinedAt: new Date('2026-06-15T08:00:00Z') })
    .onConflictDoNothing();

  const [existing] = await db.select({ n: count() }).from(courseOffers);
  if ((existing?.n ?? 0) > 0) return;

  const premiersPas = weekly(C.premiersPas, 10, 7, [
    'La souris et le clavier',
    'Les fichiers',
    'Créer une adresse e-mail',
    'Envoyer une pièce jointe',
    'Chercher sur Internet',
  ]);
  const smartphone = weekly(C.smartphone, 6, 12, [
    'Réglages et sécurité',
    "L'application de la banque",
    'itsme',
    'Photos et messages',
  ]);
  const at = (iso: string) => new Date(iso);

  await db.transaction(async (tx) => {
    await tx.insert(courseOffers).values([
      { courseId: C.premiersPas.id, partnerId: P.clic.id, createdAt: at('2026-06-15T08:00:00Z') },
      { courseId: C.smartphone.id, partnerId: P.clic.id, createdAt: at('2026-06-15T08:00:00Z') },
    ]);
    await tx.insert(courseSessions).values([...premiersPas, ...smartphone]);
    const enroll = (courseId: string, beneficiaryId: string, status: string, when: string) => ({
      id: demo.demoId(`enrollment:${courseId}:${beneficiaryId}`),
      courseId,
      beneficiaryId,
      partnerId: P.clic.id,
      status,
      enrolledBy: staff.clic,
      enrolledAt: at(when),
      updatedAt: at(when),
    });
    await tx
      .insert(enrollments)
      .values([
        enroll(C.premiersPas.id, B.amina.id, 'ENROLLED', '2026-08-23T10:00:00Z'),
        enroll(C.premiersPas.id, B.jean.id, 'COMPLETED', '2026-08-29T10:00:00Z'),
        enroll(C.premiersPas.id, B.fatou.id, 'ENROLLED', '2026-10-07T10:00:00Z'),
        enroll(C.premiersPas.id, B.nadia.id, 'DROPPED', '2026-09-01T10:00:00Z'),
        enroll(C.smartphone.id, B.marta.id, 'WAITLISTED', '2026-09-29T10:00:00Z'),
        enroll(C.smartphone.id, B.olena.id, 'ENROLLED', '2026-09-25T10:00:00Z'),
      ]);
    const presence = (sessions: typeof premiersPas, beneficiaryId: string, pattern: boolean[]) =>
      sessions.slice(0, pattern.length).map((session, index) => ({
        sessionId: session.id,
        beneficiaryId,
        present: pattern[index]!,
        recordedBy: staff.clic,
        recordedAt: session.endsAt,
      }));
    await tx
      .insert(attendance)
      .values([
        ...presence(premiersPas, B.amina.id, [true, true, false, true, true, true, true, false]),
        ...presence(premiersPas, B.jean.id, [
          true,
          true,
          true,
          true,
          true,
          true,
          true,
          true,
          true,
          true,
        ]),
        ...presence(premiersPas, B.fatou.id, [true, true, true]),
        ...presence(smartphone, B.olena.id, [true, false, true]),
      ]);
    const assess = (
      beneficiaryId: string,
      competence: string,
      level: number,
      method: string,
      assessedOn: string,
    ) => ({
      id: demo.demoId(`assessment:${beneficiaryId}:${competence}:${assessedOn}`),
      beneficiaryId,
      partnerId: P.clic.id,
      frameworkVersion: DIGCOMP_VERSION,
      competence,
      level,
      method,
      assessedOn,
      assessedBy: staff.clic,
    });
    await tx
      .insert(assessments)
      .values([
        assess(B.amina.id, '1.1', 1, 'SELF_ASSESSMENT', '2026-09-07'),
        assess(B.amina.id, '1.1', 2, 'TRAINER_OBSERVATION', '2026-11-02'),
        assess(B.amina.id, '2.1', 2, 'TRAINER_OBSERVATION', '2026-11-02'),
        assess(B.jean.id, '2.1', 1, 'SELF_ASSESSMENT', '2026-09-07'),
        assess(B.jean.id, '2.1', 3, 'PRACTICAL_TEST', '2026-11-16'),
        assess(B.olena.id, '4.2', 2, 'SELF_ASSESSMENT', '2026-10-01'),
      ]);
  });
}

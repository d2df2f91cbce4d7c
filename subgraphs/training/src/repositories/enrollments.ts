import { anyOf, builtOnce } from '@passerelle/db';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { TrainingDb } from '../db/index.ts';
import {
  assessments,
  attendance,
  courseOffers,
  courseSessions,
  enrollments,
  type AssessmentRow,
  type AttendanceRow,
  type CourseSessionRow,
  type EnrollmentRow,
} from '../db/schema.ts';

export interface AttendanceWithSession extends AttendanceRow {
  enrollmentId: string;
  session: CourseSessionRow;
}

/** A person's attendance counts at the courses of one training partner. */
export interface AttendanceStats {
  beneficiaryId: string;
  partnerId: string;
  recorded: number;
  present: number;
}

export interface NewEnrollment {
  courseId: string;
  beneficiaryId: string;
  partnerId: string;
  capacity: number;
  enrolledBy: string;
  /** The network referral the person is enrolled from, when there is one. */
  referralId: string | null;
}

/** Enrollments still running, to which a referral may still be recorded. */
const RUNNING = ['ENROLLED', 'WAITLISTED'];

const enrollmentsByIds = builtOnce((db: TrainingDb) =>
  db
    .select()
    .from(enrollments)
    .where(anyOf(enrollments.id, 'ids'))
    .prepare('training_enrollments_by_ids'),
);

const enrollmentsByBeneficiaryIds = builtOnce((db: TrainingDb) =>
  db
    .select()
    .from(enrollments)
    .where(anyOf(enrollments.beneficiaryId, 'ids'))
    .orderBy(desc(enrollments.enrolledAt))
    .prepare('training_enrollments_by_beneficiary_ids'),
);

const enrollmentsByCourseIds = builtOnce((db: TrainingDb) =>
  db
    .select()
    .from(enrollments)
    .where(anyOf(enrollments.courseId, 'ids'))
    .orderBy(asc(enrollments.enrolledAt))
    .prepare('training_enrollments_by_course_ids'),
);

const assessmentsByBeneficiaryIds = builtOnce((db: TrainingDb) =>
  db
    .select()
    .from(assessments)
    .where(anyOf(assessments.beneficiaryId, 'ids'))
    .orderBy(desc(assessments.assessedOn))
    .prepare('training_assessments_by_beneficiary_ids'),
);

const attendanceByEnrollmentIds = builtOnce((db: TrainingDb) =>
  db
    .select({ enrollmentId: enrollments.id, attendance, session: courseSessions })
    .from(enrollments)
    .innerJoin(courseSessions, eq(courseSessions.courseId, enrollments.courseId))
    .innerJoin(
      attendance,
      and(
        eq(attendance.sessionId, courseSessions.id),
        eq(attendance.beneficiaryId, enrollments.beneficiaryId),
      ),
    )
    .where(anyOf(enrollments.id, 'ids'))
    .orderBy(asc(courseSessions.startsAt))
    .prepare('training_attendance_by_enrollment_ids'),
);

const attendanceStatsByBeneficiaryIds = builtOnce((db: TrainingDb) =>
  db
    .select({
      beneficiaryId: attendance.beneficiaryId,
      partnerId: courseOffers.partnerId,
      recorded: sql<number>`count(*)`.mapWith(Number),
      present: sql<number>`count(*) filter (where ${attendance.present})`.mapWith(Number),
    })
    .from(attendance)
    .innerJoin(courseSessions, eq(courseSessions.id, attendance.sessionId))
    .innerJoin(courseOffers, eq(courseOffers.courseId, courseSessions.courseId))
    .where(anyOf(attendance.beneficiaryId, 'ids'))
    .groupBy(attendance.beneficiaryId, courseOffers.partnerId)
    .prepare('training_attendance_stats_by_beneficiary_ids'),
);

export class EnrollmentRepository {
  constructor(private readonly db: TrainingDb) {}

  byIds(ids: readonly string[]): Promise<EnrollmentRow[]> {
    return enrollmentsByIds(this.db).execute({ ids: [...ids] });
  }

  byBeneficiaryIds(ids: readonly string[]): Promise<EnrollmentRow[]> {
    return enrollmentsByBeneficiaryIds(this.db).execute({ ids: [...ids] });
  }

  byCourseIds(ids: readonly string[]): Promise<EnrollmentRow[]> {
    return enrollmentsByCourseIds(this.db).execute({ ids: [...ids] });
  }

  assessmentsByBeneficiaryIds(ids: readonly string[]): Promise<AssessmentRow[]> {
    return assessmentsByBeneficiaryIds(this.db).execute({ ids: [...ids] });
  }

  /** Attendance of each enrollment's person at its course's sessions. */
  async attendanceByEnrollmentIds(ids: readonly string[]): Promise<AttendanceWithSession[]> {
    const rows = await attendanceByEnrollmentIds(this.db).execute({ ids: [...ids] });
    return rows.map((row) => ({
      ...row.attendance,
      enrollmentId: row.enrollmentId,
      session: row.session,
    }));
  }

  /** Attendance counts per person and training partner, so each viewer counts what they may see. */
  async attendanceStats(beneficiaryIds: readonly string[]): Promise<AttendanceStats[]> {
    return attendanceStatsByBeneficiaryIds(this.db).execute({ ids: [...beneficiaryIds] });
  }

  /**
   * Enrolls a person, or returns their existing enrollment; an existing running enrollment that
   * came from no referral records the one given, and one the person dropped is taken up again,
   * holding a seat or waitlisted like a new one. The course's offer row is locked so that two
   * enrollments racing for the last seat cannot both take it.
   */
  enroll(input: NewEnrollment): Promise<EnrollmentRow> {
    return this.db.transaction(async (tx) => {
      await tx
        .insert(courseOffers)
        .values({ courseId: input.courseId, partnerId: input.partnerId })
        .onConflictDoNothing();
      await tx
        .select({ id: courseOffers.courseId })
        .from(courseOffers)
        .where(eq(courseOffers.courseId, input.courseId))
        .for('update');
      const [existing] = await tx
        .select()
        .from(enrollments)
        .where(
          and(
            eq(enrollments.courseId, input.courseId),
            eq(enrollments.beneficiaryId, input.beneficiaryId),
          ),
        );
      if (existing && existing.status !== 'DROPPED') {
        if (!input.referralId || existing.referralId || !RUNNING.includes(existing.status)) {
          return existing;
        }
        const [linked] = await tx
          .update(enrollments)
          .set({ referralId: input.referralId, updatedAt: sql`now()` })
          .where(eq(enrollments.id, existing.id))
          .returning();
        return linked ?? existing;
      }
      const [taken] = await tx
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(enrollments)
        .where(and(eq(enrollments.courseId, input.courseId), eq(enrollments.status, 'ENROLLED')));
      const status = (taken?.n ?? 0) < input.capacity ? 'ENROLLED' : 'WAITLISTED';
      const [row] = existing
        ? await tx
            .update(enrollments)
            .set({
              status,
              enrolledBy: input.enrolledBy,
              referralId: input.referralId,
              enrolledAt: sql`now()`,
              updatedAt: sql`now()`,
            })
            .where(eq(enrollments.id, existing.id))
            .returning()
        : await tx
            .insert(enrollments)
            .values({
              courseId: input.courseId,
              beneficiaryId: input.beneficiaryId,
              partnerId: input.partnerId,
              status,
              enrolledBy: input.enrolledBy,
              referralId: input.referralId,
            })
            .returning();
      if (!row) throw new Error('enrollment write returned no row');
      return row;
    });
  }
}

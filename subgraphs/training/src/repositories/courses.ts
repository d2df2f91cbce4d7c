import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { TrainingDb } from '../db/index.ts';
import {
  attendance,
  courseOffers,
  courseSessions,
  enrollments,
  type CourseOfferRow,
  type CourseSessionRow,
} from '../db/schema.ts';

export interface SeatCounts {
  courseId: string;
  enrolled: number;
  waitlisted: number;
}

export interface NewAttendance {
  beneficiaryId: string;
  present: boolean;
}

/** Courses this subgraph runs: offers, sessions, seat counts and attendance. */
export class CourseRepository {
  constructor(private readonly db: TrainingDb) {}

  offersByCourseIds(ids: readonly string[]): Promise<CourseOfferRow[]> {
    return this.db
      .select()
      .from(courseOffers)
      .where(inArray(courseOffers.courseId, [...ids]));
  }

  sessionsByCourseIds(ids: readonly string[]): Promise<CourseSessionRow[]> {
    return this.db
      .select()
      .from(courseSessions)
      .where(inArray(courseSessions.courseId, [...ids]))
      .orderBy(asc(courseSessions.startsAt));
  }

  sessionsByIds(ids: readonly string[]): Promise<CourseSessionRow[]> {
    return this.db
      .select()
      .from(courseSessions)
      .where(inArray(courseSessions.id, [...ids]));
  }

  /** Seats taken and waitlist per course, counted in one grouped statement. */
  async seatCounts(courseIds: readonly string[]): Promise<SeatCounts[]> {
    const rows = await this.db
      .select({
        courseId: enrollments.courseId,
        enrolled: sql<number>`count(*) filter (where ${enrollments.status} = 'ENROLLED')`.mapWith(
          Number,
        ),
        waitlisted:
          sql<number>`count(*) filter (where ${enrollments.status} = 'WAITLISTED')`.mapWith(Number),
      })
      .from(enrollments)
      .where(inArray(enrollments.courseId, [...courseIds]))
      .groupBy(enrollments.courseId);
    return rows;
  }

  /** Replaces the attendance of these people at one session, all or nothing. */
  async recordAttendance(
    sessionId: string,
    entries: NewAttendance[],
    recordedBy: string,
  ): Promise<number> {
    if (entries.length === 0) return 0;
    const rows = await this.db
      .insert(attendance)
      .values(entries.map((entry) => ({ ...entry, sessionId, recordedBy })))
      .onConflictDoUpdate({
        target: [attendance.sessionId, attendance.beneficiaryId],
        set: {
          present: sql`excluded.present`,
          recordedBy: sql`excluded.recorded_by`,
          recordedAt: sql`now()`,
        },
      })
      .returning({ beneficiaryId: attendance.beneficiaryId });
    return rows.length;
  }

  /** How many of these people hold an active enrollment in the course. */
  async enrolledAmong(courseId: string, beneficiaryIds: readonly string[]): Promise<Set<string>> {
    const rows = await this.db
      .select({ beneficiaryId: enrollments.beneficiaryId })
      .from(enrollments)
      .where(
        and(
          eq(enrollments.courseId, courseId),
          inArray(enrollments.beneficiaryId, [...beneficiaryIds]),
          inArray(enrollments.status, ['ENROLLED', 'COMPLETED']),
        ),
      );
    return new Set(rows.map((row) => row.beneficiaryId));
  }

  async countOffers(): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(courseOffers);
    return row?.n ?? 0;
  }
}

import { anyOf, builtOnce } from '@passerelle/db';
import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { TrainingDb } from '../db/index.ts';
import {
  attendance,
  courseOffers,
  courseSessions,
  enrollments,
  trainingPartners,
  type CourseOfferRow,
  type CourseSessionRow,
} from '../db/schema.ts';

export interface SeatCounts {
  courseId: string;
  enrolled: number;
  waitlisted: number;
}

/** Seats taken in one course, with the training partner that runs it. */
export interface SeatsTaken {
  courseId: string;
  partnerId: string;
  taken: number;
}

export interface NewAttendance {
  beneficiaryId: string;
  present: boolean;
}

const offersByCourseIds = builtOnce((db: TrainingDb) =>
  db
    .select()
    .from(courseOffers)
    .where(anyOf(courseOffers.courseId, 'ids'))
    .prepare('training_offers_by_course_ids'),
);

const sessionsByCourseIds = builtOnce((db: TrainingDb) =>
  db
    .select()
    .from(courseSessions)
    .where(anyOf(courseSessions.courseId, 'ids'))
    .orderBy(asc(courseSessions.startsAt))
    .prepare('training_sessions_by_course_ids'),
);

const sessionsByIds = builtOnce((db: TrainingDb) =>
  db
    .select()
    .from(courseSessions)
    .where(anyOf(courseSessions.id, 'ids'))
    .prepare('training_sessions_by_ids'),
);

const seatCountsByCourseIds = builtOnce((db: TrainingDb) =>
  db
    .select({
      courseId: enrollments.courseId,
      enrolled: sql<number>`count(*) filter (where ${enrollments.status} = 'ENROLLED')`.mapWith(
        Number,
      ),
      waitlisted: sql<number>`count(*) filter (where ${enrollments.status} = 'WAITLISTED')`.mapWith(
        Number,
      ),
    })
    .from(enrollments)
    .where(anyOf(enrollments.courseId, 'ids'))
    .groupBy(enrollments.courseId)
    .prepare('training_seat_counts_by_course_ids'),
);

const enrolledAmongBeneficiaryIds = builtOnce((db: TrainingDb) =>
  db
    .select({ beneficiaryId: enrollments.beneficiaryId })
    .from(enrollments)
    .where(
      and(
        eq(enrollments.courseId, sql.placeholder('courseId')),
        anyOf(enrollments.beneficiaryId, 'beneficiaryIds'),
        anyOf(enrollments.status, 'statuses'),
      ),
    )
    .prepare('training_enrolled_among_beneficiary_ids'),
);

/** Courses this subgraph runs: offers, sessions, seat counts and attendance. */
export class CourseRepository {
  constructor(private readonly db: TrainingDb) {}

  offersByCourseIds(ids: readonly string[]): Promise<CourseOfferRow[]> {
    return offersByCourseIds(this.db).execute({ ids: [...ids] });
  }

  sessionsByCourseIds(ids: readonly string[]): Promise<CourseSessionRow[]> {
    return sessionsByCourseIds(this.db).execute({ ids: [...ids] });
  }

  sessionsByIds(ids: readonly string[]): Promise<CourseSessionRow[]> {
    return sessionsByIds(this.db).execute({ ids: [...ids] });
  }

  /** Seats taken and waitlist per course, counted in one grouped statement. */
  async seatCounts(courseIds: readonly string[]): Promise<SeatCounts[]> {
    const rows = await seatCountsByCourseIds(this.db).execute({ ids: [...courseIds] });
    return rows;
  }

  /**
   * Seats taken in every course of a served training partner still running on `day` (an ISO
   * day, Brussels time), in one grouped statement; courses with no seat taken are left out. A
   * course is still running when it has a session on that day or later, or no session planned
   * yet. Sorted by course id.
   */
  seatsTakenRunningOn(day: string): Promise<SeatsTaken[]> {
    const lastSessionDay = sql`(
      select max((${courseSessions.endsAt} at time zone 'Europe/Brussels')::date)
      from ${courseSessions}
      where ${courseSessions.courseId} = ${courseOffers.courseId}
    )`;
    return this.db
      .select({
        courseId: courseOffers.courseId,
        partnerId: courseOffers.partnerId,
        taken: sql<number>`count(*)`.mapWith(Number),
      })
      .from(enrollments)
      .innerJoin(courseOffers, eq(courseOffers.courseId, enrollments.courseId))
      .innerJoin(trainingPartners, eq(trainingPartners.id, courseOffers.partnerId))
      .where(
        and(
          eq(enrollments.status, 'ENROLLED'),
          sql`coalesce(${lastSessionDay} >= ${day}::date, true)`,
        ),
      )
      .groupBy(courseOffers.courseId, courseOffers.partnerId)
      .orderBy(asc(courseOffers.courseId));
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
    const rows = await enrolledAmongBeneficiaryIds(this.db).execute({
      courseId,
      beneficiaryIds: [...beneficiaryIds],
      statuses: ['ENROLLED', 'COMPLETED'],
    });
    return new Set(rows.map((row) => row.beneficiaryId));
  }

  async countOffers(): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(courseOffers);
    return row?.n ?? 0;
  }
}

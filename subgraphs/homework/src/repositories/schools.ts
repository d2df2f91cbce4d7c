// The schools this subgraph serves and what they run: clubs with their weekly slots,
// admin-help courses and the tutor team.
import { and, asc, inArray } from 'drizzle-orm';
import type { HomeworkDb } from '../db/index.ts';
import {
  adminHelpCourses,
  clubs,
  clubSlots,
  homeworkSchools,
  tutors,
  type AdminHelpCourseRow,
  type ClubRow,
  type ClubSlotRow,
  type TutorRow,
} from '../db/schema.ts';

export class SchoolRepository {
  constructor(private readonly db: HomeworkDb) {}

  /** The partner ids of every homework school this subgraph serves. */
  async servedPartnerIds(): Promise<string[]> {
    const rows = await this.db
      .select({ partnerId: homeworkSchools.partnerId })
      .from(homeworkSchools);
    return rows.map((row) => row.partnerId);
  }

  clubsByCourseIds(ids: readonly string[]): Promise<ClubRow[]> {
    return this.db
      .select()
      .from(clubs)
      .where(inArray(clubs.courseId, [...ids]));
  }

  adminHelpCoursesByCourseIds(ids: readonly string[]): Promise<AdminHelpCourseRow[]> {
    return this.db
      .select()
      .from(adminHelpCourses)
      .where(inArray(adminHelpCourses.courseId, [...ids]));
  }

  slotsByClubIds(ids: readonly string[]): Promise<ClubSlotRow[]> {
    return this.db
      .select()
      .from(clubSlots)
      .where(inArray(clubSlots.clubId, [...ids]))
      .orderBy(asc(clubSlots.weekday), asc(clubSlots.startsAt));
  }

  tutorsByIds(ids: readonly string[]): Promise<TutorRow[]> {
    return this.db
      .select()
      .from(tutors)
      .where(inArray(tutors.id, [...ids]));
  }

  /** The tutor records of these people at these schools (the viewer's, see access.ts). */
  tutorsByBeneficiaryIds(
    ids: readonly string[],
    schoolIds: readonly string[],
  ): Promise<TutorRow[]> {
    return this.db
      .select()
      .from(tutors)
      .where(and(inArray(tutors.beneficiaryId, [...ids]), inArray(tutors.schoolId, [...schoolIds])))
      .orderBy(asc(tutors.createdAt));
  }
}

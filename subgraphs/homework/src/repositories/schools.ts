// The schools this subgraph serves and what they run: clubs with their weekly slots,
// admin-help courses and the tutor team.
import { anyOf, builtOnce } from '@passerelle/db';
import { and, asc } from 'drizzle-orm';
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

const clubsByCourseIds = builtOnce((db: HomeworkDb) =>
  db
    .select()
    .from(clubs)
    .where(anyOf(clubs.courseId, 'ids'))
    .prepare('homework_clubs_by_course_ids'),
);
const adminHelpCoursesByCourseIds = builtOnce((db: HomeworkDb) =>
  db
    .select()
    .from(adminHelpCourses)
    .where(anyOf(adminHelpCourses.courseId, 'ids'))
    .prepare('homework_admin_help_courses_by_course_ids'),
);
const slotsByClubIds = builtOnce((db: HomeworkDb) =>
  db
    .select()
    .from(clubSlots)
    .where(anyOf(clubSlots.clubId, 'ids'))
    .orderBy(asc(clubSlots.weekday), asc(clubSlots.startsAt))
    .prepare('homework_slots_by_club_ids'),
);
const tutorsByIds = builtOnce((db: HomeworkDb) =>
  db.select().from(tutors).where(anyOf(tutors.id, 'ids')).prepare('homework_tutors_by_ids'),
);
const tutorsByBeneficiaryIds = builtOnce((db: HomeworkDb) =>
  db
    .select()
    .from(tutors)
    .where(and(anyOf(tutors.beneficiaryId, 'ids'), anyOf(tutors.schoolId, 'schoolIds')))
    .orderBy(asc(tutors.createdAt))
    .prepare('homework_tutors_by_beneficiary_ids'),
);

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
    return clubsByCourseIds(this.db).execute({ ids: [...ids] });
  }

  adminHelpCoursesByCourseIds(ids: readonly string[]): Promise<AdminHelpCourseRow[]> {
    return adminHelpCoursesByCourseIds(this.db).execute({ ids: [...ids] });
  }

  slotsByClubIds(ids: readonly string[]): Promise<ClubSlotRow[]> {
    return slotsByClubIds(this.db).execute({ ids: [...ids] });
  }

  tutorsByIds(ids: readonly string[]): Promise<TutorRow[]> {
    return tutorsByIds(this.db).execute({ ids: [...ids] });
  }

  /** The tutor records of these people at these schools (the viewer's, see access.ts). */
  tutorsByBeneficiaryIds(
    ids: readonly string[],
    schoolIds: readonly string[],
  ): Promise<TutorRow[]> {
    return tutorsByBeneficiaryIds(this.db).execute({ ids: [...ids], schoolIds: [...schoolIds] });
  }
}

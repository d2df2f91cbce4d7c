// Visits of adults helped with online procedures: per person, counted per category, recorded.
import { anyOf, builtOnce } from '@passerelle/db';
import { and, desc, lt, sql } from 'drizzle-orm';
import type { HomeworkDb } from '../db/index.ts';
import { adminHelpVisits, type AdminHelpVisitRow } from '../db/schema.ts';

export interface CategoryCount {
  courseId: string;
  category: string;
  visits: number;
}

export interface NewAdminHelpVisit {
  schoolId: string;
  courseId: string;
  beneficiaryId: string;
  visitedOn: string;
  category: string;
  outcome: string;
  recordedBy: string;
}

const visitsByBeneficiaryIds = builtOnce((db: HomeworkDb) =>
  db
    .select()
    .from(adminHelpVisits)
    .where(
      and(
        anyOf(adminHelpVisits.beneficiaryId, 'ids'),
        anyOf(adminHelpVisits.schoolId, 'schoolIds'),
      ),
    )
    .orderBy(desc(adminHelpVisits.visitedOn), desc(adminHelpVisits.recordedAt))
    .prepare('homework_admin_help_visits_by_beneficiary_ids'),
);
const categoryCounts = builtOnce((db: HomeworkDb) =>
  db
    .select({
      courseId: adminHelpVisits.courseId,
      category: adminHelpVisits.category,
      visits: sql<number>`count(*)`.mapWith(Number),
    })
    .from(adminHelpVisits)
    .where(
      and(
        anyOf(adminHelpVisits.courseId, 'courseIds'),
        lt(adminHelpVisits.visitedOn, sql.placeholder('before')),
      ),
    )
    .groupBy(adminHelpVisits.courseId, adminHelpVisits.category)
    .prepare('homework_admin_help_category_counts'),
);

export class AdminHelpRepository {
  constructor(private readonly db: HomeworkDb) {}

  /** The visits of these people recorded by these schools (the viewer's, see access.ts). */
  visitsByBeneficiaryIds(
    ids: readonly string[],
    schoolIds: readonly string[],
  ): Promise<AdminHelpVisitRow[]> {
    return visitsByBeneficiaryIds(this.db).execute({ ids: [...ids], schoolIds: [...schoolIds] });
  }

  /** Visits per course and category, counted in one grouped statement. */
  categoryCounts(courseIds: readonly string[], before: string): Promise<CategoryCount[]> {
    return categoryCounts(this.db).execute({ courseIds: [...courseIds], before });
  }

  /** Records a visit; the same person, course, day and category again replaces the outcome. */
  async record(visit: NewAdminHelpVisit): Promise<AdminHelpVisitRow> {
    const [row] = await this.db
      .insert(adminHelpVisits)
      .values(visit)
      .onConflictDoUpdate({
        target: [
          adminHelpVisits.courseId,
          adminHelpVisits.beneficiaryId,
          adminHelpVisits.visitedOn,
          adminHelpVisits.category,
        ],
        set: {
          outcome: sql`excluded.outcome`,
          recordedBy: sql`excluded.recorded_by`,
          recordedAt: sql`now()`,
        },
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    return row;
  }
}

import { anyOf, builtOnce, decodeCursor, encodeCursor } from '@passerelle/db';
import { badInput, toPage, type Page } from '@passerelle/service';
import { and, arrayContains, asc, count, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { NetworkDb } from '../db/index.ts';
import { courses, sites, type CourseRow } from '../db/schema.ts';

export interface CourseFilter {
  partnerId?: string | null;
  kind?: string | null;
  language?: string | null;
  municipality?: string | null;
  from?: string | null;
  to?: string | null;
}

export type NewCourse = Omit<CourseRow, 'id' | 'publishedAt'>;

const cursorOf = (row: CourseRow) => encodeCursor([row.startsOn, row.id]);

const coursesByIds = builtOnce((db: NetworkDb) =>
  db.select().from(courses).where(anyOf(courses.id, 'ids')).prepare('network_courses_by_ids'),
);

export class CourseRepository {
  constructor(private readonly db: NetworkDb) {}

  byIds(ids: readonly string[]): Promise<CourseRow[]> {
    return coursesByIds(this.db).execute({ ids: [...ids] });
  }

  async page(filter: CourseFilter, first: number, after?: string | null): Promise<Page<CourseRow>> {
    const where: SQL[] = [];
    if (filter.partnerId) where.push(eq(courses.partnerId, filter.partnerId));
    if (filter.kind) where.push(eq(courses.kind, filter.kind));
    if (filter.language) where.push(arrayContains(courses.languages, [filter.language]));
    if (filter.from) where.push(gte(courses.endsOn, filter.from));
    if (filter.to) where.push(lte(courses.startsOn, filter.to));
    if (filter.municipality) {
      where.push(
        inArray(
          courses.siteId,
          this.db
            .select({ id: sites.id })
            .from(sites)
            .where(eq(sites.municipality, filter.municipality)),
        ),
      );
    }
    const matching = and(...where);
    const pageWhere = [...where];
    if (after) {
      const key = decodeCursor(after, 2);
      if (!key) throw badInput('after is not a cursor of this list', 'after');
      pageWhere.push(
        sql`(${courses.startsOn}, ${courses.id}) > (${key[0]}::date, ${key[1]}::uuid)`,
      );
    }
    const rows = await this.db
      .select()
      .from(courses)
      .where(and(...pageWhere))
      .orderBy(asc(courses.startsOn), asc(courses.id))
      .limit(first + 1);
    return toPage(rows, first, cursorOf, async () => {
      const [total] = await this.db.select({ n: count() }).from(courses).where(matching);
      return total?.n ?? 0;
    });
  }

  async publish(course: NewCourse): Promise<CourseRow> {
    const [row] = await this.db.insert(courses).values(course).returning();
    if (!row) throw new Error('insert returned no row');
    return row;
  }
}

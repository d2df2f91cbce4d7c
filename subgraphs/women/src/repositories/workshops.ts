import { asc, inArray, sql } from 'drizzle-orm';
import type { WomenDb } from '../db/index.ts';
import {
  participations,
  workshops,
  workshopSessions,
  type WorkshopRow,
  type WorkshopSessionRow,
} from '../db/schema.ts';

export interface WorkshopCounts {
  workshopId: string;
  /** Participations that are not withdrawn. */
  participants: number;
  /** Children looked after for participants still coming (registered or attending). */
  childrenInCare: number;
}

/**
 * Head counts over participation rows, shared by the course facet and by registration so that
 * both count the same way: withdrawn women free their place, and childcare is held (one place
 * per child) only for those still coming.
 */
export const headCounts = {
  participants:
    sql<number>`count(*) filter (where ${participations.status} <> 'WITHDRAWN')`.mapWith(Number),
  childrenInCare:
    sql<number>`coalesce(sum(${participations.childrenCount}) filter (where ${participations.status} in ('REGISTERED', 'ATTENDING')), 0)`.mapWith(
      Number,
    ),
};

/** Workshops the served networks run: their childcare, sessions and head counts. */
export class WorkshopRepository {
  constructor(private readonly db: WomenDb) {}

  byCourseIds(ids: readonly string[]): Promise<WorkshopRow[]> {
    return this.db
      .select()
      .from(workshops)
      .where(inArray(workshops.courseId, [...ids]));
  }

  sessionsByWorkshopIds(ids: readonly string[]): Promise<WorkshopSessionRow[]> {
    return this.db
      .select()
      .from(workshopSessions)
      .where(inArray(workshopSessions.workshopId, [...ids]))
      .orderBy(asc(workshopSessions.startsAt));
  }

  /** Participants and children in care per workshop, counted in one grouped statement. */
  counts(ids: readonly string[]): Promise<WorkshopCounts[]> {
    return this.db
      .select({ workshopId: participations.workshopId, ...headCounts })
      .from(participations)
      .where(inArray(participations.workshopId, [...ids]))
      .groupBy(participations.workshopId);
  }
}

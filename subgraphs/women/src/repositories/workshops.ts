import { anyOf, builtOnce } from '@passerelle/db';
import { asc, eq, isNull, max, or, sql } from 'drizzle-orm';
import type { WomenDb } from '../db/index.ts';
import {
  participations,
  workshops,
  workshopSessions,
  type WorkshopRow,
  type WorkshopSessionRow,
} from '../db/schema.ts';

export interface WorkshopParticipants {
  workshopId: string;
  /** Participations that are not withdrawn (as `placesLeft` counts them). */
  participants: number;
}

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

const workshopsByCourseIds = builtOnce((db: WomenDb) =>
  db
    .select()
    .from(workshops)
    .where(anyOf(workshops.courseId, 'ids'))
    .prepare('women_workshops_by_course_ids'),
);

const sessionsByWorkshopIds = builtOnce((db: WomenDb) =>
  db
    .select()
    .from(workshopSessions)
    .where(anyOf(workshopSessions.workshopId, 'ids'))
    .orderBy(asc(workshopSessions.startsAt))
    .prepare('women_sessions_by_workshop_ids'),
);

const countsByWorkshopIds = builtOnce((db: WomenDb) =>
  db
    .select({ workshopId: participations.workshopId, ...headCounts })
    .from(participations)
    .where(anyOf(participations.workshopId, 'ids'))
    .groupBy(participations.workshopId)
    .prepare('women_counts_by_workshop_ids'),
);

/** Workshops the served networks run: their childcare, sessions and head counts. */
export class WorkshopRepository {
  constructor(private readonly db: WomenDb) {}

  byCourseIds(ids: readonly string[]): Promise<WorkshopRow[]> {
    return workshopsByCourseIds(this.db).execute({ ids: [...ids] });
  }

  sessionsByWorkshopIds(ids: readonly string[]): Promise<WorkshopSessionRow[]> {
    return sessionsByWorkshopIds(this.db).execute({ ids: [...ids] });
  }

  /** Participants and children in care per workshop, counted in one grouped statement. */
  counts(ids: readonly string[]): Promise<WorkshopCounts[]> {
    return countsByWorkshopIds(this.db).execute({ ids: [...ids] });
  }

  /**
   * Participants of every workshop still running from `dayStart` on (its last session ends at or
   * after it, or no session is planned yet), for workshops with at least one participant: one
   * grouped statement. Ordered by when the workshop ends (those without sessions last), then id.
   */
  participantsOfRunning(dayStart: Date): Promise<WorkshopParticipants[]> {
    const lastSessions = this.db
      .select({
        workshopId: workshopSessions.workshopId,
        endsAt: max(workshopSessions.endsAt).as('last_ends_at'),
      })
      .from(workshopSessions)
      .groupBy(workshopSessions.workshopId)
      .as('last_sessions');
    return this.db
      .select({ workshopId: participations.workshopId, participants: headCounts.participants })
      .from(participations)
      .leftJoin(lastSessions, eq(lastSessions.workshopId, participations.workshopId))
      .where(
        or(
          isNull(lastSessions.endsAt),
          sql`${lastSessions.endsAt} >= ${dayStart.toISOString()}::timestamptz`,
        ),
      )
      .groupBy(participations.workshopId, lastSessions.endsAt)
      .having(sql`${headCounts.participants} > 0`)
      .orderBy(sql`${lastSessions.endsAt} asc nulls last`, asc(participations.workshopId));
  }
}

// Club sessions: the next ones per club and how many tutors lead them.
import { and, asc, countDistinct, gte, inArray, lte, sql } from 'drizzle-orm';
import type { HomeworkDb } from '../db/index.ts';
import { clubSessions, type ClubSessionRow } from '../db/schema.ts';

/** The most sessions `upcomingSessions` may return per club. */
export const MAX_UPCOMING = 50;

export interface TutorCount {
  clubId: string;
  tutors: number;
}

export class SessionRepository {
  constructor(private readonly db: HomeworkDb) {}

  /** The next sessions of each club from `from` on, at most MAX_UPCOMING per club, in one statement. */
  async upcomingByClubIds(ids: readonly string[], from: Date): Promise<ClubSessionRow[]> {
    const ranked = this.db
      .select({
        id: clubSessions.id,
        clubId: clubSessions.clubId,
        startsAt: clubSessions.startsAt,
        endsAt: clubSessions.endsAt,
        tutorId: clubSessions.tutorId,
        topic: clubSessions.topic,
        rank: sql<number>`row_number() over (partition by ${clubSessions.clubId} order by ${clubSessions.startsAt})`.as(
          'rank',
        ),
      })
      .from(clubSessions)
      .where(and(inArray(clubSessions.clubId, [...ids]), gte(clubSessions.startsAt, from)))
      .as('ranked');
    const rows = await this.db
      .select({
        id: ranked.id,
        clubId: ranked.clubId,
        startsAt: ranked.startsAt,
        endsAt: ranked.endsAt,
        tutorId: ranked.tutorId,
        topic: ranked.topic,
      })
      .from(ranked)
      .where(lte(ranked.rank, MAX_UPCOMING))
      .orderBy(asc(ranked.startsAt));
    return rows;
  }

  /** Distinct tutors who lead at least one session, per club. */
  tutorCounts(clubIds: readonly string[]): Promise<TutorCount[]> {
    return this.db
      .select({ clubId: clubSessions.clubId, tutors: countDistinct(clubSessions.tutorId) })
      .from(clubSessions)
      .where(inArray(clubSessions.clubId, [...clubIds]))
      .groupBy(clubSessions.clubId);
  }
}

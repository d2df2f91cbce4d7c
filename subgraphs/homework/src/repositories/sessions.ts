// Club sessions: the next ones per club and how many tutors lead them.
import { anyOf, builtOnce } from '@passerelle/db';
import { and, asc, countDistinct, gte, lte, sql } from 'drizzle-orm';
import type { HomeworkDb } from '../db/index.ts';
import { clubSessions, type ClubSessionRow } from '../db/schema.ts';

/** The most sessions `upcomingSessions` may return per club. */
export const MAX_UPCOMING = 50;

export interface TutorCount {
  clubId: string;
  tutors: number;
}

const upcomingByClubIds = builtOnce((db: HomeworkDb) => {
  const ranked = db
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
    .where(
      and(anyOf(clubSessions.clubId, 'ids'), gte(clubSessions.startsAt, sql.placeholder('from'))),
    )
    .as('ranked');
  return db
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
    .orderBy(asc(ranked.startsAt))
    .prepare('homework_upcoming_sessions_by_club_ids');
});
const tutorCounts = builtOnce((db: HomeworkDb) =>
  db
    .select({ clubId: clubSessions.clubId, tutors: countDistinct(clubSessions.tutorId) })
    .from(clubSessions)
    .where(anyOf(clubSessions.clubId, 'clubIds'))
    .groupBy(clubSessions.clubId)
    .prepare('homework_tutor_counts'),
);

export class SessionRepository {
  constructor(private readonly db: HomeworkDb) {}

  /** The next sessions of each club from `from` on, at most MAX_UPCOMING per club, in one statement. */
  upcomingByClubIds(ids: readonly string[], from: Date): Promise<ClubSessionRow[]> {
    // A placeholder's value skips the column's encoding; this is how the column sends a Date.
    return upcomingByClubIds(this.db).execute({ ids: [...ids], from: from.toISOString() });
  }

  /** Distinct tutors who lead at least one session, per club. */
  tutorCounts(clubIds: readonly string[]): Promise<TutorCount[]> {
    return tutorCounts(this.db).execute({ clubIds: [...clubIds] });
  }
}

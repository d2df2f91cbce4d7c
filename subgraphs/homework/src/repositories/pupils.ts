// Pupils, their club memberships and presence, and enrolling a child in a club.
import { and, asc, desc, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { HomeworkDb } from '../db/index.ts';
import {
  clubMemberships,
  clubs,
  clubSessions,
  pupils,
  sessionPresence,
  type ClubMembershipRow,
  type ClubSessionRow,
  type PupilRow,
  type SessionPresenceRow,
} from '../db/schema.ts';

export interface PresenceWithSession extends SessionPresenceRow {
  membershipId: string;
  session: ClubSessionRow;
}

export interface PresenceRate {
  membershipId: string;
  /** Share of the recorded sessions the child came to, from 0 to 1. */
  rate: number;
}

export interface MemberCount {
  clubId: string;
  pupils: number;
}

export interface NewPupilEnrollment {
  schoolId: string;
  clubId: string;
  beneficiaryId: string;
  grade: string;
  schoolYear: string;
  guardianBeneficiaryId: string | null;
  guardianName: string | null;
  guardianRelation: string;
  consentGivenOn: string;
  consentMethod: string;
  joinedOn: string;
  /** The club's capacity, from the network directory. */
  capacity: number;
  /** Today in Brussels: memberships left before it no longer count. */
  today: string;
  enrolledBy: string;
}

export type EnrollmentOutcome =
  | { kind: 'enrolled' | 'existing'; pupil: PupilRow; membership: ClubMembershipRow }
  | { kind: 'full' }
  | { kind: 'no-club' };

/** A membership that still holds a place on `today`: not left, or leaving later. */
const stillMember = (today: string) =>
  or(isNull(clubMemberships.leftOn), gt(clubMemberships.leftOn, today));

/** A presence row of the membership's pupil, at a session of the membership's club. */
const pupilAtSession = and(
  eq(sessionPresence.sessionId, clubSessions.id),
  eq(sessionPresence.pupilId, clubMemberships.pupilId),
);

/** The share of a group's presence rows where the child came, in float8: no integer division. */
const presentShare =
  sql<number>`(count(*) filter (where ${sessionPresence.present}))::float8 / count(*)`.mapWith(
    Number,
  );

export class PupilRepository {
  constructor(private readonly db: HomeworkDb) {}

  /** The pupil records of these people kept by these schools (the viewer's, see access.ts). */
  byBeneficiaryIds(ids: readonly string[], schoolIds: readonly string[]): Promise<PupilRow[]> {
    return this.db
      .select()
      .from(pupils)
      .where(and(inArray(pupils.beneficiaryId, [...ids]), inArray(pupils.schoolId, [...schoolIds])))
      .orderBy(asc(pupils.createdAt));
  }

  membershipsByPupilIds(ids: readonly string[]): Promise<ClubMembershipRow[]> {
    return this.db
      .select()
      .from(clubMemberships)
      .where(inArray(clubMemberships.pupilId, [...ids]))
      .orderBy(desc(clubMemberships.joinedOn));
  }

  /** Presence of each membership's pupil at its club's sessions, in time order. */
  async presenceByMembershipIds(ids: readonly string[]): Promise<PresenceWithSession[]> {
    const rows = await this.db
      .select({
        membershipId: clubMemberships.id,
        presence: sessionPresence,
        session: clubSessions,
      })
      .from(clubMemberships)
      .innerJoin(clubSessions, eq(clubSessions.clubId, clubMemberships.clubId))
      .innerJoin(sessionPresence, pupilAtSession)
      .where(inArray(clubMemberships.id, [...ids]))
      .orderBy(asc(clubSessions.startsAt));
    return rows.map((row) => ({
      ...row.presence,
      membershipId: row.membershipId,
      session: row.session,
    }));
  }

  /**
   * The share of its club's recorded sessions each membership's pupil came to, in one grouped
   * statement; a membership without any recorded session has no row.
   */
  presenceRates(ids: readonly string[]): Promise<PresenceRate[]> {
    return this.db
      .select({
        membershipId: clubMemberships.id,
        rate: presentShare,
      })
      .from(clubMemberships)
      .innerJoin(clubSessions, eq(clubSessions.clubId, clubMemberships.clubId))
      .innerJoin(sessionPresence, pupilAtSession)
      .where(inArray(clubMemberships.id, [...ids]))
      .groupBy(clubMemberships.id);
  }

  /** Children attending each club on `today`, counted in one grouped statement. */
  memberCounts(clubIds: readonly string[], today: string): Promise<MemberCount[]> {
    return this.db
      .select({ clubId: clubMemberships.clubId, pupils: sql<number>`count(*)`.mapWith(Number) })
      .from(clubMemberships)
      .where(
        and(
          inArray(clubMemberships.clubId, [...clubIds]),
          lte(clubMemberships.joinedOn, today),
          stillMember(today),
        ),
      )
      .groupBy(clubMemberships.clubId);
  }

  /**
   * Enrolls a child in a club, or returns their current membership. The club row is locked so
   * that two enrollments racing for the last place, or for the same child, cannot both pass.
   */
  enroll(input: NewPupilEnrollment): Promise<EnrollmentOutcome> {
    return this.db.transaction(async (tx): Promise<EnrollmentOutcome> => {
      const [club] = await tx
        .select({ courseId: clubs.courseId })
        .from(clubs)
        .where(and(eq(clubs.courseId, input.clubId), eq(clubs.schoolId, input.schoolId)))
        .for('update');
      if (!club) return { kind: 'no-club' };

      const [pupil] = await tx
        .select()
        .from(pupils)
        .where(
          and(eq(pupils.schoolId, input.schoolId), eq(pupils.beneficiaryId, input.beneficiaryId)),
        )
        .for('update');
      if (pupil) {
        const [current] = await tx
          .select()
          .from(clubMemberships)
          .where(
            and(
              eq(clubMemberships.clubId, input.clubId),
              eq(clubMemberships.pupilId, pupil.id),
              stillMember(input.today),
            ),
          )
          .orderBy(desc(clubMemberships.joinedOn))
          .limit(1);
        if (current) return { kind: 'existing', pupil, membership: current };
      }

      const [taken] = await tx
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(clubMemberships)
        .where(and(eq(clubMemberships.clubId, input.clubId), stillMember(input.today)));
      if ((taken?.n ?? 0) >= input.capacity) return { kind: 'full' };

      const details = {
        grade: input.grade,
        schoolYear: input.schoolYear,
        guardianBeneficiaryId: input.guardianBeneficiaryId,
        guardianName: input.guardianName,
        guardianRelation: input.guardianRelation,
        guardianConsentGivenOn: input.consentGivenOn,
        guardianConsentMethod: input.consentMethod,
        guardianConsentRecordedBy: input.enrolledBy,
        guardianConsentWithdrawnOn: null,
      };
      // An upsert, so that a first enrollment racing in two clubs of the school cannot fail.
      const [saved] = await tx
        .insert(pupils)
        .values({ ...details, schoolId: input.schoolId, beneficiaryId: input.beneficiaryId })
        .onConflictDoUpdate({
          target: [pupils.schoolId, pupils.beneficiaryId],
          set: { ...details, updatedAt: sql`now()` },
        })
        .returning();
      if (!saved) throw new Error('pupil write returned no row');

      const [membership] = await tx
        .insert(clubMemberships)
        .values({
          clubId: input.clubId,
          pupilId: saved.id,
          joinedOn: input.joinedOn,
          enrolledBy: input.enrolledBy,
        })
        .returning();
      if (!membership) throw new Error('membership insert returned no row');
      return { kind: 'enrolled', pupil: saved, membership };
    });
  }
}

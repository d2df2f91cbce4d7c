// Pupils, their club memberships and presence, and enrolling a child in a club.
import { anyOf, builtOnce } from '@passerelle/db';
import { and, asc, desc, eq, gt, isNull, lte, or, sql, type SQLWrapper } from 'drizzle-orm';
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
const stillMember = (today: string | SQLWrapper) =>
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

const pupilsByBeneficiaryIds = builtOnce((db: HomeworkDb) =>
  db
    .select()
    .from(pupils)
    .where(and(anyOf(pupils.beneficiaryId, 'ids'), anyOf(pupils.schoolId, 'schoolIds')))
    .orderBy(asc(pupils.createdAt))
    .prepare('homework_pupils_by_beneficiary_ids'),
);
const membershipsByPupilIds = builtOnce((db: HomeworkDb) =>
  db
    .select()
    .from(clubMemberships)
    .where(anyOf(clubMemberships.pupilId, 'ids'))
    .orderBy(desc(clubMemberships.joinedOn))
    .prepare('homework_memberships_by_pupil_ids'),
);
const presenceByMembershipIds = builtOnce((db: HomeworkDb) =>
  db
    .select({
      membershipId: clubMemberships.id,
      presence: sessionPresence,
      session: clubSessions,
    })
    .from(clubMemberships)
    .innerJoin(clubSessions, eq(clubSessions.clubId, clubMemberships.clubId))
    .innerJoin(sessionPresence, pupilAtSession)
    .where(anyOf(clubMemberships.id, 'ids'))
    .orderBy(asc(clubSessions.startsAt))
    .prepare('homework_presence_by_membership_ids'),
);
const presenceRates = builtOnce((db: HomeworkDb) =>
  db
    .select({
      membershipId: clubMemberships.id,
      rate: presentShare,
    })
    .from(clubMemberships)
    .innerJoin(clubSessions, eq(clubSessions.clubId, clubMemberships.clubId))
    .innerJoin(sessionPresence, pupilAtSession)
    .where(anyOf(clubMemberships.id, 'ids'))
    .groupBy(clubMemberships.id)
    .prepare('homework_presence_rates'),
);
const memberCounts = builtOnce((db: HomeworkDb) =>
  db
    .select({ clubId: clubMemberships.clubId, pupils: sql<number>`count(*)`.mapWith(Number) })
    .from(clubMemberships)
    .where(
      and(
        anyOf(clubMemberships.clubId, 'clubIds'),
        lte(clubMemberships.joinedOn, sql.placeholder('today')),
        stillMember(sql.placeholder('today')),
      ),
    )
    .groupBy(clubMemberships.clubId)
    .prepare('homework_member_counts'),
);

export class PupilRepository {
  constructor(private readonly db: HomeworkDb) {}

  /** The pupil records of these people kept by these schools (the viewer's, see access.ts). */
  byBeneficiaryIds(ids: readonly string[], schoolIds: readonly string[]): Promise<PupilRow[]> {
    return pupilsByBeneficiaryIds(this.db).execute({ ids: [...ids], schoolIds: [...schoolIds] });
  }

  membershipsByPupilIds(ids: readonly string[]): Promise<ClubMembershipRow[]> {
    return membershipsByPupilIds(this.db).execute({ ids: [...ids] });
  }

  /** Presence of each membership's pupil at its club's sessions, in time order. */
  async presenceByMembershipIds(ids: readonly string[]): Promise<PresenceWithSession[]> {
    const rows = await presenceByMembershipIds(this.db).execute({ ids: [...ids] });
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
    return presenceRates(this.db).execute({ ids: [...ids] });
  }

  /** Children attending each club on `today`, counted in one grouped statement. */
  memberCounts(clubIds: readonly string[], today: string): Promise<MemberCount[]> {
    return memberCounts(this.db).execute({ clubIds: [...clubIds], today });
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

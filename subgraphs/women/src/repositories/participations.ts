import { anyOf, builtOnce } from '@passerelle/db';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { WomenDb } from '../db/index.ts';
import {
  participations,
  sessionAttendance,
  workshops,
  workshopSessions,
  type ParticipationRow,
  type SessionAttendanceRow,
  type WorkshopSessionRow,
} from '../db/schema.ts';
import { headCounts } from './workshops.ts';

export interface AttendanceWithSession extends SessionAttendanceRow {
  session: WorkshopSessionRow;
}

export interface NewParticipation {
  workshopId: string;
  networkId: string;
  beneficiaryId: string;
  childcareNeeded: boolean;
  childrenCount: number;
  /** The workshop's capacity, from the network directory. */
  capacity: number;
  registeredBy: string;
  /** The network referral she is registered from; null when registered directly. */
  referralId: string | null;
  /** Today in Brussels: the day she registers. */
  registeredOn: string;
}

/** Participations of women still coming to the workshop. */
const STILL_COMING: readonly string[] = ['REGISTERED', 'ATTENDING'];

/** What registering produced: a participation (new or existing), or which limit was reached. */
export type Registration =
  | { outcome: 'registered' | 'existing'; participation: ParticipationRow }
  | { outcome: 'workshop-full' }
  | { outcome: 'childcare-full'; childcarePlacesLeft: number };

const participationsByBeneficiaryIds = builtOnce((db: WomenDb) =>
  db
    .select()
    .from(participations)
    .where(anyOf(participations.beneficiaryId, 'ids'))
    .orderBy(desc(participations.registeredOn), asc(participations.id))
    .prepare('women_participations_by_beneficiary_ids'),
);

const attendanceByParticipationIds = builtOnce((db: WomenDb) =>
  db
    .select({ attendance: sessionAttendance, session: workshopSessions })
    .from(sessionAttendance)
    .innerJoin(workshopSessions, eq(workshopSessions.id, sessionAttendance.sessionId))
    .where(anyOf(sessionAttendance.participationId, 'ids'))
    .orderBy(asc(workshopSessions.startsAt))
    .prepare('women_attendance_by_participation_ids'),
);

/** Women's participations in workshops, and their attendance. */
export class ParticipationRepository {
  constructor(private readonly db: WomenDb) {}

  byBeneficiaryIds(ids: readonly string[]): Promise<ParticipationRow[]> {
    return participationsByBeneficiaryIds(this.db).execute({ ids: [...ids] });
  }

  /** Attendance of each participation at its workshop's sessions, in time order. */
  async attendanceByParticipationIds(ids: readonly string[]): Promise<AttendanceWithSession[]> {
    const rows = await attendanceByParticipationIds(this.db).execute({ ids: [...ids] });
    return rows.map((row) => ({ ...row.attendance, session: row.session }));
  }

  /**
   * Registers a woman in a workshop, or returns her existing participation: one still coming that
   * came from no referral records the one given; one she withdrew from is taken up again, under
   * the same limits as a new one. The workshop row is locked so that two registrations racing for
   * the last place (or the last childcare places) cannot both take it.
   */
  register(input: NewParticipation): Promise<Registration> {
    return this.db.transaction(async (tx): Promise<Registration> => {
      const [workshop] = await tx
        .select()
        .from(workshops)
        .where(
          and(eq(workshops.courseId, input.workshopId), eq(workshops.networkId, input.networkId)),
        )
        .for('update');
      if (!workshop) throw new Error('workshop vanished during registration');

      const [existing] = await tx
        .select()
        .from(participations)
        .where(
          and(
            eq(participations.workshopId, input.workshopId),
            eq(participations.beneficiaryId, input.beneficiaryId),
          ),
        );
      if (existing && existing.status !== 'WITHDRAWN') {
        if (!input.referralId || existing.referralId || !STILL_COMING.includes(existing.status)) {
          return { outcome: 'existing', participation: existing };
        }
        const [linked] = await tx
          .update(participations)
          .set({ referralId: input.referralId, updatedAt: sql`now()` })
          .where(eq(participations.id, existing.id))
          .returning();
        return { outcome: 'existing', participation: linked ?? existing };
      }

      // A withdrawn participation holds no place: her own row counts for nothing here.
      const [taken] = await tx
        .select(headCounts)
        .from(participations)
        .where(eq(participations.workshopId, input.workshopId));
      if ((taken?.participants ?? 0) >= input.capacity) return { outcome: 'workshop-full' };
      if (input.childcareNeeded) {
        const left = Math.max(0, workshop.childcarePlaces - (taken?.childrenInCare ?? 0));
        if (input.childrenCount > left)
          return { outcome: 'childcare-full', childcarePlacesLeft: left };
      }

      const fields = {
        status: 'REGISTERED' as const,
        registeredOn: input.registeredOn,
        childcareNeeded: input.childcareNeeded,
        childrenCount: input.childcareNeeded ? input.childrenCount : 0,
        registeredBy: input.registeredBy,
        referralId: input.referralId,
      };
      const [row] = existing
        ? await tx
            .update(participations)
            .set({ ...fields, updatedAt: sql`now()` })
            .where(eq(participations.id, existing.id))
            .returning()
        : await tx
            .insert(participations)
            .values({
              workshopId: input.workshopId,
              networkId: input.networkId,
              beneficiaryId: input.beneficiaryId,
              ...fields,
            })
            .returning();
      if (!row) throw new Error('participation write returned no row');
      return { outcome: 'registered', participation: row };
    });
  }
}

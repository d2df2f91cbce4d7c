// Consents: recorded, listed, withdrawn; and the live ones that open a person's data to the
// calling viewer. "Live" is decided in SQL at the time of the request, so a withdrawal or an
// expiry takes effect on the very next request.
import type { Viewer } from '@passerelle/service';
import { and, desc, eq, gt, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { NetworkDb } from '../db/index.ts';
import { consents, type ConsentRow } from '../db/schema.ts';

export interface NewConsent {
  beneficiaryId: string;
  recipientPartnerId: string;
  categories: string[];
  purpose: string;
  method: string;
  noticeVersion: string;
  noticeLanguage: string;
  expiresAt: Date | null;
}

/** Consents in force now: not withdrawn, not expired. */
export const liveConsent = (): SQL =>
  and(
    isNull(consents.withdrawnAt),
    or(isNull(consents.expiresAt), gt(consents.expiresAt, sql`now()`)),
  )!;

/**
 * The live consents that concern `viewer`: those naming the viewer's partner, and for
 * coordinators those given for coordination. Null when none can.
 */
export function consentsConcerning(viewer: Viewer): SQL | null {
  if (viewer.role === 'coordinator')
    return and(liveConsent(), eq(consents.purpose, 'COORDINATION'))!;
  if (viewer.partner && ['staff', 'partner_admin', 'volunteer'].includes(viewer.role)) {
    return and(liveConsent(), eq(consents.recipientPartnerId, viewer.partner))!;
  }
  return null;
}

export class ConsentRepository {
  constructor(private readonly db: NetworkDb) {}

  byIds(ids: readonly string[]): Promise<ConsentRow[]> {
    return this.db
      .select()
      .from(consents)
      .where(inArray(consents.id, [...ids]));
  }

  /** Every consent of the given people, withdrawn and expired ones included, newest first. */
  byBeneficiaryIds(ids: readonly string[]): Promise<ConsentRow[]> {
    return this.db
      .select()
      .from(consents)
      .where(inArray(consents.beneficiaryId, [...ids]))
      .orderBy(desc(consents.recordedAt));
  }

  /** The live consents of the given people that concern `viewer`. */
  grantsFor(viewer: Viewer, ids: readonly string[]): Promise<ConsentRow[]> {
    const concerning = consentsConcerning(viewer);
    if (!concerning) return Promise.resolve([]);
    return this.db
      .select()
      .from(consents)
      .where(and(inArray(consents.beneficiaryId, [...ids]), concerning));
  }

  async record(consent: NewConsent, by: { sub: string; partnerId: string }): Promise<ConsentRow> {
    const [row] = await this.db
      .insert(consents)
      .values({ ...consent, recordedBySub: by.sub, recordedByPartnerId: by.partnerId })
      .returning();
    if (!row) throw new Error('insert returned no row');
    return row;
  }

  /** Withdraws a consent; withdrawing again keeps the first withdrawal. */
  async withdraw(id: string, bySub: string): Promise<ConsentRow | null> {
    const [row] = await this.db
      .update(consents)
      .set({
        withdrawnAt: sql`coalesce(${consents.withdrawnAt}, now())`,
        withdrawnBySub: sql`coalesce(${consents.withdrawnBySub}, ${bySub})`,
      })
      .where(eq(consents.id, id))
      .returning();
    return row ?? null;
  }
}

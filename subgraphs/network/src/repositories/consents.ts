// Consents: recorded, listed, withdrawn; and the live ones that open a person's data to the
// calling viewer. "Live" is decided in SQL at the instant of the request (the subgraph's clock),
// so a withdrawal, an expiry or a referral's missed deadline takes effect on the very next request.
import { anyOf, builtOnce } from '@passerelle/db';
import type { Clock, Viewer } from '@passerelle/service';
import { and, desc, eq, isNull, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { NetworkDb } from '../db/index.ts';
import { consents, referrals, type ConsentRow } from '../db/schema.ts';
import { sameRetry, type Registered, type Retry } from './retries.ts';

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

/** The instant a statement decides at: `at` placed in a prepared statement, bound to `now`. */
export const NOW = sql.placeholder('now');

/** `instant` as a value of a statement built for one call. */
export const instant = (at: Date): SQL => sql`${at.toISOString()}`;

/**
 * Consents in force at `now` (an ISO instant, `NOW` in prepared statements): not withdrawn, not
 * expired, and not held by a referral whose receiver let its deadline pass without an answer.
 * Such a referral expires, and its consent with it, at the next read of referrals; until then
 * its consent must open nothing, whatever is read first.
 */
const liveConsent = (now: SQLWrapper): SQL =>
  and(
    isNull(consents.withdrawnAt),
    or(isNull(consents.expiresAt), sql`${consents.expiresAt} > ${now}::timestamptz`),
    sql`not exists (select 1 from ${referrals} where ${referrals.consentId} = ${consents.id}
      and ${referrals.status} in ('SENT', 'ACKNOWLEDGED')
      and ${referrals.respondBy} <= ${now}::timestamptz)`,
  )!;

/** Which live consents concern a viewer, the same for every viewer of one kind. */
export type Concern = 'coordination' | 'partner';

/**
 * For coordinators the consents given for coordination, for a partner's staff, admins and
 * volunteers those naming their partner; nobody else's.
 */
export function concernOf(viewer: Viewer): Concern | null {
  if (viewer.role === 'coordinator') return 'coordination';
  if (viewer.partner && ['staff', 'partner_admin', 'volunteer'].includes(viewer.role))
    return 'partner';
  return null;
}

/**
 * The consents of a concern live at `now`; `partner` is the viewer's partner, or a placeholder
 * for it.
 */
export function concerning(concern: Concern, partner: string | SQLWrapper, now: SQLWrapper): SQL {
  return concern === 'coordination'
    ? and(liveConsent(now), eq(consents.purpose, 'COORDINATION'))!
    : and(liveConsent(now), eq(consents.recipientPartnerId, partner))!;
}

const consentsByIds = builtOnce((db: NetworkDb) =>
  db.select().from(consents).where(anyOf(consents.id, 'ids')).prepare('network_consents_by_ids'),
);
const consentsOfPeople = builtOnce((db: NetworkDb) =>
  db
    .select()
    .from(consents)
    .where(anyOf(consents.beneficiaryId, 'ids'))
    .orderBy(desc(consents.recordedAt))
    .prepare('network_consents_of_people'),
);
const grantsOfPeople = {
  coordination: builtOnce((db: NetworkDb) =>
    db
      .select()
      .from(consents)
      .where(and(anyOf(consents.beneficiaryId, 'ids'), concerning('coordination', '', NOW)))
      .prepare('network_coordination_grants_of_people'),
  ),
  partner: builtOnce((db: NetworkDb) =>
    db
      .select()
      .from(consents)
      .where(
        and(
          anyOf(consents.beneficiaryId, 'ids'),
          concerning('partner', sql.placeholder('partner'), NOW),
        ),
      )
      .prepare('network_partner_grants_of_people'),
  ),
};

export class ConsentRepository {
  constructor(
    private readonly db: NetworkDb,
    private readonly clock: Clock,
  ) {}

  byIds(ids: readonly string[]): Promise<ConsentRow[]> {
    return consentsByIds(this.db).execute({ ids: [...ids] });
  }

  /** Every consent of the given people, withdrawn and expired ones included, newest first. */
  byBeneficiaryIds(ids: readonly string[]): Promise<ConsentRow[]> {
    return consentsOfPeople(this.db).execute({ ids: [...ids] });
  }

  /** The live consents of the given people that concern `viewer`. */
  grantsFor(viewer: Viewer, ids: readonly string[]): Promise<ConsentRow[]> {
    const concern = concernOf(viewer);
    if (!concern) return Promise.resolve([]);
    return grantsOfPeople[concern](this.db).execute({
      ids: [...ids],
      partner: viewer.partner,
      now: this.clock.now().toISOString(),
    });
  }

  /**
   * Records a consent. A retried recording (same partner and idempotency key) returns the consent
   * first recorded when the input is the same, withdrawn since or not, and `mismatch` when it
   * differs.
   */
  async record(
    consent: NewConsent,
    by: { sub: string; partnerId: string },
    retry: Retry | null,
  ): Promise<Registered<ConsentRow>> {
    const [row] = await this.db
      .insert(consents)
      .values({
        ...consent,
        recordedBySub: by.sub,
        recordedByPartnerId: by.partnerId,
        idempotencyKey: retry?.key,
        payloadHash: retry?.hash,
      })
      .onConflictDoNothing({ target: [consents.recordedByPartnerId, consents.idempotencyKey] })
      .returning();
    if (row) return { kind: 'created', row };
    if (!retry) throw new Error('a consent without a key conflicted');
    const earlier = await this.retried(by.partnerId, retry);
    if (!earlier) throw new Error('idempotency conflict without a row');
    return earlier;
  }

  /**
   * What a recording with this key came to when the partner sent it before: the consent when the
   * input is the same, `mismatch` when it differs; null when the key is new.
   */
  async retried(partnerId: string, retry: Retry): Promise<Registered<ConsentRow> | null> {
    const [first] = await this.db
      .select()
      .from(consents)
      .where(
        and(eq(consents.recordedByPartnerId, partnerId), eq(consents.idempotencyKey, retry.key)),
      );
    return first ? sameRetry(first, retry) : null;
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

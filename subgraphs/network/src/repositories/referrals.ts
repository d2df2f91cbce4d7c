import { anyOf, builtOnce, decodeCursor, encodeCursor } from '@passerelle/db';
import { badInput, toPage, type Clock, type Page, type Viewer } from '@passerelle/service';
import {
  and,
  asc,
  count,
  desc,
  eq,
  exists,
  gt,
  gte,
  inArray,
  isNull,
  lt,
  or,
  sql,
  type SQL,
  type SQLWrapper,
} from 'drizzle-orm';
import type { NetworkDb } from '../db/index.ts';
import {
  beneficiaryLinks,
  consents,
  partners,
  referralEvents,
  referrals,
  type DigCompProgress,
  type ReferralEventRow,
  type ReferralRow,
} from '../db/schema.ts';
import { concernOf, concerning, instant, NOW, type Concern, type NewConsent } from './consents.ts';
import { sameRetry, type Registered } from './retries.ts';

export interface ReferralFilter {
  fromPartnerId?: string | null;
  toPartnerId?: string | null;
  status?: readonly string[] | null;
  beneficiaryId?: string | null;
  sentAfter?: Date | null;
  sentBefore?: Date | null;
}

export interface NewReferral {
  idempotencyKey: string;
  payloadHash: string;
  fromPartnerId: string;
  toPartnerId: string;
  beneficiaryId: string;
  courseId: string | null;
  reason: string;
  note: string | null;
  sentBy: string;
  consent: Omit<NewConsent, 'beneficiaryId' | 'recipientPartnerId' | 'purpose' | 'expiresAt'>;
}

export type CreateResult = Registered<ReferralRow>;

export type TransitionResult =
  | { kind: 'moved'; referral: ReferralRow }
  /** Someone changed the referral meanwhile, or its response deadline passed. */
  | { kind: 'conflict' }
  /** ACCEPT, and the person no longer consents to disclose to the receiver for a referral. */
  | { kind: 'no-consent' };

export interface Transition {
  referralId: string;
  fromStatus: string;
  toStatus: string;
  expectedVersion: number;
  actor: string;
  actorPartnerId: string;
  note: string | null;
  reasonCode?: string | null;
  outcome?: string | null;
  /** With COMPLETE: the DigComp levels the person reached. */
  digCompProgress?: DigCompProgress[];
  /**
   * An acceptance: the consent recorded with the referral must still be live (referrals recorded
   * with none are accepted as before); the person is then linked to the receiving partner.
   */
  accept?: boolean;
}

/** Every state of a referral, in the order of its life (DESIGN.md §5). */
export const REFERRAL_STATES = [
  'SENT',
  'ACKNOWLEDGED',
  'ACCEPTED',
  'DECLINED',
  'IN_PROGRESS',
  'ON_HOLD',
  'COMPLETED',
  'FAILED',
  'WITHDRAWN',
  'EXPIRED',
] as const;
export type ReferralState = (typeof REFERRAL_STATES)[number];

/** States a referral can still move out of; the sender may withdraw it from any of them. */
export const OPEN_STATES = ['SENT', 'ACKNOWLEDGED', 'ACCEPTED', 'IN_PROGRESS', 'ON_HOLD'] as const;
/** States in which the receiver still has to answer; past `respondBy` they become EXPIRED. */
export const AWAITING_ANSWER = ['SENT', 'ACKNOWLEDGED'] as const;
/** States a referral never leaves. */
export const FINAL_STATES = ['DECLINED', 'COMPLETED', 'FAILED', 'WITHDRAWN', 'EXPIRED'] as const;
/**
 * Final states that end a referral's consent when it was never accepted: the receiver did not take
 * the person on. A referral withdrawn after its acceptance keeps it, like a completed one.
 */
export const UNANSWERED_ENDS: readonly string[] = ['DECLINED', 'WITHDRAWN', 'EXPIRED'];

const DAY_MS = 86_400_000;

/** Thrown inside a creation to roll its consent back when the idempotency key is taken. */
class KeyAlreadyUsed extends Error {}
/** Thrown inside an acceptance to roll it back when the referral's consent is no longer live. */
class ConsentEnded extends Error {}

const cursorOf = (row: ReferralRow) => encodeCursor([row.sentAt.toISOString(), row.id]);

/**
 * Whose referrals a viewer reads: a partner's staff and partner admins, and coordinators. Not
 * volunteers, who see the least (DESIGN.md §4.3): a referral's reason and notes are case talk
 * between the two partners' staff.
 */
function referralConcernOf(viewer: Viewer): Concern | null {
  return viewer.role === 'volunteer' ? null : concernOf(viewer);
}

/**
 * Which referrals a viewer may read: those its partner sent or received; for coordinators those
 * whose person gave a live coordination consent. Nobody else reads any (`referralConcernOf` is
 * null). `partner` is the viewer's partner, or a placeholder for it; `now` the instant consents
 * are live at.
 */
function visibleTo(
  db: NetworkDb,
  concern: Concern,
  partner: string | SQLWrapper,
  now: SQLWrapper,
): SQL {
  if (concern === 'coordination') {
    return exists(
      db
        .select({ one: sql`1` })
        .from(consents)
        .where(
          and(eq(consents.beneficiaryId, referrals.beneficiaryId), concerning(concern, '', now)),
        ),
    );
  }
  return or(eq(referrals.fromPartnerId, partner), eq(referrals.toPartnerId, partner))!;
}

const visibleByIds = {
  coordination: builtOnce((db: NetworkDb) =>
    db
      .select()
      .from(referrals)
      .where(and(anyOf(referrals.id, 'ids'), visibleTo(db, 'coordination', '', NOW)))
      .prepare('network_referrals_by_ids_for_coordination'),
  ),
  partner: builtOnce((db: NetworkDb) =>
    db
      .select()
      .from(referrals)
      .where(
        and(anyOf(referrals.id, 'ids'), visibleTo(db, 'partner', sql.placeholder('partner'), NOW)),
      )
      .prepare('network_referrals_by_ids_for_partner'),
  ),
};
const eventsOfReferrals = builtOnce((db: NetworkDb) =>
  db
    .select()
    .from(referralEvents)
    .where(anyOf(referralEvents.referralId, 'ids'))
    .orderBy(asc(referralEvents.referralId), asc(referralEvents.version))
    .prepare('network_events_of_referrals'),
);

export class ReferralRepository {
  constructor(
    private readonly db: NetworkDb,
    private readonly clock: Clock,
  ) {}

  /** Which referrals `viewer` may read (`visibleTo`). */
  visibleTo(viewer: Viewer): SQL {
    const concern = referralConcernOf(viewer);
    return concern
      ? visibleTo(this.db, concern, viewer.partner ?? '', instant(this.clock.now()))
      : sql`false`;
  }

  /**
   * Moves every referral still awaiting an answer past its `respondBy` to EXPIRED, as of its
   * deadline, with an event in the receiver's name and its consent ended, in one statement
   * (served by `referrals_status_idx`). Run before each read and transition of referrals, so nobody ever
   * sees an overdue open one.
   */
  async expireOverdue(): Promise<void> {
    const now = this.clock.now().toISOString();
    await this.db.execute(sql`
      with due as (
        select id, status from ${referrals}
        where ${referrals.status} in ('SENT', 'ACKNOWLEDGED')
          and ${referrals.respondBy} <= ${now}::timestamptz
        for update skip locked
      ), expired as (
        update ${referrals} as r
        set status = 'EXPIRED', version = r.version + 1, updated_at = r.respond_by,
          closed_at = r.respond_by
        from due
        where r.id = due.id and r.status = due.status
        returning r.id, r.version, r.respond_by, due.status as from_status, r.to_partner_id,
          r.consent_id
      ), ended as (
        update ${consents} as c
        set withdrawn_at = expired.respond_by, withdrawn_by_sub = 'system:referral-expired'
        from expired
        where c.id = expired.consent_id and c.withdrawn_at is null
      )
      insert into ${referralEvents} (referral_id, version, at, from_status, to_status, actor, actor_partner_id, note)
      select id, version, respond_by, from_status, 'EXPIRED', 'system:expiry', to_partner_id, 'No answer within the response deadline'
      from expired`);
  }

  async byIds(ids: readonly string[], viewer: Viewer): Promise<ReferralRow[]> {
    await this.expireOverdue();
    const concern = referralConcernOf(viewer);
    if (!concern) return [];
    return visibleByIds[concern](this.db).execute({
      ids: [...ids],
      partner: viewer.partner,
      now: this.clock.now().toISOString(),
    });
  }

  /**
   * Creates a referral, its SENT event and the person's REFERRAL consent naming the receiver,
   * in one transaction. A retried creation (same sender and idempotency key) returns the first
   * referral when the payload is the same, and `mismatch` when it differs; concurrent retries
   * meet at the unique index and only one inserts: the others roll back their consent.
   */
  async create(input: NewReferral): Promise<CreateResult> {
    const now = this.clock.now();
    try {
      return await this.db.transaction(async (tx): Promise<CreateResult> => {
        const [receiver] = await tx
          .select({ days: partners.responseDeadlineDays })
          .from(partners)
          .where(eq(partners.id, input.toPartnerId));
        if (!receiver) throw new Error('receiving partner vanished');
        const [consent] = await tx
          .insert(consents)
          .values({
            ...input.consent,
            beneficiaryId: input.beneficiaryId,
            recipientPartnerId: input.toPartnerId,
            purpose: 'REFERRAL',
            recordedBySub: input.sentBy,
            recordedByPartnerId: input.fromPartnerId,
            recordedAt: now,
          })
          .returning({ id: consents.id });
        const [row] = await tx
          .insert(referrals)
          .values({
            fromPartnerId: input.fromPartnerId,
            toPartnerId: input.toPartnerId,
            beneficiaryId: input.beneficiaryId,
            courseId: input.courseId,
            reason: input.reason,
            status: 'SENT',
            sentBy: input.sentBy,
            sentAt: now,
            updatedAt: now,
            respondBy: new Date(now.getTime() + receiver.days * DAY_MS),
            version: 1,
            idempotencyKey: input.idempotencyKey,
            payloadHash: input.payloadHash,
            consentId: consent!.id,
          })
          .onConflictDoNothing({ target: [referrals.fromPartnerId, referrals.idempotencyKey] })
          .returning();
        if (!row) throw new KeyAlreadyUsed();
        await tx.insert(referralEvents).values({
          referralId: row.id,
          version: row.version,
          at: row.sentAt,
          fromStatus: null,
          toStatus: 'SENT',
          actor: input.sentBy,
          actorPartnerId: input.fromPartnerId,
          note: input.note,
        });
        return { kind: 'created', row };
      });
    } catch (error) {
      if (!(error instanceof KeyAlreadyUsed)) throw error;
    }
    // The key was used before (or by a concurrent retry that committed first).
    await this.expireOverdue();
    const [existing] = await this.db
      .select()
      .from(referrals)
      .where(
        and(
          eq(referrals.fromPartnerId, input.fromPartnerId),
          eq(referrals.idempotencyKey, input.idempotencyKey),
        ),
      );
    return sameRetry(existing, { key: input.idempotencyKey, hash: input.payloadHash });
  }

  /**
   * Applies one transition in one transaction, under optimistic concurrency: the row changes
   * only if it still has the expected version and status, and, while it awaits an answer, its
   * response deadline has not passed. An ACCEPT then holds the live consent recorded with the
   * referral (a withdrawal waits for it, or is seen; the referral is locked first, as every
   * other step and the expiry lock it). A referral ending before it was accepted ends its consent.
   */
  async transition(t: Transition): Promise<TransitionResult> {
    const now = this.clock.now();
    try {
      return await this.db.transaction(async (tx): Promise<TransitionResult> => {
        const [row] = await tx
          .update(referrals)
          .set({
            status: t.toStatus,
            version: sql`${referrals.version} + 1`,
            updatedAt: now,
            ...(t.toStatus === 'ACKNOWLEDGED' ? { acknowledgedAt: now } : {}),
            ...(t.toStatus === 'ACCEPTED' ? { acceptedAt: now } : {}),
            ...((FINAL_STATES as readonly string[]).includes(t.toStatus) ? { closedAt: now } : {}),
            ...(t.reasonCode !== undefined ? { reasonCode: t.reasonCode } : {}),
            ...(t.outcome !== undefined ? { outcome: t.outcome } : {}),
            ...(t.digCompProgress !== undefined ? { digCompProgress: t.digCompProgress } : {}),
          })
          .where(
            and(
              eq(referrals.id, t.referralId),
              eq(referrals.version, t.expectedVersion),
              eq(referrals.status, t.fromStatus),
              (AWAITING_ANSWER as readonly string[]).includes(t.fromStatus)
                ? gt(referrals.respondBy, now)
                : undefined,
            ),
          )
          .returning();
        if (!row) return { kind: 'conflict' };
        if (t.accept && row.consentId) {
          const [live] = await tx
            .select({ id: consents.id })
            .from(consents)
            .where(
              and(
                eq(consents.id, row.consentId),
                eq(consents.purpose, 'REFERRAL'),
                concerning('partner', row.toPartnerId, instant(now)),
              ),
            )
            .for('share');
          if (!live) throw new ConsentEnded();
        }
        await tx.insert(referralEvents).values({
          referralId: row.id,
          version: row.version,
          at: row.updatedAt,
          fromStatus: t.fromStatus,
          toStatus: t.toStatus,
          actor: t.actor,
          actorPartnerId: t.actorPartnerId,
          note: t.note,
        });
        if (t.accept && row.beneficiaryId) {
          await tx
            .insert(beneficiaryLinks)
            .values({
              beneficiaryId: row.beneficiaryId,
              partnerId: row.toPartnerId,
              basis: 'REFERRAL',
              since: now,
            })
            .onConflictDoNothing();
        }
        if (UNANSWERED_ENDS.includes(t.toStatus) && !row.acceptedAt && row.consentId) {
          await tx
            .update(consents)
            .set({
              withdrawnAt: now,
              withdrawnBySub: `system:referral-${t.toStatus.toLowerCase()}`,
            })
            .where(and(eq(consents.id, row.consentId), isNull(consents.withdrawnAt)));
        }
        return { kind: 'moved', referral: row };
      });
    } catch (error) {
      if (error instanceof ConsentEnded) return { kind: 'no-consent' };
      throw error;
    }
  }

  eventsByReferralIds(ids: readonly string[]): Promise<ReferralEventRow[]> {
    return eventsOfReferrals(this.db).execute({ ids: [...ids] });
  }

  async page(
    viewer: Viewer,
    filter: ReferralFilter,
    first: number,
    after?: string | null,
  ): Promise<Page<ReferralRow>> {
    await this.expireOverdue();
    const where: SQL[] = [this.visibleTo(viewer)];
    if (filter.fromPartnerId) where.push(eq(referrals.fromPartnerId, filter.fromPartnerId));
    if (filter.toPartnerId) where.push(eq(referrals.toPartnerId, filter.toPartnerId));
    if (filter.status?.length) where.push(inArray(referrals.status, [...filter.status]));
    if (filter.beneficiaryId) where.push(eq(referrals.beneficiaryId, filter.beneficiaryId));
    if (filter.sentAfter) where.push(gte(referrals.sentAt, filter.sentAfter));
    if (filter.sentBefore) where.push(lt(referrals.sentAt, filter.sentBefore));
    const matching = and(...where);
    const pageWhere = [...where];
    if (after) {
      const key = decodeCursor(after, 2);
      if (!key) throw badInput('after is not a cursor of this list', 'after');
      pageWhere.push(
        sql`(${referrals.sentAt}, ${referrals.id}) < (${key[0]}::timestamptz, ${key[1]}::uuid)`,
      );
    }
    const rows = await this.db
      .select()
      .from(referrals)
      .where(and(...pageWhere))
      .orderBy(desc(referrals.sentAt), desc(referrals.id))
      .limit(first + 1);
    return toPage(rows, first, cursorOf, async () => {
      const [total] = await this.db.select({ n: count() }).from(referrals).where(matching);
      return total?.n ?? 0;
    });
  }
}

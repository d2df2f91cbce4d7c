import { anyOf, builtOnce, decodeCursor, encodeCursor } from '@passerelle/db';
import { badInput, toPage, type Clock, type Page, type Viewer } from '@passerelle/service';
import {
  and,
  asc,
  count,
  desc,
  eq,
  exists,
  gte,
  inArray,
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
import { concernOf, concerning, type Concern, type NewConsent } from './consents.ts';

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

export type CreateResult =
  | { kind: 'created'; referral: ReferralRow }
  | { kind: 'existing'; referral: ReferralRow }
  | { kind: 'mismatch' };

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
  /** Link the person to the receiving partner (an accepted referral). */
  linkReceiver?: boolean;
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

const DAY_MS = 86_400_000;

const cursorOf = (row: ReferralRow) => encodeCursor([row.sentAt.toISOString(), row.id]);

/**
 * Which referrals a viewer may read: those its partner sent or received; for coordinators those
 * whose person gave a live coordination consent. Nobody else reads any (`concernOf` is null).
 * `partner` is the viewer's partner, or a placeholder for it.
 */
function visibleTo(db: NetworkDb, concern: Concern, partner: string | SQLWrapper): SQL {
  if (concern === 'coordination') {
    return exists(
      db
        .select({ one: sql`1` })
        .from(consents)
        .where(and(eq(consents.beneficiaryId, referrals.beneficiaryId), concerning(concern, ''))),
    );
  }
  return or(eq(referrals.fromPartnerId, partner), eq(referrals.toPartnerId, partner))!;
}

const visibleByIds = {
  coordination: builtOnce((db: NetworkDb) =>
    db
      .select()
      .from(referrals)
      .where(and(anyOf(referrals.id, 'ids'), visibleTo(db, 'coordination', '')))
      .prepare('network_referrals_by_ids_for_coordination'),
  ),
  partner: builtOnce((db: NetworkDb) =>
    db
      .select()
      .from(referrals)
      .where(and(anyOf(referrals.id, 'ids'), visibleTo(db, 'partner', sql.placeholder('partner'))))
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
    const concern = concernOf(viewer);
    return concern ? visibleTo(this.db, concern, viewer.partner ?? '') : sql`false`;
  }

  /**
   * Moves every referral still awaiting an answer past its `respondBy` to EXPIRED, as of its
   * deadline, with an event in the receiver's name, in one statement (served by
   * `referrals_status_idx`). Run before each read and transition of referrals, so nobody ever
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
        returning r.id, r.version, r.respond_by, due.status as from_status, r.to_partner_id
      )
      insert into ${referralEvents} (referral_id, version, at, from_status, to_status, actor, actor_partner_id, note)
      select id, version, respond_by, from_status, 'EXPIRED', 'system:expiry', to_partner_id, 'No answer within the response deadline'
      from expired`);
  }

  async byIds(ids: readonly string[], viewer: Viewer): Promise<ReferralRow[]> {
    await this.expireOverdue();
    const concern = concernOf(viewer);
    if (!concern) return [];
    return visibleByIds[concern](this.db).execute({ ids: [...ids], partner: viewer.partner });
  }

  /**
   * Creates a referral, its SENT event and the person's REFERRAL consent naming the receiver,
   * in one transaction. A retried creation (same sender and idempotency key) returns the first
   * referral when the payload is the same, and `mismatch` when it differs; concurrent retries
   * meet at the unique index and only one inserts.
   */
  async create(input: NewReferral): Promise<CreateResult> {
    const now = this.clock.now();
    const result = await this.db.transaction(async (tx): Promise<CreateResult> => {
      const [receiver] = await tx
        .select({ days: partners.responseDeadlineDays })
        .from(partners)
        .where(eq(partners.id, input.toPartnerId));
      if (!receiver) throw new Error('receiving partner vanished');
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
        })
        .onConflictDoNothing({ target: [referrals.fromPartnerId, referrals.idempotencyKey] })
        .returning();
      if (!row) return { kind: 'mismatch' };
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
      await tx.insert(consents).values({
        ...input.consent,
        beneficiaryId: input.beneficiaryId,
        recipientPartnerId: input.toPartnerId,
        purpose: 'REFERRAL',
        recordedBySub: input.sentBy,
        recordedByPartnerId: input.fromPartnerId,
        recordedAt: now,
      });
      return { kind: 'created', referral: row };
    });
    if (result.kind === 'created') return result;
    // The key was used before (or by a concurrent retry that committed first).
    const [existing] = await this.db
      .select()
      .from(referrals)
      .where(
        and(
          eq(referrals.fromPartnerId, input.fromPartnerId),
          eq(referrals.idempotencyKey, input.idempotencyKey),
        ),
      );
    if (!existing) throw new Error('idempotency conflict without a row');
    return existing.payloadHash === input.payloadHash
      ? { kind: 'existing', referral: existing }
      : { kind: 'mismatch' };
  }

  /**
   * Applies one transition in one transaction, under optimistic concurrency: the row changes
   * only if it still has the expected version and status. Null when it did not (a conflict).
   */
  transition(t: Transition): Promise<ReferralRow | null> {
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
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
          ),
        )
        .returning();
      if (!row) return null;
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
      if (t.linkReceiver && row.beneficiaryId) {
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
      return row;
    });
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

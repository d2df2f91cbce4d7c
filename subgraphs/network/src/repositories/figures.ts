// The coordinators' figures on referrals: funnels, medians, reasons and backlog, each one SQL
// aggregate over `referrals` (milestone columns, `referrals_sent_idx` for the period), never
// rows loaded into JavaScript.
import { NETWORK_TIME_ZONE, type Clock, type Viewer } from '@passerelle/service';
import { and, desc, eq, gte, inArray, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { NetworkDb } from '../db/index.ts';
import { referrals } from '../db/schema.ts';
import { AWAITING_ANSWER, REFERRAL_STATES, type ReferralState } from './referrals.ts';

/**
 * Which referrals the figures count: those sent from the first day to the last day of the
 * period (`YYYY-MM-DD`, both included, in Brussels time), optionally between given partners.
 */
export interface FiguresScope {
  from: string;
  to: string;
  fromPartnerId?: string | null;
  toPartnerId?: string | null;
}

export type Granularity = 'WEEK' | 'MONTH';

export interface FunnelRow {
  sent: number;
  byStatus: Record<ReferralState, number>;
  acknowledged: number;
  accepted: number;
  /** Accepted referrals that have ended (completed, failed or withdrawn after acceptance). */
  acceptedEnded: number;
  medianSecondsToAcknowledge: number | null;
  medianSecondsToAccept: number | null;
  medianSecondsToComplete: number | null;
}

export interface ReasonRow {
  status: string;
  reasonCode: string;
  count: number;
}

export interface BacklogRow {
  partnerId: string;
  expired: number;
  awaitingAnswer: number;
  dueSoon: number;
}

// Days and weeks are cut in Brussels time, where every partner works.
const zone = sql.raw(`'${NETWORK_TIME_ZONE}'`);

/** The instant a Brussels day starts, as a constant the planner can use `referrals_sent_idx` with. */
const startOfDay = (day: string, plusDays = 0) =>
  sql`((${day}::date + ${plusDays}::int)::timestamp at time zone ${zone})`;

const seconds = (later: SQL | AnyPgColumn) =>
  sql`extract(epoch from (${later} - ${referrals.sentAt}))`;

const median = (value: SQL, filter?: SQL) =>
  sql<number | null>`percentile_cont(0.5) within group (order by ${value})${
    filter ? sql` filter (where ${filter})` : sql``
  }`.mapWith((v) => (v === null ? null : Number(v)));

const countWhere = (filter: SQL) => sql<number>`count(*) filter (where ${filter})`.mapWith(Number);

/** The aggregate columns of one funnel; the same for the whole network, a pair or a period. */
const funnelColumns = {
  sent: sql<number>`count(*)`.mapWith(Number),
  ...Object.fromEntries(
    REFERRAL_STATES.map((state) => [`status_${state}`, countWhere(eq(referrals.status, state))]),
  ),
  acknowledged: sql<number>`count(${referrals.acknowledgedAt})`.mapWith(Number),
  accepted: sql<number>`count(${referrals.acceptedAt})`.mapWith(Number),
  acceptedEnded: countWhere(and(isNotNull(referrals.acceptedAt), isNotNull(referrals.closedAt))!),
  medianSecondsToAcknowledge: median(seconds(referrals.acknowledgedAt)),
  medianSecondsToAccept: median(seconds(referrals.acceptedAt)),
  medianSecondsToComplete: median(seconds(referrals.closedAt), eq(referrals.status, 'COMPLETED')),
};

function toFunnel(row: Record<string, unknown>): FunnelRow {
  return {
    sent: row['sent'] as number,
    byStatus: Object.fromEntries(
      REFERRAL_STATES.map((state) => [state, row[`status_${state}`] as number]),
    ) as Record<ReferralState, number>,
    acknowledged: row['acknowledged'] as number,
    accepted: row['accepted'] as number,
    acceptedEnded: row['acceptedEnded'] as number,
    medianSecondsToAcknowledge: row['medianSecondsToAcknowledge'] as number | null,
    medianSecondsToAccept: row['medianSecondsToAccept'] as number | null,
    medianSecondsToComplete: row['medianSecondsToComplete'] as number | null,
  };
}

export class FiguresRepository {
  constructor(
    private readonly db: NetworkDb,
    private readonly clock: Clock,
  ) {}

  /**
   * The referrals the figures count for `viewer`: every referral for coordinators (figures carry
   * no personal data), the ones its partner sent or received for partner staff and admins.
   */
  private where(viewer: Viewer, scope: FiguresScope): SQL {
    const where: SQL[] = [
      gte(referrals.sentAt, startOfDay(scope.from)),
      lt(referrals.sentAt, startOfDay(scope.to, 1)),
    ];
    if (scope.fromPartnerId) where.push(eq(referrals.fromPartnerId, scope.fromPartnerId));
    if (scope.toPartnerId) where.push(eq(referrals.toPartnerId, scope.toPartnerId));
    if (viewer.role !== 'coordinator') {
      const partner = viewer.partner ?? '';
      where.push(or(eq(referrals.fromPartnerId, partner), eq(referrals.toPartnerId, partner))!);
    }
    return and(...where)!;
  }

  async total(viewer: Viewer, scope: FiguresScope): Promise<FunnelRow> {
    const [row] = await this.db
      .select(funnelColumns)
      .from(referrals)
      .where(this.where(viewer, scope));
    return toFunnel(row ?? { sent: 0 });
  }

  /** One funnel per sending → receiving pair, busiest pair first. */
  async byPair(
    viewer: Viewer,
    scope: FiguresScope,
  ): Promise<(FunnelRow & { fromPartnerId: string; toPartnerId: string })[]> {
    const rows = await this.db
      .select({
        fromPartnerId: referrals.fromPartnerId,
        toPartnerId: referrals.toPartnerId,
        ...funnelColumns,
      })
      .from(referrals)
      .where(this.where(viewer, scope))
      .groupBy(referrals.fromPartnerId, referrals.toPartnerId)
      .orderBy(desc(sql`count(*)`), referrals.fromPartnerId, referrals.toPartnerId);
    return rows.map((row) => ({
      ...toFunnel(row),
      fromPartnerId: row.fromPartnerId,
      toPartnerId: row.toPartnerId,
    }));
  }

  /**
   * One funnel per week (starting Monday) or month of the period, in Brussels time, oldest
   * first; periods without referrals are left out (the caller fills them with zeros).
   */
  async series(
    viewer: Viewer,
    scope: FiguresScope,
    granularity: Granularity,
  ): Promise<(FunnelRow & { start: string })[]> {
    const unit = granularity === 'WEEK' ? sql.raw(`'week'`) : sql.raw(`'month'`);
    const start = sql<string>`to_char(date_trunc(${unit}, ${referrals.sentAt} at time zone ${zone}), 'YYYY-MM-DD')`;
    const rows = await this.db
      .select({ start, ...funnelColumns })
      .from(referrals)
      .where(this.where(viewer, scope))
      .groupBy(sql`1`)
      .orderBy(sql`1`);
    return rows.map((row) => ({ ...toFunnel(row), start: row.start }));
  }

  /** Declines and failures by reason code, most frequent first. */
  async reasons(viewer: Viewer, scope: FiguresScope): Promise<ReasonRow[]> {
    return await this.db
      .select({
        status: referrals.status,
        reasonCode: sql<string>`${referrals.reasonCode}`,
        count: sql<number>`count(*)`.mapWith(Number),
      })
      .from(referrals)
      .where(
        and(
          this.where(viewer, scope),
          inArray(referrals.status, ['DECLINED', 'FAILED']),
          isNotNull(referrals.reasonCode),
        ),
      )
      .groupBy(referrals.status, referrals.reasonCode)
      .orderBy(desc(sql`count(*)`), referrals.status, referrals.reasonCode);
  }

  /**
   * Per receiving partner: the referrals of the period that went past their response deadline
   * unanswered, those still awaiting an answer, and how many of these are due within
   * `dueWithinMs` from now. Only partners with at least one of them, the most expired first.
   */
  async backlog(viewer: Viewer, scope: FiguresScope, dueWithinMs: number): Promise<BacklogRow[]> {
    const now = this.clock.now();
    const soon = new Date(now.getTime() + dueWithinMs);
    const awaiting = inArray(referrals.status, [...AWAITING_ANSWER]);
    const rows = await this.db
      .select({
        partnerId: referrals.toPartnerId,
        expired: countWhere(eq(referrals.status, 'EXPIRED')),
        awaitingAnswer: countWhere(awaiting),
        dueSoon: countWhere(and(awaiting, lt(referrals.respondBy, soon))!),
      })
      .from(referrals)
      .where(
        and(this.where(viewer, scope), inArray(referrals.status, ['EXPIRED', ...AWAITING_ANSWER])),
      )
      .groupBy(referrals.toPartnerId)
      .orderBy(
        desc(countWhere(eq(referrals.status, 'EXPIRED'))),
        desc(countWhere(awaiting)),
        referrals.toPartnerId,
      );
    return rows;
  }
}

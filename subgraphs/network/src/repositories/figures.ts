// The coordinators' figures on referrals: funnels, medians, reasons and backlog, each one SQL
// aggregate over `referrals` (milestone columns, `referrals_figures_idx` for the period), never
// rows loaded into JavaScript. An aggregate scans every referral of the period, so answers are
// kept per process for the version of the referrals they were computed at (see `FiguresMemo`).
import { NETWORK_TIME_ZONE, type Clock, type Viewer } from '@passerelle/service';
import { and, desc, eq, gte, inArray, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { NetworkDb } from '../db/index.ts';
import { referralFiguresVersion, referrals } from '../db/schema.ts';
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

/** A scope as of a version of the referrals (`FiguresRepository.version`). */
export interface FiguresVersion {
  scope: FiguresScope;
  version: number;
}

/**
 * The medians a funnel can carry. Each is a sort of the referrals it counts, the dearest part of
 * an aggregate, so a figure computes the ones the operation asks for only.
 */
export const MEDIANS = [
  'medianSecondsToAcknowledge',
  'medianSecondsToAccept',
  'medianSecondsToComplete',
] as const;
export type Median = (typeof MEDIANS)[number];

export interface FunnelRow {
  sent: number;
  byStatus: Record<ReferralState, number>;
  acknowledged: number;
  accepted: number;
  /** Accepted referrals that have ended (completed, failed or withdrawn after acceptance). */
  acceptedEnded: number;
  /** The medians computed, in seconds: those asked for; null when nothing was measured. */
  medians: Partial<Record<Median, number | null>>;
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

/** When a Brussels day starts: a constant the planner can use `referrals_figures_idx` with. */
const startOfDay = (day: string, plusDays = 0) =>
  sql`((${day}::date + ${plusDays}::int)::timestamp at time zone ${zone})`;

/**
 * Seconds between sending and `later`, as a double: `extract` gives a numeric since PostgreSQL
 * 14, which the medians sort and convert row by row (the totals took 29 ms instead of 16 on the
 * Brussels period).
 */
const seconds = (later: SQL | AnyPgColumn) =>
  sql`date_part('epoch', ${later} - ${referrals.sentAt})`;

const median = (value: SQL, filter?: SQL) =>
  sql<number | null>`percentile_cont(0.5) within group (order by ${value})${
    filter ? sql` filter (where ${filter})` : sql``
  }`.mapWith((v) => (v === null ? null : Number(v)));

const countWhere = (filter: SQL) => sql<number>`count(*) filter (where ${filter})`.mapWith(Number);

const MEDIAN_COLUMNS: Record<Median, SQL<number | null>> = {
  medianSecondsToAcknowledge: median(seconds(referrals.acknowledgedAt)),
  medianSecondsToAccept: median(seconds(referrals.acceptedAt)),
  medianSecondsToComplete: median(seconds(referrals.closedAt), eq(referrals.status, 'COMPLETED')),
};

/**
 * The aggregate columns of one funnel, the same for the whole network, a pair or a period: the
 * counts, and the medians in `medians`.
 */
function funnelColumns(medians: readonly Median[]) {
  return {
    sent: sql<number>`count(*)`.mapWith(Number),
    ...Object.fromEntries(
      REFERRAL_STATES.map((state) => [`status_${state}`, countWhere(eq(referrals.status, state))]),
    ),
    acknowledged: sql<number>`count(${referrals.acknowledgedAt})`.mapWith(Number),
    accepted: sql<number>`count(${referrals.acceptedAt})`.mapWith(Number),
    acceptedEnded: countWhere(and(isNotNull(referrals.acceptedAt), isNotNull(referrals.closedAt))!),
    ...Object.fromEntries(medians.map((name) => [name, MEDIAN_COLUMNS[name]])),
  };
}

function toFunnel(row: Record<string, unknown>, medians: readonly Median[]): FunnelRow {
  return {
    sent: row['sent'] as number,
    byStatus: Object.fromEntries(
      REFERRAL_STATES.map((state) => [state, row[`status_${state}`] as number]),
    ) as Record<ReferralState, number>,
    acknowledged: row['acknowledged'] as number,
    accepted: row['accepted'] as number,
    acceptedEnded: row['acceptedEnded'] as number,
    medians: Object.fromEntries(medians.map((name) => [name, row[name] as number | null])),
  };
}

/** The medians of `names` once each, in the order of MEDIANS: the columns and the memo key. */
const inOrder = (names: Iterable<Median>): Median[] => {
  const asked = new Set(names);
  return MEDIANS.filter((name) => asked.has(name));
};

/** How long a kept answer may be served: bounds how stale "due within 48 hours" can get. */
export const FIGURES_MAX_AGE_MS = 60_000;
/** How many answers a process keeps (scopes × figures); the oldest go first. */
const FIGURES_KEPT = 1_000;

/**
 * Answers computed at a version of the referrals. The version moves in the transaction of every
 * change to a referral (migration 0004), so an answer computed at the current version is the
 * answer: a dashboard reloaded by ten coordinators costs one small read instead of five scans.
 * The version is read before computing, so an answer is never older than the version it is kept
 * for; answers of another version are dropped as soon as that version is seen.
 */
class FiguresMemo {
  private version = -1;
  private readonly answers = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(private readonly clock: Clock) {}

  get<T>(version: number, key: string, compute: () => Promise<T>): Promise<T> {
    // Any other version, even a lower one (the table emptied and counted again), drops them all.
    if (version !== this.version) {
      this.version = version;
      this.answers.clear();
    }
    const now = this.clock.now().getTime();
    const kept = this.answers.get(key);
    if (kept && now - kept.at < FIGURES_MAX_AGE_MS) return kept.value as Promise<T>;
    const value = compute();
    this.answers.delete(key);
    this.answers.set(key, { at: now, value });
    if (this.answers.size > FIGURES_KEPT) {
      this.answers.delete(this.answers.keys().next().value!);
    }
    value.catch(() => {
      if (this.answers.get(key)?.value === value) this.answers.delete(key);
    });
    return value;
  }
}

export class FiguresRepository {
  private readonly memo: FiguresMemo;

  constructor(
    private readonly db: NetworkDb,
    private readonly clock: Clock,
  ) {
    this.memo = new FiguresMemo(clock);
  }

  /** The version of the referrals now: what an answer computed from here on is true for. */
  async version(): Promise<number> {
    const [row] = await this.db
      .select({ version: referralFiguresVersion.version })
      .from(referralFiguresVersion);
    return row?.version ?? 0;
  }

  /** `compute`, or its answer kept for the same figure, viewer scope and version. */
  private kept<T>(
    at: FiguresVersion,
    viewer: Viewer,
    figure: unknown[],
    compute: () => Promise<T>,
  ): Promise<T> {
    // `where` reads only these two facts about the viewer.
    const seen = viewer.role === 'coordinator' ? '*' : (viewer.partner ?? '');
    const { from, to, fromPartnerId, toPartnerId } = at.scope;
    const key = JSON.stringify([
      seen,
      from,
      to,
      fromPartnerId ?? null,
      toPartnerId ?? null,
      ...figure,
    ]);
    return this.memo.get(at.version, key, compute);
  }

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

  total(viewer: Viewer, at: FiguresVersion, medians: Iterable<Median>): Promise<FunnelRow> {
    const asked = inOrder(medians);
    return this.kept(at, viewer, ['total', ...asked], async () => {
      const [row] = await this.db
        .select(funnelColumns(asked))
        .from(referrals)
        .where(this.where(viewer, at.scope));
      return toFunnel(row ?? { sent: 0 }, asked);
    });
  }

  /** One funnel per sending → receiving pair, busiest pair first; the `first` busiest only. */
  byPair(
    viewer: Viewer,
    at: FiguresVersion,
    first: number | null,
    medians: Iterable<Median>,
  ): Promise<(FunnelRow & { fromPartnerId: string; toPartnerId: string })[]> {
    const asked = inOrder(medians);
    return this.kept(at, viewer, ['byPair', first, ...asked], async () => {
      const pairs = this.db
        .select({
          fromPartnerId: referrals.fromPartnerId,
          toPartnerId: referrals.toPartnerId,
          ...funnelColumns(asked),
        })
        .from(referrals)
        .where(this.where(viewer, at.scope))
        .groupBy(referrals.fromPartnerId, referrals.toPartnerId)
        .orderBy(desc(sql`count(*)`), referrals.fromPartnerId, referrals.toPartnerId);
      const rows = await (first === null ? pairs : pairs.limit(first));
      return rows.map((row) => ({
        ...toFunnel(row, asked),
        fromPartnerId: row.fromPartnerId,
        toPartnerId: row.toPartnerId,
      }));
    });
  }

  /**
   * One funnel per period that starts on one of `starts` (Brussels days, oldest first, the first
   * on or before the scope's first day) and ends where the next starts; periods without
   * referrals are left out (the caller fills them with zeros). Each referral finds its period by
   * a binary search among the instants the periods start, instead of its sending time turned
   * into Brussels time, truncated and formatted.
   */
  series(
    viewer: Viewer,
    at: FiguresVersion,
    starts: readonly string[],
    medians: Iterable<Median>,
  ): Promise<(FunnelRow & { start: string })[]> {
    const asked = inOrder(medians);
    return this.kept(at, viewer, ['series', starts, ...asked], async () => {
      // In the order given: `width_bucket` wants its thresholds sorted.
      const days = sql`unnest(${sql.param(starts)}::text[]) with ordinality as start(day, n)`;
      const instant = sql`(day::date)::timestamp at time zone ${zone}`;
      const instants = sql`array(select ${instant} from ${days} order by n)`;
      const rows = await this.db
        .select({
          period: sql<number>`width_bucket(${referrals.sentAt}, ${instants})`.mapWith(Number),
          ...funnelColumns(asked),
        })
        .from(referrals)
        .where(this.where(viewer, at.scope))
        .groupBy(sql`1`)
        .orderBy(sql`1`);
      return rows.map((row) => {
        const start = starts[row.period - 1];
        if (start === undefined)
          throw new Error(`a referral fell outside the periods ${starts[0]}…`);
        return { ...toFunnel(row, asked), start };
      });
    });
  }

  /** Declines and failures by reason code, most frequent first. */
  reasons(viewer: Viewer, at: FiguresVersion): Promise<ReasonRow[]> {
    return this.kept(
      at,
      viewer,
      ['reasons'],
      async () =>
        // Awaited here: a Drizzle query runs again each time it is awaited.
        await this.db
          .select({
            status: referrals.status,
            reasonCode: sql<string>`${referrals.reasonCode}`,
            count: sql<number>`count(*)`.mapWith(Number),
          })
          .from(referrals)
          .where(
            and(
              this.where(viewer, at.scope),
              inArray(referrals.status, ['DECLINED', 'FAILED']),
              isNotNull(referrals.reasonCode),
            ),
          )
          .groupBy(referrals.status, referrals.reasonCode)
          .orderBy(desc(sql`count(*)`), referrals.status, referrals.reasonCode),
    );
  }

  /**
   * Per receiving partner: the referrals of the period that went past their response deadline
   * unanswered, those still awaiting an answer, and how many of these are due within
   * `dueWithinMs` from now. Only partners with at least one of them, the most expired first.
   */
  backlog(viewer: Viewer, at: FiguresVersion, dueWithinMs: number): Promise<BacklogRow[]> {
    return this.kept(at, viewer, ['backlog', dueWithinMs], async () => {
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
          and(
            this.where(viewer, at.scope),
            inArray(referrals.status, ['EXPIRED', ...AWAITING_ANSWER]),
          ),
        )
        .groupBy(referrals.toPartnerId)
        .orderBy(
          desc(countWhere(eq(referrals.status, 'EXPIRED'))),
          desc(countWhere(awaiting)),
          referrals.toPartnerId,
        );
      return rows;
    });
  }
}

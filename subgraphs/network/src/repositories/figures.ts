// The coordinators' figures on referrals: funnels, medians, reasons and backlog, each one SQL
// aggregate over `referrals` (milestone columns, `referrals_figures_idx` for the period), never
// rows loaded into JavaScript: the totals' medians only take their two middle values from the
// few SQL ranked around them. An aggregate scans every referral of the period, so answers are
// kept per process for the version of the referrals they were computed at (see `FiguresMemo`),
// and the funnels are brought up to date from the changes since (ADR 0009): the totals by what
// the changes add and take away, with the values kept around their medians, the funnels per pair
// and per period by counting again the pairs and periods changed.
import { NETWORK_TIME_ZONE, type Clock, type Viewer } from '@passerelle/service';
import { and, desc, eq, gt, gte, inArray, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { NetworkDb } from '../db/index.ts';
import { referralFigureChanges, referralFiguresVersion, referrals } from '../db/schema.ts';
import {
  MEDIAN_MARGIN,
  medianOf,
  moveWindow,
  windowStart,
  type MedianWindow,
} from './median-window.ts';
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

/**
 * A version of the referrals: what changes with each statement that changes one. Versions of two
 * generations are not comparable (the version row created anew, the referrals truncated).
 */
export interface ReferralsVersion {
  version: number;
  generation: string;
}

/** A scope as of a version of the referrals (`FiguresRepository.version`). */
export interface FiguresVersion extends ReferralsVersion {
  scope: FiguresScope;
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

/**
 * The counts a funnel can carry: the referrals sent, those in each state now, those that were
 * acknowledged and accepted, and the accepted ones that have ended (completed, failed or
 * withdrawn after acceptance). Each is a test of every referral counted, so a figure computes
 * the ones the operation asks for, and `sent` always: it ranks the pairs, and tells a group that
 * lost its last referral.
 */
export const COUNTS = [
  'sent',
  ...REFERRAL_STATES,
  'acknowledged',
  'accepted',
  'acceptedEnded',
] as const;
export type Count = (typeof COUNTS)[number];

/** What a funnel is asked for. */
export interface FunnelAsked {
  counts: Iterable<Count>;
  medians: Iterable<Median>;
}

/** A funnel as asked: each count and median once, in the order of COUNTS and MEDIANS. */
interface Asked {
  counts: readonly Count[];
  medians: readonly Median[];
}

export interface FunnelRow {
  /** The counts computed: those asked for, and `sent`. */
  counts: Partial<Record<Count, number>> & { sent: number };
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

/** The columns a funnel reads: of `referrals`, and of the changes to them. */
type Milestones = Located & {
  status: AnyPgColumn;
  acknowledgedAt: AnyPgColumn;
  acceptedAt: AnyPgColumn;
  closedAt: AnyPgColumn;
};

/**
 * Seconds between sending and `later`, as a double: `extract` gives a numeric since PostgreSQL
 * 14, which the medians sort and convert row by row (the totals took 29 ms instead of 16 on the
 * Brussels period).
 */
const seconds = (of: Milestones, later: AnyPgColumn) =>
  sql`date_part('epoch', ${later} - ${of.sentAt})`;

/** What each median sorts, and which referrals it counts. */
const MEDIAN_VALUES: Record<Median, (of: Milestones) => { value: SQL; counted: SQL }> = {
  medianSecondsToAcknowledge: (of) => ({
    value: seconds(of, of.acknowledgedAt),
    counted: isNotNull(of.acknowledgedAt),
  }),
  medianSecondsToAccept: (of) => ({
    value: seconds(of, of.acceptedAt),
    counted: isNotNull(of.acceptedAt),
  }),
  medianSecondsToComplete: (of) => ({
    value: seconds(of, of.closedAt),
    counted: and(eq(of.status, 'COMPLETED'), isNotNull(of.closedAt))!,
  }),
};

const medianColumn = (name: Median) => {
  const { value, counted } = MEDIAN_VALUES[name](referrals);
  return sql<
    number | null
  >`percentile_cont(0.5) within group (order by ${value}) filter (where ${counted})`.mapWith((v) =>
    v === null ? null : Number(v),
  );
};

/** A count of `referrals`; nothing counts a row without referral (a pair or period joined to none). */
const counted = (filter?: SQL) =>
  (filter
    ? sql<number>`count(*) filter (where ${filter})`
    : sql<number>`count(${referrals.sentAt})`
  ).mapWith(Number);

/** What the changes add to a count: a row after a change counts 1, a row before it -1. */
const signed = (filter?: SQL) =>
  sql<number>`coalesce(sum(${referralFigureChanges.sign})${
    filter ? sql` filter (where ${filter})` : sql``
  }, 0)`.mapWith(Number);

/** Which referrals each count counts; all of them for `sent`. */
const COUNTED: Record<Count, (of: Milestones) => SQL | undefined> = {
  sent: () => undefined,
  ...(Object.fromEntries(
    REFERRAL_STATES.map((state) => [state, (of: Milestones) => eq(of.status, state)]),
  ) as Record<ReferralState, (of: Milestones) => SQL>),
  acknowledged: (of) => isNotNull(of.acknowledgedAt),
  accepted: (of) => isNotNull(of.acceptedAt),
  acceptedEnded: (of) => and(isNotNull(of.acceptedAt), isNotNull(of.closedAt)),
};

/** The counts asked of one funnel, the same for the whole network, a pair or a period. */
function funnelCounts(
  of: Milestones,
  count: (filter?: SQL) => SQL<number>,
  counts: readonly Count[],
) {
  return Object.fromEntries(counts.map((name) => [name, count(COUNTED[name](of))]));
}

/** The aggregate columns of one funnel of `referrals`: the counts and the medians asked. */
function funnelColumns(asked: Asked) {
  return {
    ...funnelCounts(referrals, counted, asked.counts),
    ...Object.fromEntries(asked.medians.map((name) => [name, medianColumn(name)])),
  };
}

/** A float8[] as both drivers give it: an array of numbers; null when nothing was aggregated. */
const doubles = (value: unknown): number[] =>
  value === null || value === undefined ? [] : (value as unknown[]).map(Number);

/** A column selected under a computed name. */
const read = (row: object | undefined, name: string): unknown =>
  row === undefined ? undefined : (row as Record<string, unknown>)[name];

/** The version of the referrals, read in the statement that counts them. */
const versionNow = {
  version: sql<
    number | null
  >`(select "referral_figures_version"."version" from ${referralFiguresVersion})`.mapWith((v) =>
    v === null ? null : Number(v),
  ),
  generation: sql<
    string | null
  >`(select "referral_figures_version"."generation" from ${referralFiguresVersion})`,
};

function toFunnel(row: Record<string, unknown>, asked: Asked): FunnelRow {
  return {
    counts: Object.fromEntries(
      asked.counts.map((name) => [name, row[name] as number]),
    ) as FunnelRow['counts'],
    medians: Object.fromEntries(asked.medians.map((name) => [name, row[name] as number | null])),
  };
}

/** What a funnel is asked for, each once and in order: the columns and the memo key. */
const inOrder = ({ counts, medians }: FunnelAsked): Asked => {
  const named = new Set<string>(['sent', ...counts, ...medians]);
  return {
    counts: COUNTS.filter((name) => named.has(name)),
    medians: MEDIANS.filter((name) => named.has(name)),
  };
};

/**
 * The totals as kept: the funnel, the version of the referrals it counts (read in the same
 * statement), and the values around each median.
 */
interface KeptTotal extends ReferralsVersion {
  funnel: FunnelRow;
  windows: Partial<Record<Median, MedianWindow>>;
}

/** `total` with its medians taken from its windows; null when one lies outside its window. */
function withMedians(total: KeptTotal, asked: Asked): KeptTotal | null {
  const medians: FunnelRow['medians'] = {};
  for (const name of asked.medians) {
    const median = medianOf(total.windows[name]!);
    if (median === undefined) return null;
    medians[name] = median;
  }
  return { ...total, funnel: { ...total.funnel, medians } };
}

type PairFunnel = FunnelRow & { fromPartnerId: string; toPartnerId: string };
type PeriodFunnel = FunnelRow & { start: string };

const toPairFunnel = (
  row: Record<string, unknown> & { fromPartnerId: string; toPartnerId: string },
  asked: Asked,
): PairFunnel => ({
  ...toFunnel(row, asked),
  fromPartnerId: row.fromPartnerId,
  toPartnerId: row.toPartnerId,
});

function toPeriodFunnel(
  row: Record<string, unknown> & { period: number },
  starts: readonly string[],
  asked: Asked,
): PeriodFunnel {
  const start = starts[row.period - 1];
  if (start === undefined) throw new Error(`a referral fell outside the periods ${starts[0]}…`);
  return { ...toFunnel(row, asked), start };
}

/** The instants the periods starting on `starts` start, in order (`width_bucket` wants them so). */
function startInstants(starts: readonly string[]): SQL {
  const days = sql`unnest(${sql.param(starts)}::text[]) with ordinality as start(day, n)`;
  const instant = sql`(day::date)::timestamp at time zone ${zone}`;
  return sql`array(select ${instant} from ${days} order by n)`;
}

/**
 * Partner ids compared byte by byte, in SQL as in `busiestFirst`, so that pairs ranked by the
 * database and pairs ranked again after a change come in the same order whatever the collation.
 */
const bytewise = (column: AnyPgColumn) => sql`${column} collate "C"`;
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const busiestFirst = (a: PairFunnel, b: PairFunnel) =>
  b.counts.sent - a.counts.sent ||
  byteOrder(a.fromPartnerId, b.fromPartnerId) ||
  byteOrder(a.toPartnerId, b.toPartnerId);
const pairKey = (pair: PairFunnel) => JSON.stringify([pair.fromPartnerId, pair.toPartnerId]);

/**
 * `kept` with the groups `counted` again in place of theirs, and the groups left without
 * referrals dropped; null when `keeps` refuses a group's new count against the one kept.
 */
function recounted<T extends FunnelRow>(
  kept: readonly T[],
  counted: readonly T[],
  keyOf: (group: T) => string,
  keeps: (now: T, before: T | undefined) => boolean = () => true,
): T[] | null {
  const groups = new Map(kept.map((group) => [keyOf(group), group]));
  for (const group of counted) {
    const key = keyOf(group);
    if (!keeps(group, groups.get(key))) return null;
    if (group.counts.sent === 0) groups.delete(key);
    else groups.set(key, group);
  }
  return [...groups.values()];
}

/** Where a referral is sent, from and to: said of `referrals` and of the changes to them. */
interface Located {
  sentAt: AnyPgColumn;
  fromPartnerId: AnyPgColumn;
  toPartnerId: AnyPgColumn;
}

/** How long the backlog may be served: bounds how stale "due within 48 hours" can get. */
export const FIGURES_MAX_AGE_MS = 60_000;
/** How many answers a process keeps (scopes × figures); the oldest go first. */
const FIGURES_KEPT = 1_000;
/**
 * How many versions behind an answer may be brought up to date (`Keeping.patch`); further
 * behind, it is computed afresh. Migration 0012 keeps the changes of the last 10,000 versions.
 */
const FIGURES_PATCHED_WITHIN = 1_000;
/** How many versions of changes migration 0012 keeps in `referral_figure_changes`. */
const FIGURE_CHANGES_KEPT = 10_000;

/**
 * Whether a statement that read the referrals at `now` found every change after version `since`
 * of `generation` in the log: the same generation, and no change it needs deleted yet.
 */
const covers = (
  now: { version: unknown; generation: unknown } | undefined,
  since: number,
  generation: string,
) =>
  now !== undefined &&
  now.generation === generation &&
  Number(now.version) - since <= FIGURE_CHANGES_KEPT;

/** How a figure is computed, and brought up to date when it can be. */
interface Keeping<T> {
  compute: () => Promise<T>;
  /**
   * The answer kept at version `since` of `generation` brought up to the version now, from the
   * changes since: null when those changes leave it unknown, or the log no longer holds them.
   */
  patch?: (kept: T, since: number, generation: string) => Promise<T | null>;
  /** How long an answer may be served at the same version: for those that depend on the time. */
  maxAgeMs?: number;
}

/**
 * Answers computed at a version of the referrals. The version moves in the transaction of every
 * change to a referral (migration 0004), so an answer computed at the current version is the
 * answer: a dashboard reloaded by ten coordinators costs one small read instead of five scans.
 * The version is read before computing, so an answer is never older than the version it is kept
 * for. An answer of an earlier version of the same generation is patched when its figure can be,
 * and computed afresh otherwise.
 */
class FiguresMemo {
  private readonly answers = new Map<
    string,
    ReferralsVersion & { at: number; value: Promise<unknown> }
  >();

  constructor(private readonly clock: Clock) {}

  get<T>(version: ReferralsVersion, key: string, keeping: Keeping<T>): Promise<T> {
    // No version row yet (or deleted): nothing tells two such moments apart, so nothing is kept.
    if (version.generation === '') return keeping.compute();
    const now = this.clock.now().getTime();
    const kept = this.answers.get(key);
    const comparable = kept !== undefined && kept.generation === version.generation;
    if (
      comparable &&
      kept.version >= version.version &&
      (keeping.maxAgeMs === undefined || now - kept.at < keeping.maxAgeMs)
    ) {
      return kept.value as Promise<T>;
    }
    const { patch } = keeping;
    const value =
      comparable &&
      patch &&
      kept.version < version.version &&
      version.version - kept.version <= FIGURES_PATCHED_WITHIN
        ? (kept.value as Promise<T>)
            .then((answer) => patch(answer, kept.version, kept.generation))
            // An answer that failed, or could not be patched, is computed afresh.
            .catch(() => null)
            .then((patched) => patched ?? keeping.compute())
        : keeping.compute();
    this.answers.delete(key);
    this.answers.set(key, {
      version: version.version,
      generation: version.generation,
      at: now,
      value,
    });
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
  async version(): Promise<ReferralsVersion> {
    const [row] = await this.db
      .select({
        version: referralFiguresVersion.version,
        generation: referralFiguresVersion.generation,
      })
      .from(referralFiguresVersion);
    return row ?? { version: 0, generation: '' };
  }

  /**
   * The version row as a relation of one row, joined first by the statements that bring figures
   * up to date: they say which version they read even when no change concerns them.
   */
  private versionRow() {
    return this.db
      .select({
        version: referralFiguresVersion.version,
        generation: referralFiguresVersion.generation,
      })
      .from(referralFiguresVersion)
      .as('now');
  }

  /**
   * The funnels `asked` of the groups (pairs, periods) that the changes after version `since` name,
   * counted again from the referrals `joined` matches to each group. The version row comes first,
   * so that the statement says which version it read even when no group changed; null when the
   * log no longer holds every change since `since` of `generation`.
   */
  private async countedAgain<TKey extends string>(
    viewer: Viewer,
    scope: FiguresScope,
    asked: Asked,
    since: number,
    generation: string,
    groups: Record<TKey, AnyPgColumn | SQL.Aliased>,
    joined: (changed: Record<TKey, AnyPgColumn>) => SQL,
  ): Promise<Record<string, unknown>[] | null> {
    const selection: Record<string, AnyPgColumn | SQL.Aliased> = groups;
    const changed = this.db
      .selectDistinct(selection)
      .from(referralFigureChanges)
      .where(this.changedSince(viewer, scope, since))
      .as('changed');
    const keys = changed as unknown as Record<TKey, AnyPgColumn>;
    const names = Object.keys(groups) as TKey[];
    const now = this.versionRow();
    const rows: Record<string, unknown>[] = await this.db
      .select({
        version: now.version,
        generation: now.generation,
        ...Object.fromEntries(names.map((name) => [name, keys[name]])),
        ...funnelColumns(asked),
      })
      .from(now)
      .leftJoin(changed, sql`true`)
      .leftJoin(referrals, joined(keys))
      .groupBy(now.version, now.generation, ...names.map((name) => keys[name]));
    if (!covers(rows[0] as { version: unknown; generation: unknown }, since, generation)) {
      return null;
    }
    // The version's own row, when no group changed, names none.
    return rows.filter((row) => names.every((name) => row[name] !== null));
  }

  /** The figure's answer kept for the same viewer scope and version, brought up to date or new. */
  private kept<T>(
    at: FiguresVersion,
    viewer: Viewer,
    figure: unknown[],
    keeping: Keeping<T>,
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
    return this.memo.get(at, key, keeping);
  }

  /**
   * The referrals the figures count for `viewer`: every referral for coordinators (figures carry
   * no personal data), the ones its partner sent or received for partner staff and admins. Said
   * of `referrals`, or of the changes to them (`referralFigureChanges`).
   */
  private where(viewer: Viewer, scope: FiguresScope, of: Located = referrals): SQL {
    const where: SQL[] = [
      gte(of.sentAt, startOfDay(scope.from)),
      lt(of.sentAt, startOfDay(scope.to, 1)),
    ];
    if (scope.fromPartnerId) where.push(eq(of.fromPartnerId, scope.fromPartnerId));
    if (scope.toPartnerId) where.push(eq(of.toPartnerId, scope.toPartnerId));
    if (viewer.role !== 'coordinator') {
      const partner = viewer.partner ?? '';
      where.push(or(eq(of.fromPartnerId, partner), eq(of.toPartnerId, partner))!);
    }
    return and(...where)!;
  }

  /** The changes to the referrals `viewer` counts in `scope`, after version `since`. */
  private changedSince(viewer: Viewer, scope: FiguresScope, since: number): SQL {
    return and(
      gt(referralFigureChanges.version, since),
      this.where(viewer, scope, referralFigureChanges),
    )!;
  }

  /**
   * The funnel of every referral in scope. Kept with the values around each median, it is
   * brought up to date from the changes since (ADR 0009).
   */
  async total(viewer: Viewer, at: FiguresVersion, funnel: FunnelAsked): Promise<FunnelRow> {
    const asked = inOrder(funnel);
    const kept = await this.kept(at, viewer, ['total', asked], {
      compute: () => this.totalComputed(viewer, at.scope, asked),
      patch: (total) => this.totalChanged(viewer, at.scope, asked, total),
    });
    return kept.funnel;
  }

  /**
   * The totals in one statement, with the version they count and, for each median, the values
   * at the `2 × MEDIAN_MARGIN + 2` ranks around it: a slice of the values sorted, cut at the
   * ranks the same statement's count of them gives, so the period is scanned once.
   */
  private async totalComputed(
    viewer: Viewer,
    scope: FiguresScope,
    asked: Asked,
  ): Promise<KeptTotal> {
    const where = this.where(viewer, scope);
    const windows = asked.medians.map((name) => {
      const { value, counted: when } = MEDIAN_VALUES[name](referrals);
      const n = sql`count(*) filter (where ${when})`;
      // 1-based bounds of the ranks `windowStart(n)` to `(n - 1) / 2 + 1 + MEDIAN_MARGIN`, the
      // last rank `n - 1` at most.
      const first = sql`greatest((${n} - 1) / 2 - ${MEDIAN_MARGIN}, 0) + 1`;
      const last = sql`least((${n} - 1) / 2 + 2 + ${MEDIAN_MARGIN}, ${n})`;
      return [
        [`${name}Count`, counted(when)],
        [
          `${name}Window`,
          sql`(array_agg(${value} order by ${value}) filter (where ${when}))[${first}:${last}]`,
        ],
      ] as const;
    });
    const [row] = await this.db
      .select({
        ...versionNow,
        ...funnelCounts(referrals, counted, asked.counts),
        ...Object.fromEntries(windows.flat()),
      })
      .from(referrals)
      .where(where);
    const kept: KeptTotal = {
      // An aggregate without groups gives one row, whatever it counts; no version row, null.
      version: row!.version ?? 0,
      generation: row!.generation ?? '',
      funnel: toFunnel(row!, { counts: asked.counts, medians: [] }),
      windows: {},
    };
    for (const name of asked.medians) {
      const count = Number(read(row, `${name}Count`) ?? 0);
      const values = doubles(read(row, `${name}Window`));
      const below = windowStart(count);
      kept.windows[name] = { below, values, above: count - below - values.length };
    }
    return withMedians(kept, asked)!;
  }

  /** `kept` brought up to date from the changes since; null when a median left its window. */
  private async totalChanged(
    viewer: Viewer,
    scope: FiguresScope,
    asked: Asked,
    kept: KeptTotal,
  ): Promise<KeptTotal | null> {
    const moved = asked.medians.flatMap((name) => {
      const { value, counted: when } = MEDIAN_VALUES[name](referralFigureChanges);
      const side = (sign: SQL) =>
        sql`array_agg(${value}) filter (where ${referralFigureChanges.sign} ${sign} 0 and ${when})`;
      return [
        [`${name}Added`, side(sql`>`)],
        [`${name}Removed`, side(sql`<`)],
      ] as const;
    });
    const [row] = await this.db
      .select({
        ...versionNow,
        ...funnelCounts(referralFigureChanges, signed, asked.counts),
        ...Object.fromEntries(moved),
      })
      .from(referralFigureChanges)
      .where(this.changedSince(viewer, scope, kept.version));
    if (!covers(row, kept.version, kept.generation)) return null;
    const change = toFunnel(row!, { counts: asked.counts, medians: [] }).counts;
    const total: KeptTotal = {
      version: Number(row!.version),
      generation: kept.generation,
      funnel: {
        counts: Object.fromEntries(
          asked.counts.map((name) => [name, kept.funnel.counts[name]! + change[name]!]),
        ) as FunnelRow['counts'],
        medians: {},
      },
      windows: {},
    };
    for (const name of asked.medians) {
      const window = moveWindow(
        kept.windows[name]!,
        doubles(read(row, `${name}Added`)),
        doubles(read(row, `${name}Removed`)),
      );
      if (!window) return null;
      total.windows[name] = window;
    }
    return withMedians(total, asked);
  }

  /**
   * One funnel per sending → receiving pair, busiest pair first; the `first` busiest only. Kept
   * without medians, the pairs changed since are counted again, the others kept.
   */
  byPair(
    viewer: Viewer,
    at: FiguresVersion,
    first: number | null,
    funnel: FunnelAsked,
  ): Promise<PairFunnel[]> {
    const asked = inOrder(funnel);
    return this.kept(at, viewer, ['byPair', first, asked], {
      compute: async () => {
        const pairs = this.db
          .select({
            fromPartnerId: referrals.fromPartnerId,
            toPartnerId: referrals.toPartnerId,
            ...funnelColumns(asked),
          })
          .from(referrals)
          .where(this.where(viewer, at.scope))
          .groupBy(referrals.fromPartnerId, referrals.toPartnerId)
          .orderBy(
            desc(sql`count(*)`),
            bytewise(referrals.fromPartnerId),
            bytewise(referrals.toPartnerId),
          );
        const rows = await (first === null ? pairs : pairs.limit(first));
        return rows.map((row) => toPairFunnel(row, asked));
      },
      // A median of a pair needs every referral of the pair, kept or not.
      ...(asked.medians.length === 0 && {
        patch: (kept, since, generation) =>
          this.pairsChanged(viewer, at.scope, asked, first, kept, since, generation),
      }),
    });
  }

  /**
   * `kept` with the pairs changed since version `since` counted again; null when a kept pair of a
   * page lost referrals, since a pair the page left out may now rank above it.
   */
  private async pairsChanged(
    viewer: Viewer,
    scope: FiguresScope,
    asked: Asked,
    first: number | null,
    kept: PairFunnel[],
    since: number,
    generation: string,
  ): Promise<PairFunnel[] | null> {
    const rows = await this.countedAgain(
      viewer,
      scope,
      asked,
      since,
      generation,
      {
        fromPartnerId: referralFigureChanges.fromPartnerId,
        toPartnerId: referralFigureChanges.toPartnerId,
      },
      (changed) =>
        and(
          eq(referrals.fromPartnerId, changed.fromPartnerId),
          eq(referrals.toPartnerId, changed.toPartnerId),
          this.where(viewer, scope),
        )!,
    );
    if (!rows) return null;
    const paged = first !== null && kept.length >= first;
    const pairs = recounted(
      kept,
      rows.map((row) =>
        toPairFunnel(
          {
            ...row,
            fromPartnerId: String(row.fromPartnerId),
            toPartnerId: String(row.toPartnerId),
          },
          asked,
        ),
      ),
      pairKey,
      (pair, before) => !(paged && before && pair.counts.sent < before.counts.sent),
    );
    if (!pairs) return null;
    const ranked = pairs.sort(busiestFirst);
    return first === null ? ranked : ranked.slice(0, first);
  }

  /**
   * One funnel per period that starts on one of `starts` (Brussels days, oldest first, the first
   * on or before the scope's first day) and ends where the next starts; periods without
   * referrals are left out (the caller fills them with zeros). Each referral finds its period by
   * a binary search among the instants the periods start, instead of its sending time turned
   * into Brussels time, truncated and formatted. Kept without medians, the periods changed since
   * are counted again, the others kept.
   */
  series(
    viewer: Viewer,
    at: FiguresVersion,
    starts: readonly string[],
    funnel: FunnelAsked,
  ): Promise<PeriodFunnel[]> {
    const asked = inOrder(funnel);
    const instants = startInstants(starts);
    return this.kept(at, viewer, ['series', starts, asked], {
      compute: async () => {
        const rows = await this.db
          .select({
            period: sql<number>`width_bucket(${referrals.sentAt}, ${instants})`.mapWith(Number),
            ...funnelColumns(asked),
          })
          .from(referrals)
          .where(this.where(viewer, at.scope))
          .groupBy(sql`1`)
          .orderBy(sql`1`);
        return rows.map((row) => toPeriodFunnel(row, starts, asked));
      },
      ...(asked.medians.length === 0 && {
        patch: (kept, since, generation) =>
          this.periodsChanged(viewer, at.scope, asked, starts, kept, since, generation),
      }),
    });
  }

  /** `kept` with the periods changed since version `since` counted again. */
  private async periodsChanged(
    viewer: Viewer,
    scope: FiguresScope,
    asked: Asked,
    starts: readonly string[],
    kept: PeriodFunnel[],
    since: number,
    generation: string,
  ): Promise<PeriodFunnel[] | null> {
    const instants = startInstants(starts);
    // Each period changed is read as its range of `referrals_figures_idx`.
    const rows = await this.countedAgain(
      viewer,
      scope,
      asked,
      since,
      generation,
      { period: sql`width_bucket(${referralFigureChanges.sentAt}, ${instants})`.as('period') },
      (changed) =>
        and(
          sql`${referrals.sentAt} >= (${instants})[${changed.period}]`,
          sql`${referrals.sentAt} < coalesce((${instants})[${changed.period} + 1], 'infinity')`,
          this.where(viewer, scope),
        )!,
    );
    if (!rows) return null;
    const periods = recounted(
      kept,
      rows.map((row) => toPeriodFunnel({ ...row, period: Number(row.period) }, starts, asked)),
      (period) => period.start,
    );
    const order = new Map(starts.map((start, index) => [start, index]));
    return periods!.sort((a, b) => order.get(a.start)! - order.get(b.start)!);
  }

  /** Declines and failures by reason code, most frequent first. */
  reasons(viewer: Viewer, at: FiguresVersion): Promise<ReasonRow[]> {
    return this.kept(at, viewer, ['reasons'], {
      compute: async () =>
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
    });
  }

  /**
   * Per receiving partner: the referrals of the period that went past their response deadline
   * unanswered, those still awaiting an answer, and how many of these are due within
   * `dueWithinMs` from now. Only partners with at least one of them, the most expired first.
   */
  backlog(viewer: Viewer, at: FiguresVersion, dueWithinMs: number): Promise<BacklogRow[]> {
    return this.kept(at, viewer, ['backlog', dueWithinMs], {
      maxAgeMs: FIGURES_MAX_AGE_MS,
      compute: () => this.overdue(viewer, at.scope, dueWithinMs),
    });
  }

  private async overdue(
    viewer: Viewer,
    scope: FiguresScope,
    dueWithinMs: number,
  ): Promise<BacklogRow[]> {
    const now = this.clock.now();
    const soon = new Date(now.getTime() + dueWithinMs);
    const awaiting = inArray(referrals.status, [...AWAITING_ANSWER]);
    const rows = await this.db
      .select({
        partnerId: referrals.toPartnerId,
        expired: counted(eq(referrals.status, 'EXPIRED')),
        awaitingAnswer: counted(awaiting),
        dueSoon: counted(and(awaiting, lt(referrals.respondBy, soon))!),
      })
      .from(referrals)
      .where(
        and(this.where(viewer, scope), inArray(referrals.status, ['EXPIRED', ...AWAITING_ANSWER])),
      )
      .groupBy(referrals.toPartnerId)
      .orderBy(
        desc(counted(eq(referrals.status, 'EXPIRED'))),
        desc(counted(awaiting)),
        referrals.toPartnerId,
      );
    return rows;
  }
}

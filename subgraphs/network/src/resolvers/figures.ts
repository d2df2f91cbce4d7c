// The coordinators' figures on referrals. Every field is one SQL aggregate (see
// repositories/figures.ts); this layer checks who asks, fills empty periods and turns seconds
// into hours and counts into rates.
import type { GraphQLResolveInfo } from 'graphql';
import {
  badInput,
  ErrorCode,
  pageSize,
  PublicError,
  selectedFields,
  type Viewer,
} from '@passerelle/service';
import type {
  FiguresGranularity,
  ReferralFunnel,
  ReferralReasonCode,
  ReferralStatus,
  Resolvers,
} from '../__generated__/resolvers-types.ts';
import {
  COUNTS,
  MEDIANS,
  type Count,
  type FunnelAsked,
  type FunnelRow,
  type Median,
} from '../repositories/figures.ts';
import { REFERRAL_STATES } from '../repositories/referrals.ts';
import { required } from './directory.ts';

const MAX_PERIOD_DAYS = 5 * 366;
const DAY_MS = 86_400_000;
const DUE_SOON_MS = 48 * 3_600_000;

const FIGURE_READERS = new Set(['coordinator', 'staff', 'partner_admin']);

function mayReadFigures(viewer: Viewer): boolean {
  return viewer.role === 'coordinator' || (!!viewer.partner && FIGURE_READERS.has(viewer.role));
}

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayString = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** The first day of every week (Mondays) or month that meets the period, oldest first. */
export function periodStarts(from: string, to: string, granularity: FiguresGranularity): string[] {
  const starts: string[] = [];
  if (granularity === 'WEEK') {
    const first = dayNumber(from);
    const monday = first - ((new Date(first * DAY_MS).getUTCDay() + 6) % 7);
    for (let day = monday; day <= dayNumber(to); day += 7) starts.push(dayString(day));
    return starts;
  }
  let [year, month] = from.split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const start = `${year}-${String(month).padStart(2, '0')}-01`;
    if (start.slice(0, 7) > last) return starts;
    starts.push(start);
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
}

const EMPTY_FUNNEL: FunnelRow = {
  counts: Object.fromEntries(COUNTS.map((name) => [name, 0])) as FunnelRow['counts'],
  medians: Object.fromEntries(MEDIANS.map((name) => [name, null])),
};

/**
 * What each field of a funnel reads: the counts it gives or divides, or its median. Every field
 * is named, so that a field added to the schema fails the type check until it says what it reads.
 */
const FUNNEL_FIELDS: {
  readonly [Field in Exclude<keyof ReferralFunnel, '__typename'>]: readonly (Count | Median)[];
} = {
  sent: ['sent'],
  byStatus: REFERRAL_STATES,
  awaitingAnswer: ['SENT', 'ACKNOWLEDGED'],
  acknowledged: ['acknowledged'],
  accepted: ['accepted'],
  declined: ['DECLINED'],
  expired: ['EXPIRED'],
  withdrawn: ['WITHDRAWN'],
  completed: ['COMPLETED'],
  failed: ['FAILED'],
  acceptanceRate: ['accepted', 'DECLINED', 'EXPIRED'],
  completionRate: ['COMPLETED', 'acceptedEnded'],
  medianHoursToAcknowledge: ['medianSecondsToAcknowledge'],
  medianHoursToAccept: ['medianSecondsToAccept'],
  medianHoursToComplete: ['medianSecondsToComplete'],
};

const isFunnelField = (field: string): field is keyof typeof FUNNEL_FIELDS =>
  Object.hasOwn(FUNNEL_FIELDS, field);
const isMedian = (name: Count | Median): name is Median =>
  (MEDIANS as readonly string[]).includes(name);

/**
 * The counts and medians the operation asks of the funnels found at `path` below the current
 * field: each is one more test of every referral counted, so only those are computed.
 */
function funnelAsked(info: GraphQLResolveInfo, path: string[] = []): FunnelAsked {
  const read = [...selectedFields(info, path)]
    .filter(isFunnelField)
    .flatMap((field) => FUNNEL_FIELDS[field]);
  return {
    counts: read.filter((name): name is Count => !isMedian(name)),
    medians: read.filter(isMedian),
  };
}

/** A count; computed with the funnel whenever the operation asks for a field that reads it. */
function countOf(funnel: FunnelRow, name: Count): number {
  const count = funnel.counts[name];
  if (count === undefined) throw new Error(`${name} was asked but not counted`);
  return count;
}

/** A median in hours; computed with the funnel whenever the operation asks for it. */
function medianHours(funnel: FunnelRow, name: Median): number | null {
  const seconds = funnel.medians[name];
  if (seconds === undefined) throw new Error(`${name} was asked but not computed`);
  return hours(seconds);
}

const hours = (seconds: number | null) =>
  seconds === null ? null : Math.round((seconds / 3600) * 100) / 100;
const ratio = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;

export const figuresResolvers: Resolvers = {
  Query: {
    referralFigures: async (_, { filter }, { repos, viewer }) => {
      if (!mayReadFigures(viewer)) {
        throw new PublicError(
          ErrorCode.Forbidden,
          'Referral figures are for coordinators and partner staff',
        );
      }
      const from = String(filter.from);
      const to = String(filter.to);
      if (to < from) throw badInput('filter.to is before filter.from', 'filter.to');
      if (dayNumber(to) - dayNumber(from) > MAX_PERIOD_DAYS) {
        throw badInput('The period is longer than 5 years', 'filter.to');
      }
      // Referrals past their deadline count as expired, as everywhere else; the version is read
      // after, so that the figures kept for it include those expiries.
      await repos.referrals.expireOverdue();
      return {
        scope: {
          from,
          to,
          fromPartnerId: filter.fromPartnerId ?? null,
          toPartnerId: filter.toPartnerId ?? null,
        },
        ...(await repos.figures.version()),
      };
    },
  },
  ReferralFigures: {
    from: ({ scope }) => scope.from,
    to: ({ scope }) => scope.to,
    total: (at, _, { repos, viewer }, info) => repos.figures.total(viewer, at, funnelAsked(info)),
    // Left out, `first` keeps every pair (not a default page); given, it is a page size.
    byPair: (at, { first }, { repos, viewer }, info) =>
      repos.figures.byPair(
        viewer,
        at,
        first === null || first === undefined ? null : pageSize(first),
        funnelAsked(info, ['funnel']),
      ),
    series: async (at, { granularity }, { repos, viewer }, info) => {
      const starts = periodStarts(at.scope.from, at.scope.to, granularity ?? 'MONTH');
      const rows = await repos.figures.series(viewer, at, starts, funnelAsked(info, ['funnel']));
      const byStart = new Map(rows.map((row) => [row.start, row]));
      return starts.map((start) => byStart.get(start) ?? { ...EMPTY_FUNNEL, start });
    },
    reasons: (at, _, { repos, viewer }) => repos.figures.reasons(viewer, at),
    overdue: (at, _, { repos, viewer }) => repos.figures.backlog(viewer, at, DUE_SOON_MS),
  },
  ReferralFunnel: {
    sent: (funnel) => countOf(funnel, 'sent'),
    byStatus: (funnel) =>
      REFERRAL_STATES.map((status) => ({
        status: status as ReferralStatus,
        count: countOf(funnel, status),
      })),
    awaitingAnswer: (funnel) => countOf(funnel, 'SENT') + countOf(funnel, 'ACKNOWLEDGED'),
    acknowledged: (funnel) => countOf(funnel, 'acknowledged'),
    accepted: (funnel) => countOf(funnel, 'accepted'),
    declined: (funnel) => countOf(funnel, 'DECLINED'),
    expired: (funnel) => countOf(funnel, 'EXPIRED'),
    withdrawn: (funnel) => countOf(funnel, 'WITHDRAWN'),
    completed: (funnel) => countOf(funnel, 'COMPLETED'),
    failed: (funnel) => countOf(funnel, 'FAILED'),
    acceptanceRate: (funnel) => {
      const accepted = countOf(funnel, 'accepted');
      return ratio(accepted, accepted + countOf(funnel, 'DECLINED') + countOf(funnel, 'EXPIRED'));
    },
    completionRate: (funnel) =>
      ratio(countOf(funnel, 'COMPLETED'), countOf(funnel, 'acceptedEnded')),
    medianHoursToAcknowledge: (funnel) => medianHours(funnel, 'medianSecondsToAcknowledge'),
    medianHoursToAccept: (funnel) => medianHours(funnel, 'medianSecondsToAccept'),
    medianHoursToComplete: (funnel) => medianHours(funnel, 'medianSecondsToComplete'),
  },
  PartnerPairFunnel: {
    from: (pair, _, { loaders }) => required(loaders.partner.load(pair.fromPartnerId)),
    to: (pair, _, { loaders }) => required(loaders.partner.load(pair.toPartnerId)),
    funnel: (pair) => pair,
  },
  PeriodFunnel: {
    funnel: (period) => period,
  },
  ReasonCount: {
    status: (row) => row.status as ReferralStatus,
    reasonCode: (row) => row.reasonCode as ReferralReasonCode,
  },
  OverdueCount: {
    partner: (row, _, { loaders }) => required(loaders.partner.load(row.partnerId)),
    dueWithin48Hours: (row) => row.dueSoon,
  },
};

import {
  addDays,
  badInput,
  DateScalar,
  DateTimeScalar,
  digCompCompetences,
  disclosedFields,
  facetRows,
  isUuid,
  monthStart,
  type FacetFields,
} from '@passerelle/service';
import type { HelpdeskBeneficiaryFacet, Resolvers } from '../__generated__/resolvers-types.ts';
import { assertReadsDisclosures, assertSeesVisitCounts, facetView } from '../access.ts';
import { VISIT_OUTCOMES, VISIT_TOPICS } from '../db/schema.ts';
import { recordVisit } from '../services/visits.ts';

/** The longest period `visitCounts` covers, in whole months. */
const MAX_PERIOD_MONTHS = 12;

/** Months from the start of year 0, so that two days' months subtract. */
const monthIndex = (day: string) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7));

/** The rows each field of the person's facet shows: `facetRows` reads only what is asked. */
const FACET_FIELDS = {
  visits: 'visits',
} as const satisfies FacetFields<HelpdeskBeneficiaryFacet, string>;

/** Sorts by the order of values in an enum's list. */
const byOrder =
  <T>(order: readonly T[]) =>
  (a: T, b: T) =>
    order.indexOf(a) - order.indexOf(b);

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Mutation: {
    helpdeskRecordVisit: (_, { input }, ctx) => recordVisit(ctx, input),
  },
  Beneficiary: {
    // Keep the consents network sent along (`@requires`): the facet decides from them.
    __resolveReference: (ref) => ({ id: ref.id, access: ref.access }),
    helpdesk: async ({ id, access: grants }, _, ctx, info) => {
      // Decide before reading any row about the person: the answer must not tell who is known.
      const view = await facetView(ctx, grants);
      if (!isUuid(id)) return null;
      const rows = await facetRows(ctx, info, FACET_FIELDS, {
        visits: () => ctx.loaders.visitsByBeneficiary(view.helpDesks).load(id),
      });
      if (!rows) return null;
      // Logged before the data leaves: if the log cannot be written, nothing is disclosed.
      await ctx.disclosures.record(id, view.disclosedUnder, disclosedFields(info, FACET_FIELDS));
      const { visits } = rows;
      return { visits: view.seesNotes ? visits : visits.map((row) => ({ ...row, note: null })) };
    },
    helpdeskDisclosures: async ({ id }, _, ctx) => {
      const helpDesk = await assertReadsDisclosures(ctx);
      if (!isUuid(id)) return [];
      // Help desks stay apart: the log of a person the help desk never saw is not theirs to read.
      const own = await ctx.loaders.visitsByBeneficiary([helpDesk]).load(id);
      if (own.length === 0) return [];
      return ctx.disclosures.about(id);
    },
  },
  HelpdeskVisit: {
    helpDesk: ({ partnerId }) => ({ id: partnerId }),
    site: ({ siteId }) => ({ id: siteId }),
    competenceName: ({ competence }) =>
      competence === null ? null : (digCompCompetences[competence] ?? null),
    anonymous: ({ beneficiaryId }) => beneficiaryId === null,
    beneficiary: ({ beneficiaryId }) => (beneficiaryId === null ? null : { id: beneficiaryId }),
  },
  Site: {
    __resolveReference: (ref) => ({ id: ref.id }),
    helpdesk: async ({ id }, _, { loaders }) => {
      if (!isUuid(id)) return null;
      const dropIns = await loaders.dropInsBySite.load(id);
      return dropIns.length ? { siteId: id, dropIns } : null;
    },
  },
  HelpdeskSiteFacet: {
    visitCounts: async ({ siteId }, { from, to }, ctx) => {
      await assertSeesVisitCounts(ctx);
      if (to < from) throw badInput('`to` must not be before `from`');
      // Whole months only: overlapping periods must not subtract down to one drop-in session.
      if (!from.endsWith('-01') || !addDays(to, 1).endsWith('-01')) {
        throw badInput(
          'Visits are counted by whole months: `from` is the first day of a month, `to` the last',
        );
      }
      if (monthIndex(to) - monthIndex(from) + 1 > MAX_PERIOD_MONTHS) {
        throw badInput(`The period is at most ${MAX_PERIOD_MONTHS} months long`);
      }
      // Months that have ended only: the counts of a month still running change with each
      // drop-in, and asking before and after one would subtract down to that session.
      if (to >= monthStart(ctx.today)) {
        throw badInput('Visits are counted over months that have ended: `to` is before this month');
      }
      const rows = await ctx.loaders.visitCountsBySite({ from, to }).load(siteId);
      return { from, to, rows };
    },
  },
  HelpdeskDropIn: {
    helpDesk: ({ partnerId }) => ({ id: partnerId }),
  },
  HelpdeskVisitCounts: {
    visits: ({ rows }) => rows.find((row) => !row.topic && !row.outcome)?.visits ?? 0,
    anonymousVisits: ({ rows }) =>
      rows.find((row) => !row.topic && !row.outcome)?.anonymousVisits ?? 0,
    byTopic: ({ rows }) =>
      VISIT_TOPICS.map((topic) => ({
        topic,
        visits: rows.find((row) => row.topic === topic && !row.outcome)?.visits ?? 0,
      })),
    byOutcome: ({ rows }) =>
      VISIT_OUTCOMES.map((outcome) => ({
        outcome,
        visits: rows.find((row) => !row.topic && row.outcome === outcome)?.visits ?? 0,
      })),
    byTopicAndOutcome: ({ rows }) =>
      rows
        .flatMap((row) =>
          row.topic && row.outcome
            ? [{ topic: row.topic, outcome: row.outcome, visits: row.visits }]
            : [],
        )
        .sort(
          (a, b) =>
            byOrder(VISIT_TOPICS)(a.topic, b.topic) ||
            byOrder(VISIT_OUTCOMES)(a.outcome, b.outcome),
        ),
  },
};

import {
  DateScalar,
  DateTimeScalar,
  disclosedFields,
  facetRows,
  isUuid,
  type FacetFields,
} from '@passerelle/service';
import type { Resolvers, WomenBeneficiaryFacet } from '../__generated__/resolvers-types.ts';
import { assertReadsDisclosures, facetView } from '../access.ts';
import { registerParticipation } from '../services/participations.ts';
import { setSafeContact } from '../services/safe-contacts.ts';
import { workshopsWithoutPlaces } from '../services/workshop-places.ts';

/** The rows each field of the person's facet shows: `facetRows` reads only what is asked. */
const FACET_FIELDS = {
  participations: 'participations',
  // One row per network at most: the viewer's own network's.
  safeContact: 'safeContacts',
} as const satisfies FacetFields<WomenBeneficiaryFacet, string>;

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Query: {
    womenWorkshopsWithoutPlaces: (_, { runningOn }, ctx) =>
      workshopsWithoutPlaces(ctx, runningOn ?? ctx.today),
  },
  Mutation: {
    registerParticipation: (_, { input }, ctx) => registerParticipation(ctx, input),
    setSafeContact: (_, { input }, ctx) => setSafeContact(ctx, input),
  },
  Beneficiary: {
    // Keep the consents network sent along (`@requires`): the facet decides from them.
    __resolveReference: (ref) => ({ id: ref.id, access: ref.access }),
    women: async ({ id, access: grants }, _, ctx, info) => {
      // Decide before reading any row about her: the answer must not tell whether we know her.
      const view = await facetView(ctx, grants);
      if (!isUuid(id)) return null;
      const rows = await facetRows(ctx, info, FACET_FIELDS, {
        participations: async () =>
          (await ctx.loaders.participationsByBeneficiary.load(id)).filter((row) =>
            view.seesRowsOf(row.networkId),
          ),
        safeContacts: async () =>
          view.safeContactNetwork
            ? (await ctx.loaders.safeContactsByBeneficiary.load(id)).filter(
                (row) => row.networkId === view.safeContactNetwork,
              )
            : [],
      });
      if (!rows) return null;
      // Logged before the data leaves: if the log cannot be written, nothing is disclosed.
      await ctx.disclosures.record(id, view.disclosedUnder, disclosedFields(info, FACET_FIELDS));
      return {
        beneficiaryId: id,
        participations: rows.participations,
        safeContact: rows.safeContacts[0] ?? null,
      };
    },
    womenDisclosures: async ({ id }, _, ctx) => {
      const network = await assertReadsDisclosures(ctx);
      if (!isUuid(id)) return [];
      // Networks stay apart: the log of a woman the network holds nothing about is not theirs.
      const [participations, safeContacts] = await Promise.all([
        ctx.loaders.participationsByBeneficiary.load(id),
        ctx.loaders.safeContactsByBeneficiary.load(id),
      ]);
      const own = (row: { networkId: string }) => row.networkId === network;
      if (!participations.some(own) && !safeContacts.some(own)) return [];
      return ctx.disclosures.about(id);
    },
  },
  Course: {
    __resolveReference: (ref) => ({ id: ref.id, capacity: ref.capacity }),
    // Offer details and head counts: public to every authenticated viewer (see access.ts).
    women: async ({ id, capacity }, _, ctx) => {
      if (!isUuid(id) || capacity === undefined) return null;
      const workshop = await ctx.loaders.workshop.load(id);
      return workshop ? { workshop, capacity } : null;
    },
  },
  WomenCourseFacet: {
    facilitator: ({ workshop }) => workshop.facilitator,
    childcareAvailable: ({ workshop }) => workshop.childcareAvailable,
    childcarePlaces: ({ workshop }) => workshop.childcarePlaces,
    childcarePlacesLeft: async ({ workshop }, _, { loaders }) =>
      Math.max(
        0,
        workshop.childcarePlaces -
          ((await loaders.workshopCounts.load(workshop.courseId))?.childrenInCare ?? 0),
      ),
    participantsCount: async ({ workshop }, _, { loaders }) =>
      (await loaders.workshopCounts.load(workshop.courseId))?.participants ?? 0,
    placesLeft: async ({ workshop, capacity }, _, { loaders }) =>
      Math.max(
        0,
        capacity - ((await loaders.workshopCounts.load(workshop.courseId))?.participants ?? 0),
      ),
    sessions: ({ workshop }, _, { loaders }) => loaders.sessionsByWorkshop.load(workshop.courseId),
  },
  WomenParticipation: {
    workshop: (participation) => ({ id: participation.workshopId }),
    beneficiary: (participation) => ({ id: participation.beneficiaryId }),
    referral: (participation) =>
      participation.referralId ? { id: participation.referralId } : null,
    attendance: (participation, _, { loaders }) =>
      loaders.attendanceByParticipation.load(participation.id),
  },
};

import { DateScalar, DateTimeScalar, uuid } from '@passerelle/service';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { facetAccess } from '../access.ts';
import { registerParticipation } from '../services/participations.ts';
import { setSafeContact } from '../services/safe-contacts.ts';

/** Ids are UUIDs; anything else names no record and must not reach SQL as a bad cast. */
const isUuid = (id: string) => uuid.safeParse(id).success;

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Mutation: {
    registerParticipation: (_, { input }, ctx) => registerParticipation(ctx, input),
    setSafeContact: (_, { input }, ctx) => setSafeContact(ctx, input),
  },
  Beneficiary: {
    __resolveReference: (ref) => ({ id: ref.id }),
    women: async ({ id }, _, ctx) => {
      if (!isUuid(id)) return null;
      const [access, participations] = await Promise.all([
        facetAccess(ctx),
        ctx.loaders.participationsByBeneficiary.load(id),
      ]);
      const visible = participations.filter((row) => access.seesRowsOf(row.networkId));
      const { safeContactNetwork } = access;
      const safeContact = safeContactNetwork
        ? ((await ctx.loaders.safeContactsByBeneficiary.load(id)).find(
            (row) => row.networkId === safeContactNetwork,
          ) ?? null)
        : null;
      if (visible.length === 0 && !safeContact) return null;
      return { beneficiaryId: id, participations: visible, safeContact };
    },
  },
  Course: {
    __resolveReference: (ref) => ({ id: ref.id, capacity: ref.capacity }),
    women: async ({ id, capacity }, _, ctx) => {
      if (!isUuid(id) || capacity === undefined) return null;
      const [access, workshop] = await Promise.all([
        facetAccess(ctx),
        ctx.loaders.workshop.load(id),
      ]);
      if (!workshop || !access.seesRowsOf(workshop.networkId)) return null;
      return { workshop, capacity };
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
    attendance: (participation, _, { loaders }) =>
      loaders.attendanceByParticipation.load(participation.id),
  },
};

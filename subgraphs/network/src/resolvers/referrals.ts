// The read side of referrals; their lifecycle is changed through the referral mutations.
import { badInput, isUuid, pageSize } from '@passerelle/service';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { required } from './directory.ts';

export const referralResolvers: Resolvers = {
  Query: {
    referral: (_, { id }, { loaders }) => (isUuid(id) ? loaders.referral.load(id) : null),
    referrals: (_, { filter, first, after }, { repos }) => {
      if (filter?.beneficiaryId && !isUuid(filter.beneficiaryId)) {
        throw badInput('filter.beneficiaryId is not a valid id', 'filter.beneficiaryId');
      }
      return repos.referrals.page(
        {
          ...filter,
          sentAfter: filter?.sentAfter ? new Date(filter.sentAfter) : null,
          sentBefore: filter?.sentBefore ? new Date(filter.sentBefore) : null,
        },
        pageSize(first),
        after,
      );
    },
  },
  Referral: {
    __resolveReference: ({ id }, { loaders }) => (isUuid(id) ? loaders.referral.load(id) : null),
    from: (referral, _, { loaders }) => required(loaders.partner.load(referral.fromPartnerId)),
    to: (referral, _, { loaders }) => required(loaders.partner.load(referral.toPartnerId)),
    beneficiary: (referral, _, { loaders }) =>
      referral.beneficiaryId ? loaders.beneficiary.load(referral.beneficiaryId) : null,
    course: (referral, _, { loaders }) =>
      referral.courseId ? loaders.course.load(referral.courseId) : null,
    history: (referral, _, { loaders }) => loaders.eventsByReferral.load(referral.id),
  },
  ReferralEvent: {
    actorPartner: (event, _, { loaders }) => required(loaders.partner.load(event.actorPartnerId)),
  },
};

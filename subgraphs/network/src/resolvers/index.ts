import { connectionResolvers, DateScalar, DateTimeScalar } from '@passerelle/service';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { consentResolvers } from './consents.ts';
import { directoryResolvers } from './directory.ts';
import { figuresResolvers } from './figures.ts';
import { mutationResolvers } from './mutations.ts';
import { referralResolvers } from './referrals.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Query: { ...directoryResolvers.Query, ...referralResolvers.Query, ...figuresResolvers.Query },
  Mutation: {
    ...mutationResolvers.Mutation,
    ...consentResolvers.Mutation,
    ...referralResolvers.Mutation,
  },
  Partner: directoryResolvers.Partner,
  Site: directoryResolvers.Site,
  Beneficiary: { ...directoryResolvers.Beneficiary, ...consentResolvers.Beneficiary },
  Consent: consentResolvers.Consent,
  PartnerLink: directoryResolvers.PartnerLink,
  Course: directoryResolvers.Course,
  Referral: referralResolvers.Referral,
  ReferralEvent: referralResolvers.ReferralEvent,
  BeneficiaryConnection: connectionResolvers,
  CourseConnection: connectionResolvers,
  ReferralConnection: connectionResolvers,
  ReferralFigures: figuresResolvers.ReferralFigures,
  ReferralFunnel: figuresResolvers.ReferralFunnel,
  PartnerPairFunnel: figuresResolvers.PartnerPairFunnel,
  PeriodFunnel: figuresResolvers.PeriodFunnel,
  ReasonCount: figuresResolvers.ReasonCount,
  OverdueCount: figuresResolvers.OverdueCount,
};

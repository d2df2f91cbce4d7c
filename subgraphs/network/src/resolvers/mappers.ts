// The shapes resolvers receive as parents; graphql-codegen maps each `<Type>Model` to `<Type>`.
import type { Page } from '@passerelle/service';
import type {
  BeneficiaryLinkRow,
  ConsentRow,
  CourseRow,
  PartnerRow,
  ReferralEventRow,
  ReferralRow,
  SiteRow,
} from '../db/schema.ts';
import type { SeenBeneficiary } from '../repositories/beneficiaries.ts';
import type { BacklogRow, FiguresVersion, FunnelRow, ReasonRow } from '../repositories/figures.ts';

export type PartnerModel = PartnerRow;
export type SiteModel = SiteRow;
export type BeneficiaryModel = SeenBeneficiary;
export type ConsentModel = ConsentRow;
export type PartnerLinkModel = BeneficiaryLinkRow;
export type CourseModel = CourseRow;
export type ReferralModel = ReferralRow;
export type ReferralEventModel = ReferralEventRow;
export type BeneficiaryConnectionModel = Page<SeenBeneficiary>;
export type CourseConnectionModel = Page<CourseRow>;
export type ReferralConnectionModel = Page<ReferralRow>;
export interface BeneficiaryEdgeModel {
  cursor: string;
  node: SeenBeneficiary;
}
export interface CourseEdgeModel {
  cursor: string;
  node: CourseRow;
}
export interface ReferralEdgeModel {
  cursor: string;
  node: ReferralRow;
}
export type ReferralFiguresModel = FiguresVersion;
export type ReferralFunnelModel = FunnelRow;
export type PartnerPairFunnelModel = FunnelRow & { fromPartnerId: string; toPartnerId: string };
export type PeriodFunnelModel = FunnelRow & { start: string };
export type ReasonCountModel = ReasonRow;
export type OverdueCountModel = BacklogRow;

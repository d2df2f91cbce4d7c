// The shapes resolvers receive as parents; graphql-codegen maps each `<Type>Model` to `<Type>`.
import type { AccessGrant, DisclosureRow } from '@passerelle/service';
import type {
  CommunityRoomRow,
  ContactChannelRow,
  DwellingRow,
  EquipmentLoanRow,
  TenancyRow,
} from '../db/schema.ts';
import type { EquipmentWithLoanState } from '../repositories/equipment.ts';

export interface BeneficiaryModel {
  id: string;
  /** The consents network reported on `Beneficiary.access` (`@requires`); absent counts as none. */
  access?: readonly AccessGrant[] | null;
}
export interface SiteModel {
  id: string;
}
export interface PartnerModel {
  id: string;
}
export interface HousingBeneficiaryFacetModel {
  beneficiaryId: string;
  tenancies: TenancyRow[];
  contactChannels: ContactChannelRow[];
  loans: EquipmentLoanRow[];
}
export interface HousingSiteFacetModel {
  siteId: string;
  communityRoom: CommunityRoomRow | null;
  dwellingsCount: number;
}
export type HousingTenancyModel = TenancyRow;
/** Another member's tenancy in the same dwelling. */
export type HousingHouseholdMemberModel = TenancyRow;
export type HousingDwellingModel = DwellingRow;
export type HousingContactChannelModel = ContactChannelRow;
export type HousingEquipmentModel = EquipmentWithLoanState;
export type HousingEquipmentLoanModel = EquipmentLoanRow;
export type HousingCommunityRoomModel = CommunityRoomRow;
export type DisclosureModel = DisclosureRow;

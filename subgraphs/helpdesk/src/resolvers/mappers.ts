// The shapes resolvers receive as parents; graphql-codegen maps each `<Type>Model` to `<Type>`.
import type { AccessGrant, DisclosureRow } from '@passerelle/service';
import type { DropInRow, VisitRow } from '../db/schema.ts';
import type { Period, VisitCountRow } from '../repositories/visits.ts';

export interface PartnerModel {
  id: string;
}
export interface SiteModel {
  id: string;
}
export interface BeneficiaryModel {
  id: string;
  /** The consents network reported on `Beneficiary.access` (`@requires`); absent counts as none. */
  access?: readonly AccessGrant[] | null;
}
export interface HelpdeskBeneficiaryFacetModel {
  /** Only the visits the viewer may see, notes already removed when not theirs to read. */
  visits: VisitRow[];
}
/** A visit as the viewer may see it: `note` is already null when it is not theirs to read. */
export type HelpdeskVisitModel = VisitRow;
export interface HelpdeskSiteFacetModel {
  siteId: string;
  dropIns: DropInRow[];
}
export type HelpdeskDropInModel = DropInRow;
export interface HelpdeskVisitCountsModel extends Period {
  /** The site's grouped counts, as `VisitRepository.countsBySiteIds` returns them. */
  rows: VisitCountRow[];
}
export type DisclosureModel = DisclosureRow;

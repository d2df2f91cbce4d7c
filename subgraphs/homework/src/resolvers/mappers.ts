// The shapes resolvers receive as parents; graphql-codegen maps each `<Type>Model` to `<Type>`.
import type { AccessGrant, DisclosureRow } from '@passerelle/service';
import type { PupilView } from '../access.ts';
import type {
  AdminHelpCourseRow,
  AdminHelpVisitRow,
  ClubMembershipRow,
  ClubRow,
  ClubSessionRow,
  ClubSlotRow,
  PupilRow,
  TutorRow,
} from '../db/schema.ts';
import type { PresenceWithSession } from '../repositories/pupils.ts';

export interface PartnerModel {
  id: string;
}
export interface BeneficiaryModel {
  id: string;
  /** The consents network reported on `Beneficiary.access` (`@requires`); absent counts as none. */
  access?: readonly AccessGrant[] | null;
}
export interface CourseModel {
  id: string;
}
export interface HomeworkBeneficiaryFacetModel {
  beneficiaryId: string;
  pupils: HomeworkPupilModel[];
  visits: AdminHelpVisitRow[];
  tutors: TutorRow[];
}
export type HomeworkCourseFacetModel =
  { kind: 'HOMEWORK_CLUB'; club: ClubRow } | { kind: 'ADMIN_HELP'; adminHelp: AdminHelpCourseRow };
/** A pupil record with how much of it the viewer may see (decided in access.ts). */
export interface HomeworkPupilModel extends PupilRow {
  view: PupilView;
}
export type HomeworkGuardianConsentModel = PupilRow;
/** A membership with whether its session-by-session presence is shown to the viewer. */
export interface HomeworkClubMembershipModel extends ClubMembershipRow {
  presenceDetail: boolean;
}
export type HomeworkSessionPresenceModel = PresenceWithSession;
export type HomeworkClubSessionModel = ClubSessionRow;
export type HomeworkTutorModel = TutorRow;
export type HomeworkAdminHelpVisitModel = AdminHelpVisitRow;
export type HomeworkClubModel = ClubRow;
export type HomeworkClubSlotModel = ClubSlotRow;
export type HomeworkAdminHelpModel = AdminHelpCourseRow;
export type DisclosureModel = DisclosureRow;

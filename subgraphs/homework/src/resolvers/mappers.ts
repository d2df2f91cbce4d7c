// The shapes resolvers receive as parents; graphql-codegen maps each `<Type>Model` to `<Type>`.
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
}
export interface CourseModel {
  id: string;
}
export interface HomeworkBeneficiaryFacetModel {
  beneficiaryId: string;
  pupils: PupilRow[];
  visits: AdminHelpVisitRow[];
  tutors: TutorRow[];
}
export type HomeworkCourseFacetModel =
  { kind: 'HOMEWORK_CLUB'; club: ClubRow } | { kind: 'ADMIN_HELP'; adminHelp: AdminHelpCourseRow };
export type HomeworkPupilModel = PupilRow;
export type HomeworkGuardianConsentModel = PupilRow;
export type HomeworkClubMembershipModel = ClubMembershipRow;
export type HomeworkSessionPresenceModel = PresenceWithSession;
export type HomeworkClubSessionModel = ClubSessionRow;
export type HomeworkTutorModel = TutorRow;
export type HomeworkAdminHelpVisitModel = AdminHelpVisitRow;
export type HomeworkClubModel = ClubRow;
export type HomeworkClubSlotModel = ClubSlotRow;
export type HomeworkAdminHelpModel = AdminHelpCourseRow;

// The shapes resolvers receive as parents; graphql-codegen maps each `<Type>Model` to `<Type>`.
import type { AccessGrant, DisclosureRow } from '@passerelle/service';
import type { AssessmentRow, CourseSessionRow, EnrollmentRow } from '../db/schema.ts';
import type { AttendanceWithSession } from '../repositories/enrollments.ts';

export interface BeneficiaryModel {
  id: string;
  /** The consents network sent with the representation (`@requires`), when the facet asks. */
  access?: AccessGrant[];
}
export interface CourseModel {
  id: string;
  capacity?: number;
}
export interface TrainingBeneficiaryFacetModel {
  beneficiaryId: string;
  /** The training partners whose records the viewer sees (see `access.ts`). */
  partners: ReadonlySet<string>;
  enrollments: EnrollmentRow[];
  assessments: AssessmentRow[];
}
export interface TrainingCourseFacetModel {
  courseId: string;
  /** The training partner that runs the course. */
  partnerId: string;
  capacity: number;
}
export type EnrollmentModel = EnrollmentRow;
export type CourseSessionModel = CourseSessionRow;
export type AttendanceModel = AttendanceWithSession;
export type DigCompAssessmentModel = AssessmentRow;
export type AccessGrantModel = AccessGrant;
export type DisclosureModel = DisclosureRow;

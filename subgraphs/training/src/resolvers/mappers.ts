// The shapes resolvers receive as parents; graphql-codegen maps each `<Type>Model` to `<Type>`.
import type { AssessmentRow, CourseSessionRow, EnrollmentRow } from '../db/schema.ts';
import type { AttendanceWithSession } from '../repositories/enrollments.ts';

export interface BeneficiaryModel {
  id: string;
}
export interface CourseModel {
  id: string;
  capacity?: number;
}
export interface TrainingBeneficiaryFacetModel {
  beneficiaryId: string;
  enrollments: EnrollmentRow[];
  assessments: AssessmentRow[];
}
export interface TrainingCourseFacetModel {
  courseId: string;
  capacity: number;
}
export type EnrollmentModel = EnrollmentRow;
export type CourseSessionModel = CourseSessionRow;
export type AttendanceModel = AttendanceWithSession;
export type DigCompAssessmentModel = AssessmentRow;

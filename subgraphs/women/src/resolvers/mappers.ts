// The shapes resolvers receive as parents; graphql-codegen maps each `<Type>Model` to `<Type>`.
import type { AccessGrant, DisclosureRow } from '@passerelle/service';
import type {
  ParticipationRow,
  SafeContactRow,
  WorkshopRow,
  WorkshopSessionRow,
} from '../db/schema.ts';
import type { AttendanceWithSession } from '../repositories/participations.ts';

export interface BeneficiaryModel {
  id: string;
  /** The consents network reported on `Beneficiary.access` (`@requires`); absent counts as none. */
  access?: readonly AccessGrant[] | null;
}
export interface CourseModel {
  id: string;
  capacity?: number;
}
export interface WomenBeneficiaryFacetModel {
  beneficiaryId: string;
  /** Only the participations the viewer may see. */
  participations: ParticipationRow[];
  /** Only when the viewer is staff of the network that recorded it. */
  safeContact: SafeContactRow | null;
}
export interface WomenCourseFacetModel {
  workshop: WorkshopRow;
  capacity: number;
}
export type WomenParticipationModel = ParticipationRow;
export type WomenWorkshopSessionModel = WorkshopSessionRow;
export type WomenSessionAttendanceModel = AttendanceWithSession;
export type WomenSafeContactModel = SafeContactRow;
export type DisclosureModel = DisclosureRow;

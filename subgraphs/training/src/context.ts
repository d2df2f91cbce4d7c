// The per-request context of the training subgraph: viewer, repositories, network lookups, the
// served training partners, the clock, the disclosure recorder and one DataLoader per entity type.
import { type NetworkClient, type NetworkLookups } from '@passerelle/network-client';
import {
  DisclosureLog,
  groupLoader,
  refreshingValue,
  rowLoader,
  type Clock,
  type RequestContext,
} from '@passerelle/service';
import { TRAINING_CATEGORY } from './access.ts';
import type { TrainingDb } from './db/index.ts';
import { disclosures } from './db/schema.ts';
import { CourseRepository } from './repositories/courses.ts';
import { EnrollmentRepository } from './repositories/enrollments.ts';
import { TrainingPartnerRepository } from './repositories/partners.ts';

export function createRepositories(db: TrainingDb) {
  return {
    partners: new TrainingPartnerRepository(db),
    courses: new CourseRepository(db),
    enrollments: new EnrollmentRepository(db),
    disclosureLog: new DisclosureLog(db, disclosures, TRAINING_CATEGORY),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;

function createLoaders(repos: Repositories) {
  return {
    offer: rowLoader(
      (keys: readonly string[]) => repos.courses.offersByCourseIds(keys),
      (row) => row.courseId,
    ),
    session: rowLoader(
      (keys: readonly string[]) => repos.courses.sessionsByIds(keys),
      (row) => row.id,
    ),
    sessionsByCourse: groupLoader(
      (keys: readonly string[]) => repos.courses.sessionsByCourseIds(keys),
      (row) => row.courseId,
    ),
    seatCounts: rowLoader(
      (keys: readonly string[]) => repos.courses.seatCounts(keys),
      (row) => row.courseId,
    ),
    enrollment: rowLoader(
      (keys: readonly string[]) => repos.enrollments.byIds(keys),
      (row) => row.id,
    ),
    enrollmentsByBeneficiary: groupLoader(
      (keys: readonly string[]) => repos.enrollments.byBeneficiaryIds(keys),
      (row) => row.beneficiaryId,
    ),
    enrollmentsByCourse: groupLoader(
      (keys: readonly string[]) => repos.enrollments.byCourseIds(keys),
      (row) => row.courseId,
    ),
    assessmentsByBeneficiary: groupLoader(
      (keys: readonly string[]) => repos.enrollments.assessmentsByBeneficiaryIds(keys),
      (row) => row.beneficiaryId,
    ),
    attendanceByEnrollment: groupLoader(
      (keys: readonly string[]) => repos.enrollments.attendanceByEnrollmentIds(keys),
      (row) => row.enrollmentId,
    ),
    attendanceStats: groupLoader(
      (keys: readonly string[]) => repos.enrollments.attendanceStats(keys),
      (row) => row.beneficiaryId,
    ),
  };
}

export interface Context extends RequestContext {
  repos: Repositories;
  loaders: ReturnType<typeof createLoaders>;
  network: NetworkLookups;
  /** Where "today" comes from. */
  clock: Clock;
  /** The training partners this subgraph serves, kept by the process (`refreshingValue`). */
  servedPartners: () => Promise<string[]>;
  /** Logs and lists disclosures to other partners, one statement per request for each. */
  disclosures: ReturnType<DisclosureLog['forRequest']>;
}

export function contextFactory(repos: Repositories, network: NetworkClient, clock: Clock) {
  const servedPartners = refreshingValue(() => repos.partners.ids(), { clock });
  return (base: RequestContext): Context => ({
    ...base,
    repos,
    loaders: createLoaders(repos),
    network: network.forRequest(base.viewer, base.requestId, base.voucher),
    clock,
    servedPartners,
    disclosures: repos.disclosureLog.forRequest(base.viewer, base.requestId),
  });
}

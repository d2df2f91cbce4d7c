// The per-request context of the homework subgraph: viewer, repositories, network lookups and
// one DataLoader per entity type.
import type { NetworkClient, NetworkLookups } from '@passerelle/network-client';
import { groupLoader, rowLoader, type RequestContext } from '@passerelle/service';
import { visibleSchools } from './access.ts';
import { brusselsDate } from './calendar.ts';
import type { HomeworkDb } from './db/index.ts';
import { AdminHelpRepository } from './repositories/admin-help.ts';
import { PupilRepository } from './repositories/pupils.ts';
import { SchoolRepository } from './repositories/schools.ts';
import { SessionRepository } from './repositories/sessions.ts';

export function createRepositories(db: HomeworkDb) {
  return {
    schools: new SchoolRepository(db),
    pupils: new PupilRepository(db),
    sessions: new SessionRepository(db),
    adminHelp: new AdminHelpRepository(db),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;

function createLoaders(repos: Repositories, now: Date) {
  const today = brusselsDate(now);
  let served: Promise<string[]> | undefined;
  return {
    /** The served schools, read once per request. */
    servedSchools: () => (served ??= repos.schools.servedPartnerIds()),
    club: rowLoader(
      (keys: readonly string[]) => repos.schools.clubsByCourseIds(keys),
      (row) => row.courseId,
    ),
    adminHelpCourse: rowLoader(
      (keys: readonly string[]) => repos.schools.adminHelpCoursesByCourseIds(keys),
      (row) => row.courseId,
    ),
    slotsByClub: groupLoader(
      (keys: readonly string[]) => repos.schools.slotsByClubIds(keys),
      (row) => row.clubId,
    ),
    tutor: rowLoader(
      (keys: readonly string[]) => repos.schools.tutorsByIds(keys),
      (row) => row.id,
    ),
    tutorsByBeneficiary: groupLoader(
      (keys: readonly string[]) => repos.schools.tutorsByBeneficiaryIds(keys),
      (row) => row.beneficiaryId ?? '',
    ),
    pupilsByBeneficiary: groupLoader(
      (keys: readonly string[]) => repos.pupils.byBeneficiaryIds(keys),
      (row) => row.beneficiaryId,
    ),
    membershipsByPupil: groupLoader(
      (keys: readonly string[]) => repos.pupils.membershipsByPupilIds(keys),
      (row) => row.pupilId,
    ),
    presenceByMembership: groupLoader(
      (keys: readonly string[]) => repos.pupils.presenceByMembershipIds(keys),
      (row) => row.membershipId,
    ),
    memberCounts: rowLoader(
      (keys: readonly string[]) => repos.pupils.memberCounts(keys, today),
      (row) => row.clubId,
    ),
    tutorCounts: rowLoader(
      (keys: readonly string[]) => repos.sessions.tutorCounts(keys),
      (row) => row.clubId,
    ),
    upcomingSessionsByClub: groupLoader(
      (keys: readonly string[]) => repos.sessions.upcomingByClubIds(keys, now),
      (row) => row.clubId,
    ),
    visitsByBeneficiary: groupLoader(
      (keys: readonly string[]) => repos.adminHelp.visitsByBeneficiaryIds(keys),
      (row) => row.beneficiaryId,
    ),
    categoryCountsByCourse: groupLoader(
      (keys: readonly string[]) => repos.adminHelp.categoryCounts(keys),
      (row) => row.courseId,
    ),
  };
}

export interface Context extends RequestContext {
  repos: Repositories;
  loaders: ReturnType<typeof createLoaders>;
  network: NetworkLookups;
  /** The request's instant, so that every "today" and "upcoming" in one response agree. */
  now: Date;
  /** Today in Brussels. */
  today: string;
  /** The schools whose rows this viewer may see (see access.ts). */
  visibleSchools: () => Promise<ReadonlySet<string>>;
}

export function contextFactory(repos: Repositories, network: NetworkClient) {
  return (base: RequestContext): Context => {
    const now = new Date();
    const loaders = createLoaders(repos, now);
    let visible: Promise<ReadonlySet<string>> | undefined;
    return {
      ...base,
      repos,
      loaders,
      network: network.forRequest(base.viewer, base.requestId),
      now,
      today: brusselsDate(now),
      visibleSchools: () =>
        (visible ??= loaders.servedSchools().then((served) => visibleSchools(base.viewer, served))),
    };
  };
}

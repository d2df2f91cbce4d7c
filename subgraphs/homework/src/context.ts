// The per-request context of the homework subgraph: viewer, repositories, network lookups, the
// disclosure log and one DataLoader per entity type. A person's rows are read only for the
// schools `access.ts` lets the viewer see, filtered in SQL, so other schools' rows never leave
// the database.
import type { NetworkClient, NetworkLookups } from '@passerelle/network-client';
import {
  DisclosureLog,
  groupLoader,
  refreshingValue,
  rowLoader,
  type Clock,
  type RequestContext,
} from '@passerelle/service';
import type DataLoader from 'dataloader';
import { FACET } from './access.ts';
import { brusselsDate, monthStart } from './calendar.ts';
import type { HomeworkDb } from './db/index.ts';
import { disclosures } from './db/schema.ts';
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
    disclosureLog: new DisclosureLog(db, disclosures, FACET),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;

/**
 * A person's rows of the given schools, one loader per set of schools: the schools come from the
 * facet's decision (`facetView`), which is the same for every person of one request, so a request
 * still costs one statement per table.
 */
function bySchools<V>(
  fetch: (keys: readonly string[], schoolIds: readonly string[]) => Promise<V[]>,
  keyOf: (row: V) => string,
): (schoolIds: readonly string[]) => DataLoader<string, V[]> {
  const loaders = new Map<string, DataLoader<string, V[]>>();
  return (schoolIds) => {
    const scope = [...schoolIds].sort().join(' ');
    let loader = loaders.get(scope);
    if (!loader) {
      const schools = [...schoolIds];
      loader = groupLoader(
        async (keys: readonly string[]) => (schools.length === 0 ? [] : fetch(keys, schools)),
        keyOf,
      );
      loaders.set(scope, loader);
    }
    return loader;
  };
}

function createLoaders(repos: Repositories, now: Date) {
  const today = brusselsDate(now);
  return {
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
    tutorsByBeneficiary: bySchools(
      (keys, schools) => repos.schools.tutorsByBeneficiaryIds(keys, schools),
      (row) => row.beneficiaryId ?? '',
    ),
    pupilsByBeneficiary: bySchools(
      (keys, schools) => repos.pupils.byBeneficiaryIds(keys, schools),
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
    presenceRate: rowLoader(
      (keys: readonly string[]) => repos.pupils.presenceRates(keys),
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
    visitsByBeneficiary: bySchools(
      (keys, schools) => repos.adminHelp.visitsByBeneficiaryIds(keys, schools),
      (row) => row.beneficiaryId,
    ),
    // Months that have ended only: counts of the running month, asked before and after one
    // person's visit, would tell what that person came for.
    categoryCountsByCourse: groupLoader(
      (keys: readonly string[]) => repos.adminHelp.categoryCounts(keys, monthStart(today)),
      (row) => row.courseId,
    ),
  };
}

export interface Context extends RequestContext {
  repos: Repositories;
  loaders: ReturnType<typeof createLoaders>;
  network: NetworkLookups;
  /** The schools this subgraph serves, kept by the process (`refreshingValue`). */
  servedSchools: () => Promise<string[]>;
  /** The request's instant, so that every "today" and "upcoming" in one response agree. */
  now: Date;
  /** Today in Brussels. */
  today: string;
  /** Records this request's disclosures (one insert per tick), before the data leaves. */
  disclosures: ReturnType<DisclosureLog['forRequest']>;
}

export function contextFactory(repos: Repositories, network: NetworkClient, clock: Clock) {
  const servedSchools = refreshingValue(() => repos.schools.servedPartnerIds(), { clock });
  return (base: RequestContext): Context => {
    const now = clock.now();
    const loaders = createLoaders(repos, now);
    return {
      ...base,
      repos,
      loaders,
      network: network.forRequest(base.viewer, base.requestId, base.voucher),
      servedSchools,
      now,
      today: brusselsDate(now),
      disclosures: repos.disclosureLog.forRequest(base.viewer, base.requestId),
    };
  };
}

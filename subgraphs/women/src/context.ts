// The per-request context of the women subgraph: viewer, repositories, network lookups, the
// disclosure log and one DataLoader per entity type.
import type { NetworkClient, NetworkLookups } from '@passerelle/network-client';
import {
  brusselsDate,
  DisclosureLog,
  groupLoader,
  refreshingValue,
  rowLoader,
  type Clock,
  type RequestContext,
} from '@passerelle/service';
import { FACET } from './access.ts';
import type { WomenDb } from './db/index.ts';
import { disclosures } from './db/schema.ts';
import { WomenNetworkRepository } from './repositories/networks.ts';
import { ParticipationRepository } from './repositories/participations.ts';
import { SafeContactRepository } from './repositories/safe-contacts.ts';
import { WorkshopRepository } from './repositories/workshops.ts';

export function createRepositories(db: WomenDb) {
  return {
    networks: new WomenNetworkRepository(db),
    workshops: new WorkshopRepository(db),
    participations: new ParticipationRepository(db),
    safeContacts: new SafeContactRepository(db),
    disclosureLog: new DisclosureLog(db, disclosures, FACET),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;

function createLoaders(repos: Repositories) {
  return {
    workshop: rowLoader(
      (keys: readonly string[]) => repos.workshops.byCourseIds(keys),
      (row) => row.courseId,
    ),
    sessionsByWorkshop: groupLoader(
      (keys: readonly string[]) => repos.workshops.sessionsByWorkshopIds(keys),
      (row) => row.workshopId,
    ),
    workshopCounts: rowLoader(
      (keys: readonly string[]) => repos.workshops.counts(keys),
      (row) => row.workshopId,
    ),
    participationsByBeneficiary: groupLoader(
      (keys: readonly string[]) => repos.participations.byBeneficiaryIds(keys),
      (row) => row.beneficiaryId,
    ),
    attendanceByParticipation: groupLoader(
      (keys: readonly string[]) => repos.participations.attendanceByParticipationIds(keys),
      (row) => row.participationId,
    ),
    safeContactsByBeneficiary: groupLoader(
      (keys: readonly string[]) => repos.safeContacts.byBeneficiaryIds(keys),
      (row) => row.beneficiaryId,
    ),
  };
}

export interface Context extends RequestContext {
  repos: Repositories;
  loaders: ReturnType<typeof createLoaders>;
  network: NetworkLookups;
  /** The partner ids of the networks this subgraph serves, kept by the process. */
  servedPartners: () => Promise<string[]>;
  /** Today in Brussels, read once per request so that every answer of one response agrees. */
  today: string;
  /** Records this request's disclosures (one insert per tick), before the data leaves. */
  disclosures: ReturnType<DisclosureLog['forRequest']>;
}

export function contextFactory(repos: Repositories, network: NetworkClient, clock: Clock) {
  const servedPartners = refreshingValue(
    async () => (await repos.networks.all()).map((row) => row.partnerId),
    { clock },
  );
  return (base: RequestContext): Context => ({
    ...base,
    repos,
    loaders: createLoaders(repos),
    network: network.forRequest(base.viewer, base.requestId, base.voucher),
    servedPartners,
    today: brusselsDate(clock.now()),
    disclosures: repos.disclosureLog.forRequest(base.viewer, base.requestId),
  });
}

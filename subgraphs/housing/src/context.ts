// The per-request context of the housing subgraph: viewer, repositories, network lookups and
// one DataLoader per entity type. Loaders of agency rows ask `access.ts` which agencies the
// viewer may see and filter in SQL, so rows of other agencies never leave the database.
import { type NetworkClient, type NetworkLookups } from '@passerelle/network-client';
import { groupLoader, rowLoader, type RequestContext } from '@passerelle/service';
import { visibleAgencies, type HousingCategory } from './access.ts';
import type { HousingDb } from './db/index.ts';
import { AgencyRepository } from './repositories/agencies.ts';
import { BuildingRepository } from './repositories/buildings.ts';
import { ContactRepository } from './repositories/contacts.ts';
import { EquipmentRepository } from './repositories/equipment.ts';
import { TenancyRepository } from './repositories/tenancies.ts';

export function createRepositories(db: HousingDb) {
  return {
    agencies: new AgencyRepository(db),
    buildings: new BuildingRepository(db),
    tenancies: new TenancyRepository(db),
    contacts: new ContactRepository(db),
    equipment: new EquipmentRepository(db),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;

type Visible = (category: HousingCategory) => Promise<string[]>;

/** A batch fetch limited to the agencies the viewer may see for one category (none: no SQL). */
function scoped<V>(
  visible: Visible,
  category: HousingCategory,
  fetch: (keys: readonly string[], agencyIds: readonly string[]) => Promise<V[]>,
) {
  return async (keys: readonly string[]): Promise<V[]> => {
    const agencyIds = await visible(category);
    return agencyIds.length === 0 ? [] : fetch(keys, agencyIds);
  };
}

function createLoaders(repos: Repositories, visible: Visible) {
  return {
    tenanciesByBeneficiary: groupLoader(
      scoped(visible, 'TENANCY', (keys, agencies) =>
        repos.tenancies.byBeneficiaryIds(keys, agencies),
      ),
      (row) => row.beneficiaryId,
    ),
    tenanciesByDwelling: groupLoader(
      scoped(visible, 'TENANCY', (keys, agencies) => repos.tenancies.byDwellingIds(keys, agencies)),
      (row) => row.dwellingId,
    ),
    contactsByBeneficiary: groupLoader(
      scoped(visible, 'CONTACT', (keys, agencies) =>
        repos.contacts.byBeneficiaryIds(keys, agencies),
      ),
      (row) => row.beneficiaryId,
    ),
    loansByBeneficiary: groupLoader(
      scoped(visible, 'EQUIPMENT', (keys, agencies) =>
        repos.equipment.loansByBeneficiaryIds(keys, agencies),
      ),
      (row) => row.beneficiaryId,
    ),
    roomBySite: rowLoader(
      scoped(visible, 'COMMUNITY_ROOM', (keys, agencies) =>
        repos.buildings.roomsBySiteIds(keys, agencies),
      ),
      (row) => row.siteId,
    ),
    dwellingCountBySite: rowLoader(
      scoped(visible, 'DWELLING', (keys, agencies) =>
        repos.buildings.dwellingCounts(keys, agencies),
      ),
      (row) => row.siteId,
    ),
    // Reached only from rows the viewer may already see (a tenancy, a loan).
    dwelling: rowLoader(
      (keys: readonly string[]) => repos.buildings.dwellingsByIds(keys),
      (row) => row.id,
    ),
    equipment: rowLoader(
      (keys: readonly string[]) => repos.equipment.byIds(keys),
      (row) => row.id,
    ),
  };
}

export interface Context extends RequestContext {
  repos: Repositories;
  loaders: ReturnType<typeof createLoaders>;
  network: NetworkLookups;
  /** The agencies this subgraph serves, read once per request. */
  servedAgencyIds: () => Promise<string[]>;
  /** The agencies whose rows of a category the viewer may see (see `access.ts`). */
  visible: Visible;
}

export function contextFactory(repos: Repositories, network: NetworkClient) {
  return (base: RequestContext): Context => {
    let served: Promise<string[]> | undefined;
    const servedAgencyIds = () => (served ??= repos.agencies.ids());
    const visible: Visible = async (category) =>
      visibleAgencies(base.viewer, await servedAgencyIds(), category);
    return {
      ...base,
      repos,
      loaders: createLoaders(repos, visible),
      network: network.forRequest(base.viewer, base.requestId),
      servedAgencyIds,
      visible,
    };
  };
}

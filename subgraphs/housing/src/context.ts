// The per-request context of the housing subgraph: viewer, repositories, network lookups, the
// disclosure log and one DataLoader per entity type. Loaders of agency rows are limited in SQL to
// the agencies `access.ts` lets the viewer see, so rows of other agencies never leave the
// database.
import { type NetworkClient, type NetworkLookups } from '@passerelle/network-client';
import {
  DisclosureLog,
  groupLoader,
  refreshingValue,
  rowLoader,
  type Clock,
  type RequestContext,
} from '@passerelle/service';
import type DataLoader from 'dataloader';
import { FACET, visibleAgencies, type HousingCategory } from './access.ts';
import type { HousingDb } from './db/index.ts';
import { disclosures } from './db/schema.ts';
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
    disclosureLog: new DisclosureLog(db, disclosures, FACET),
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

/**
 * A person's rows of the given agencies, batched per set of agencies: the agencies come from the
 * facet's decision (`facetView`), which is the same for every person of one request, so a request
 * still costs one statement per table.
 */
function byAgencies<V>(
  fetch: (keys: readonly string[], agencyIds: readonly string[]) => Promise<V[]>,
  keyOf: (row: V) => string,
): (agencyIds: readonly string[]) => DataLoader<string, V[]> {
  const loaders = new Map<string, DataLoader<string, V[]>>();
  return (agencyIds) => {
    const scope = [...agencyIds].sort().join(' ');
    let loader = loaders.get(scope);
    if (!loader) {
      const agencies = [...agencyIds];
      loader = groupLoader(
        async (keys: readonly string[]) => (agencies.length === 0 ? [] : fetch(keys, agencies)),
        keyOf,
      );
      loaders.set(scope, loader);
    }
    return loader;
  };
}

function createLoaders(repos: Repositories, visible: Visible) {
  return {
    tenanciesByBeneficiary: byAgencies(
      (keys, agencies) => repos.tenancies.byBeneficiaryIds(keys, agencies),
      (row) => row.beneficiaryId,
    ),
    contactsByBeneficiary: byAgencies(
      (keys, agencies) => repos.contacts.byBeneficiaryIds(keys, agencies),
      (row) => row.beneficiaryId,
    ),
    loansByBeneficiary: byAgencies(
      (keys, agencies) => repos.equipment.loansByBeneficiaryIds(keys, agencies),
      (row) => row.beneficiaryId,
    ),
    tenanciesByDwelling: groupLoader(
      scoped(visible, 'HOUSEHOLD', (keys, agencies) =>
        repos.tenancies.byDwellingIds(keys, agencies),
      ),
      (row) => row.dwellingId,
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
  /** Records this request's disclosures (one insert per tick), before the data leaves. */
  disclosures: ReturnType<DisclosureLog['forRequest']>;
  /** The agencies this subgraph serves, kept by the process (`refreshingValue`). */
  servedAgencyIds: () => Promise<string[]>;
  /** The agencies whose rows of a category the viewer may see (see `access.ts`). */
  visible: Visible;
}

export function contextFactory(repos: Repositories, network: NetworkClient, clock: Clock) {
  const servedAgencyIds = refreshingValue(() => repos.agencies.ids(), { clock });
  return (base: RequestContext): Context => {
    const visible: Visible = async (category) =>
      visibleAgencies(base.viewer, await servedAgencyIds(), category);
    return {
      ...base,
      repos,
      loaders: createLoaders(repos, visible),
      network: network.forRequest(base.viewer, base.requestId, base.voucher),
      disclosures: repos.disclosureLog.forRequest(base.viewer, base.requestId),
      servedAgencyIds,
      visible,
    };
  };
}

// The per-request context of the helpdesk subgraph: viewer, repositories, network lookups, the
// disclosure log and one DataLoader per entity type. A person's visits are read only for the help
// desks `access.ts` lets the viewer see, filtered in SQL, so other help desks' rows never leave
// the database.
import type { NetworkClient, NetworkLookups } from '@passerelle/network-client';
import {
  brusselsDate,
  DisclosureLog,
  groupLoader,
  refreshingValue,
  type Clock,
  type RequestContext,
} from '@passerelle/service';
import { FACET } from './access.ts';
import type { HelpdeskDb } from './db/index.ts';
import { disclosures } from './db/schema.ts';
import { HelpDeskRepository } from './repositories/help-desks.ts';
import { VisitRepository, type Period } from './repositories/visits.ts';

export function createRepositories(db: HelpdeskDb) {
  return {
    helpDesks: new HelpDeskRepository(db),
    visits: new VisitRepository(db),
    disclosureLog: new DisclosureLog(db, disclosures, FACET),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;

type GroupLoader<V> = ReturnType<typeof groupLoader<string, V>>;

/**
 * One group loader per scope (a set of help desks, a period): the scope is the same for every
 * entity of one request, so a request still costs one statement per entity type.
 */
function scoped<S, V>(
  scopeKey: (scope: S) => string,
  fetch: (keys: readonly string[], scope: S) => Promise<V[]>,
  keyOf: (row: V) => string,
): (scope: S) => GroupLoader<V> {
  const loaders = new Map<string, GroupLoader<V>>();
  return (scope) => {
    const key = scopeKey(scope);
    let loader = loaders.get(key);
    if (!loader) {
      loader = groupLoader((keys: readonly string[]) => fetch(keys, scope), keyOf);
      loaders.set(key, loader);
    }
    return loader;
  };
}

function createLoaders(repos: Repositories) {
  return {
    visitsByBeneficiary: scoped(
      (helpDesks: readonly string[]) => [...helpDesks].sort().join(' '),
      (keys, helpDesks) =>
        helpDesks.length ? repos.visits.byBeneficiaryIds(keys, helpDesks) : Promise.resolve([]),
      (row) => row.beneficiaryId ?? '',
    ),
    dropInsBySite: groupLoader(
      (keys: readonly string[]) => repos.helpDesks.dropInsBySiteIds(keys),
      (row) => row.siteId,
    ),
    visitCountsBySite: scoped(
      (period: Period) => `${period.from}/${period.to}`,
      (keys, period) => repos.visits.countsBySiteIds(keys, period),
      (row) => row.siteId,
    ),
  };
}

export interface Context extends RequestContext {
  repos: Repositories;
  loaders: ReturnType<typeof createLoaders>;
  network: NetworkLookups;
  /** The help desks this subgraph serves, kept by the process (`refreshingValue`). */
  servedPartners: () => Promise<string[]>;
  /** Today in Brussels when the request arrived, from the subgraph's clock. */
  today: string;
  /** Records this request's disclosures (one insert per tick), before the data leaves. */
  disclosures: ReturnType<DisclosureLog['forRequest']>;
}

export function contextFactory(repos: Repositories, network: NetworkClient, clock: Clock) {
  const servedPartners = refreshingValue(
    async () => (await repos.helpDesks.servedPartners()).map((row) => row.partnerId),
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

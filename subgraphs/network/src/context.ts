// The per-request context of the network subgraph: the viewer, repositories, and one DataLoader
// per entity type so that every entity and list resolution costs one SQL statement per type.
import {
  DisclosureLog,
  groupLoader,
  rowLoader,
  type Clock,
  type RequestContext,
  type Viewer,
} from '@passerelle/service';
import type { NetworkDb } from './db/index.ts';
import { disclosures } from './db/schema.ts';
import { DIRECTORY_FACET, directoryDisclosures } from './disclosures.ts';
import { BeneficiaryRepository } from './repositories/beneficiaries.ts';
import { ConsentRepository } from './repositories/consents.ts';
import { CourseRepository } from './repositories/courses.ts';
import { FiguresRepository } from './repositories/figures.ts';
import { PartnerRepository } from './repositories/partners.ts';
import { ReferralRepository } from './repositories/referrals.ts';
import { SiteRepository } from './repositories/sites.ts';

export function createRepositories(db: NetworkDb, clock: Clock) {
  return {
    partners: new PartnerRepository(db),
    sites: new SiteRepository(db),
    beneficiaries: new BeneficiaryRepository(db, clock),
    consents: new ConsentRepository(db, clock),
    courses: new CourseRepository(db),
    referrals: new ReferralRepository(db, clock),
    figures: new FiguresRepository(db, clock),
    disclosureLog: new DisclosureLog(db, disclosures, DIRECTORY_FACET, { perHolder: false }),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;

function createLoaders(repos: Repositories, viewer: Viewer) {
  return {
    partner: rowLoader(
      (ids: readonly string[]) => repos.partners.byIds(ids),
      (row) => row.id,
    ),
    site: rowLoader(
      (ids: readonly string[]) => repos.sites.byIds(ids),
      (row) => row.id,
    ),
    sitesByPartner: groupLoader(
      (ids: readonly string[]) => repos.sites.byPartnerIds(ids),
      (row) => row.partnerId,
    ),
    beneficiary: rowLoader(
      (ids: readonly string[]) => repos.beneficiaries.byIds(ids, viewer),
      (row) => row.id,
    ),
    linksByBeneficiary: groupLoader(
      (ids: readonly string[]) => repos.beneficiaries.linksByBeneficiaryIds(ids),
      (row) => row.beneficiaryId,
    ),
    /** The live consents of each person that concern this request's viewer. */
    grantsByBeneficiary: groupLoader(
      (ids: readonly string[]) => repos.consents.grantsFor(viewer, ids),
      (row) => row.beneficiaryId,
    ),
    /** Every consent of each person; referrals past their deadline expire first, with theirs. */
    consentsByBeneficiary: groupLoader(
      async (ids: readonly string[]) => {
        await repos.referrals.expireOverdue();
        return repos.consents.byBeneficiaryIds(ids);
      },
      (row) => row.beneficiaryId,
    ),
    consent: rowLoader(
      (ids: readonly string[]) => repos.consents.byIds(ids),
      (row) => row.id,
    ),
    course: rowLoader(
      (ids: readonly string[]) => repos.courses.byIds(ids),
      (row) => row.id,
    ),
    referral: rowLoader(
      (ids: readonly string[]) => repos.referrals.byIds(ids, viewer),
      (row) => row.id,
    ),
    eventsByReferral: groupLoader(
      (ids: readonly string[]) => repos.referrals.eventsByReferralIds(ids),
      (row) => row.referralId,
    ),
  };
}

export interface Context extends RequestContext {
  repos: Repositories;
  loaders: ReturnType<typeof createLoaders>;
  /** Records what the directory discloses to a viewer not linked to a person, before it leaves. */
  disclosures: ReturnType<typeof directoryDisclosures>;
  /** Where "now" and "today" come from. */
  clock: Clock;
}

export function createContext(base: RequestContext, repos: Repositories, clock: Clock): Context {
  const loaders = createLoaders(repos, base.viewer);
  const log = repos.disclosureLog.forRequest(base.viewer, base.requestId);
  return {
    ...base,
    repos,
    loaders,
    disclosures: directoryDisclosures(log, (id) => loaders.grantsByBeneficiary.load(id)),
    clock,
  };
}

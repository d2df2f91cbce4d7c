import { anyOf, builtOnce } from '@passerelle/db';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { NetworkDb } from '../db/index.ts';
import { sites, type SiteRow } from '../db/schema.ts';

const sitesByIds = builtOnce((db: NetworkDb) =>
  db.select().from(sites).where(anyOf(sites.id, 'ids')).prepare('network_sites_by_ids'),
);
const sitesByPartnerIds = builtOnce((db: NetworkDb) =>
  db
    .select()
    .from(sites)
    .where(anyOf(sites.partnerId, 'partnerIds'))
    .orderBy(asc(sites.name))
    .prepare('network_sites_by_partner_ids'),
);

export interface SiteFilter {
  partnerId?: string | null;
  municipality?: string | null;
}

export class SiteRepository {
  constructor(private readonly db: NetworkDb) {}

  list(filter: SiteFilter = {}): Promise<SiteRow[]> {
    const where: SQL[] = [];
    if (filter.partnerId) where.push(eq(sites.partnerId, filter.partnerId));
    if (filter.municipality) where.push(eq(sites.municipality, filter.municipality));
    return this.db
      .select()
      .from(sites)
      .where(and(...where))
      .orderBy(asc(sites.municipality), asc(sites.name));
  }

  byIds(ids: readonly string[]): Promise<SiteRow[]> {
    return sitesByIds(this.db).execute({ ids: [...ids] });
  }

  byPartnerIds(partnerIds: readonly string[]): Promise<SiteRow[]> {
    return sitesByPartnerIds(this.db).execute({ partnerIds: [...partnerIds] });
  }
}

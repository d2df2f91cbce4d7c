import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { NetworkDb } from '../db/index.ts';
import { sites, type SiteRow } from '../db/schema.ts';

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
    return this.db
      .select()
      .from(sites)
      .where(inArray(sites.id, [...ids]));
  }

  byPartnerIds(partnerIds: readonly string[]): Promise<SiteRow[]> {
    return this.db
      .select()
      .from(sites)
      .where(inArray(sites.partnerId, [...partnerIds]))
      .orderBy(asc(sites.name));
  }
}

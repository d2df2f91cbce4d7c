import { inArray } from 'drizzle-orm';
import type { WomenDb } from '../db/index.ts';
import { womenNetworks, type WomenNetworkRow } from '../db/schema.ts';

/** The women's networks this subgraph serves. */
export class WomenNetworkRepository {
  constructor(private readonly db: WomenDb) {}

  byPartnerIds(ids: readonly string[]): Promise<WomenNetworkRow[]> {
    return this.db
      .select()
      .from(womenNetworks)
      .where(inArray(womenNetworks.partnerId, [...ids]));
  }
}

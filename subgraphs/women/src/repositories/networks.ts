import { asc } from 'drizzle-orm';
import type { WomenDb } from '../db/index.ts';
import { womenNetworks, type WomenNetworkRow } from '../db/schema.ts';

/** The women's networks this subgraph serves. */
export class WomenNetworkRepository {
  constructor(private readonly db: WomenDb) {}

  /** Every served network: a handful of rows, kept by the process for a minute. */
  all(): Promise<WomenNetworkRow[]> {
    return this.db.select().from(womenNetworks).orderBy(asc(womenNetworks.partnerId));
  }
}

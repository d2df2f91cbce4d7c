import { asc, inArray } from 'drizzle-orm';
import type { NetworkDb } from '../db/index.ts';
import { partners, type PartnerRow } from '../db/schema.ts';

export class PartnerRepository {
  constructor(private readonly db: NetworkDb) {}

  list(): Promise<PartnerRow[]> {
    return this.db.select().from(partners).orderBy(asc(partners.name));
  }

  byIds(ids: readonly string[]): Promise<PartnerRow[]> {
    return this.db
      .select()
      .from(partners)
      .where(inArray(partners.id, [...ids]));
  }
}

import { anyOf, builtOnce } from '@passerelle/db';
import { asc } from 'drizzle-orm';
import type { NetworkDb } from '../db/index.ts';
import { partners, type PartnerRow } from '../db/schema.ts';

const partnersByIds = builtOnce((db: NetworkDb) =>
  db.select().from(partners).where(anyOf(partners.id, 'ids')).prepare('network_partners_by_ids'),
);

export class PartnerRepository {
  constructor(private readonly db: NetworkDb) {}

  list(): Promise<PartnerRow[]> {
    return this.db.select().from(partners).orderBy(asc(partners.name));
  }

  byIds(ids: readonly string[]): Promise<PartnerRow[]> {
    return partnersByIds(this.db).execute({ ids: [...ids] });
  }
}

// The help desks this subgraph serves and their weekly drop-in sessions at network sites. Every
// read takes a list of keys: DataLoaders call them once per request and entity type.
import { anyOf, builtOnce } from '@passerelle/db';
import { asc } from 'drizzle-orm';
import type { HelpdeskDb } from '../db/index.ts';
import { dropIns, servedPartners, type DropInRow, type ServedPartnerRow } from '../db/schema.ts';

const dropInsOfSites = builtOnce((db: HelpdeskDb) =>
  db
    .select()
    .from(dropIns)
    .where(anyOf(dropIns.siteId, 'ids'))
    .orderBy(asc(dropIns.weekday), asc(dropIns.opensAt), asc(dropIns.partnerId))
    .prepare('helpdesk_drop_ins_of_sites'),
);

export class HelpDeskRepository {
  constructor(private readonly db: HelpdeskDb) {}

  /** Every served help desk: a handful of rows, kept by the process for a minute. */
  servedPartners(): Promise<ServedPartnerRow[]> {
    return this.db.select().from(servedPartners).orderBy(asc(servedPartners.partnerId));
  }

  /** The drop-in sessions held at these sites, Monday first, then by opening time. */
  dropInsBySiteIds(ids: readonly string[]): Promise<DropInRow[]> {
    return dropInsOfSites(this.db).execute({ ids: [...ids] });
  }
}

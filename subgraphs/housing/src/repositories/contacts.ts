import { and, asc, desc, inArray } from 'drizzle-orm';
import type { HousingDb } from '../db/index.ts';
import { contactChannels, type ContactChannelRow } from '../db/schema.ts';

/** The tenant-relations CRM: how each agency reaches the people it houses. */
export class ContactRepository {
  constructor(private readonly db: HousingDb) {}

  byBeneficiaryIds(
    ids: readonly string[],
    agencyIds: readonly string[],
  ): Promise<ContactChannelRow[]> {
    return this.db
      .select()
      .from(contactChannels)
      .where(
        and(
          inArray(contactChannels.beneficiaryId, [...ids]),
          inArray(contactChannels.agencyId, [...agencyIds]),
        ),
      )
      .orderBy(
        desc(contactChannels.preferred),
        asc(contactChannels.kind),
        asc(contactChannels.createdAt),
      );
  }
}

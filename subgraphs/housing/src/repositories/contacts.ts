import { anyOf, builtOnce } from '@passerelle/db';
import { and, asc, desc } from 'drizzle-orm';
import type { HousingDb } from '../db/index.ts';
import { contactChannels, type ContactChannelRow } from '../db/schema.ts';

const contactsByBeneficiaryIds = builtOnce((db: HousingDb) =>
  db
    .select()
    .from(contactChannels)
    .where(
      and(
        anyOf(contactChannels.beneficiaryId, 'ids'),
        anyOf(contactChannels.agencyId, 'agencyIds'),
      ),
    )
    .orderBy(
      desc(contactChannels.preferred),
      asc(contactChannels.kind),
      asc(contactChannels.createdAt),
    )
    .prepare('housing_contacts_by_beneficiary_ids'),
);

/** The tenant-relations CRM: how each agency reaches the people it houses. */
export class ContactRepository {
  constructor(private readonly db: HousingDb) {}

  byBeneficiaryIds(
    ids: readonly string[],
    agencyIds: readonly string[],
  ): Promise<ContactChannelRow[]> {
    return contactsByBeneficiaryIds(this.db).execute({ ids: [...ids], agencyIds: [...agencyIds] });
  }
}

import { anyOf, builtOnce } from '@passerelle/db';
import { sql } from 'drizzle-orm';
import type { WomenDb } from '../db/index.ts';
import { safeContactPreferences, type ContactChannel, type SafeContactRow } from '../db/schema.ts';

export interface SafeContactInput {
  networkId: string;
  beneficiaryId: string;
  channel: ContactChannel;
  allowedTimeWindows: string | null;
  noVoicemail: boolean;
  discreetSender: boolean;
  codeWord: string | null;
  updatedBy: string;
}

const safeContactsByBeneficiaryIds = builtOnce((db: WomenDb) =>
  db
    .select()
    .from(safeContactPreferences)
    .where(anyOf(safeContactPreferences.beneficiaryId, 'ids'))
    .prepare('women_safe_contacts_by_beneficiary_ids'),
);

/** How and when each network may safely contact a woman. */
export class SafeContactRepository {
  constructor(private readonly db: WomenDb) {}

  byBeneficiaryIds(ids: readonly string[]): Promise<SafeContactRow[]> {
    return safeContactsByBeneficiaryIds(this.db).execute({ ids: [...ids] });
  }

  /** Records a network's preference for one woman, replacing the previous one entirely. */
  async upsert(input: SafeContactInput): Promise<SafeContactRow> {
    const { networkId: _network, beneficiaryId: _beneficiary, ...fields } = input;
    const [row] = await this.db
      .insert(safeContactPreferences)
      .values(input)
      .onConflictDoUpdate({
        target: [safeContactPreferences.networkId, safeContactPreferences.beneficiaryId],
        set: { ...fields, updatedAt: sql`now()` },
      })
      .returning();
    if (!row) throw new Error('upsert returned no row');
    return row;
  }
}

import { anyOf, builtOnce } from '@passerelle/db';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { HousingDb } from '../db/index.ts';
import { dwellings, tenancies, type TenancyRow } from '../db/schema.ts';
import { isUniqueViolation } from './unique-violation.ts';

export interface NewTenancy {
  agencyId: string;
  dwellingId: string;
  beneficiaryId: string;
  role: string;
  startsOn: string;
  accompaniment: string | null;
  recordedBy: string;
}

export type RecordTenancyOutcome =
  | { kind: 'recorded'; tenancy: TenancyRow; ended: TenancyRow | null }
  /** The dwelling is not one of the agency's. */
  | { kind: 'no-dwelling' }
  /** The person already lives in this dwelling. */
  | { kind: 'same-dwelling'; open: TenancyRow }
  /** The new tenancy would not start after the open one. */
  | { kind: 'not-after'; open: TenancyRow }
  /** Another request recorded an open tenancy for the person at the same moment. */
  | { kind: 'race' };

const tenanciesByBeneficiaryIds = builtOnce((db: HousingDb) =>
  db
    .select()
    .from(tenancies)
    .where(and(anyOf(tenancies.beneficiaryId, 'ids'), anyOf(tenancies.agencyId, 'agencyIds')))
    .orderBy(desc(tenancies.startsOn))
    .prepare('housing_tenancies_by_beneficiary_ids'),
);
const tenanciesByDwellingIds = builtOnce((db: HousingDb) =>
  db
    .select()
    .from(tenancies)
    .where(and(anyOf(tenancies.dwellingId, 'ids'), anyOf(tenancies.agencyId, 'agencyIds')))
    .orderBy(tenancies.startsOn)
    .prepare('housing_tenancies_by_dwelling_ids'),
);

/** Who lives where: tenancies and households of each agency's dwellings. */
export class TenancyRepository {
  constructor(private readonly db: HousingDb) {}

  byBeneficiaryIds(ids: readonly string[], agencyIds: readonly string[]): Promise<TenancyRow[]> {
    return tenanciesByBeneficiaryIds(this.db).execute({ ids: [...ids], agencyIds: [...agencyIds] });
  }

  byDwellingIds(ids: readonly string[], agencyIds: readonly string[]): Promise<TenancyRow[]> {
    return tenanciesByDwellingIds(this.db).execute({ ids: [...ids], agencyIds: [...agencyIds] });
  }

  /**
   * Records a tenancy, ending the person's open tenancy with the agency in another dwelling on
   * the day before. The open tenancy is locked, and the partial unique index on open tenancies
   * settles two first tenancies recorded at the same moment.
   */
  async record(input: NewTenancy, dayBefore: string): Promise<RecordTenancyOutcome> {
    try {
      return await this.db.transaction(async (tx): Promise<RecordTenancyOutcome> => {
        const [dwelling] = await tx
          .select({ id: dwellings.id })
          .from(dwellings)
          .where(and(eq(dwellings.id, input.dwellingId), eq(dwellings.agencyId, input.agencyId)));
        if (!dwelling) return { kind: 'no-dwelling' };
        const [open] = await tx
          .select()
          .from(tenancies)
          .where(
            and(
              eq(tenancies.agencyId, input.agencyId),
              eq(tenancies.beneficiaryId, input.beneficiaryId),
              isNull(tenancies.endsOn),
            ),
          )
          .for('update');
        let ended: TenancyRow | undefined;
        if (open) {
          if (open.dwellingId === input.dwellingId) return { kind: 'same-dwelling', open };
          if (open.startsOn >= input.startsOn) return { kind: 'not-after', open };
          [ended] = await tx
            .update(tenancies)
            .set({ endsOn: dayBefore })
            .where(eq(tenancies.id, open.id))
            .returning();
        }
        const [tenancy] = await tx.insert(tenancies).values(input).returning();
        if (!tenancy) throw new Error('insert returned no row');
        return { kind: 'recorded', tenancy, ended: ended ?? null };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'tenancies_open_uq')) return { kind: 'race' };
      throw error;
    }
  }
}

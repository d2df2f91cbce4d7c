import { asc } from 'drizzle-orm';
import type { HousingDb } from '../db/index.ts';
import { housingAgencies } from '../db/schema.ts';

/** The housing agencies this subgraph serves. */
export class AgencyRepository {
  constructor(private readonly db: HousingDb) {}

  async ids(): Promise<string[]> {
    const rows = await this.db
      .select({ id: housingAgencies.id })
      .from(housingAgencies)
      .orderBy(asc(housingAgencies.id));
    return rows.map((row) => row.id);
  }
}

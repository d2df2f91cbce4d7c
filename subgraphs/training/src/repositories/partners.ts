import { asc } from 'drizzle-orm';
import type { TrainingDb } from '../db/index.ts';
import { trainingPartners } from '../db/schema.ts';

/** The training partners this subgraph serves. */
export class TrainingPartnerRepository {
  constructor(private readonly db: TrainingDb) {}

  async ids(): Promise<string[]> {
    const rows = await this.db
      .select({ id: trainingPartners.id })
      .from(trainingPartners)
      .orderBy(asc(trainingPartners.id));
    return rows.map((row) => row.id);
  }
}

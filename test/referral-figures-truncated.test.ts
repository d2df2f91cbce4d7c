// The coordinators' figures after `TRUNCATE referrals`: a truncation logs no change, so an answer
// kept from before must never be brought up to date from the log. The truncation trigger draws a
// new generation of the referrals' versions (ADR 0009), and the figures are computed afresh.
import type { Database } from '@passerelle/db';
import { ManualClock, type Viewer } from '@passerelle/service';
import { createTestDatabase } from '@passerelle/testkit';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkDb, schema } from '../subgraphs/network/src/db/index.ts';
import {
  COUNTS,
  FiguresRepository,
  MEDIANS,
  type FiguresVersion,
} from '../subgraphs/network/src/repositories/figures.ts';
import { periodStarts } from '../subgraphs/network/src/resolvers/figures.ts';
import { network as networkModule } from '../subgraphs/network/src/subgraph.ts';

const clock = new ManualClock(new Date('2026-12-01T09:00:00Z'));
const coordinator: Viewer = { sub: 'coordinator:figures', partner: null, role: 'coordinator' };
const scope = { from: '2026-01-01', to: '2026-12-31', fromPartnerId: null, toPartnerId: null };
const starts = periodStarts(scope.from, scope.to, 'MONTH');
const everything = { counts: COUNTS, medians: MEDIANS };
const counts = { counts: COUNTS, medians: [] };

describe('referral figures after the referrals were truncated', () => {
  let database: Database<typeof schema>;
  let db: NetworkDb;

  beforeAll(async () => {
    database = await createTestDatabase(networkModule);
    db = database.db as unknown as NetworkDb;
    await networkModule.seed(database.db);
  });
  afterAll(() => database.close());

  const figures = async (repo: FiguresRepository, at: FiguresVersion) => ({
    total: await repo.total(coordinator, at, everything),
    busiest: await repo.byPair(coordinator, at, 2, counts),
    months: await repo.series(coordinator, at, starts, counts),
  });
  const now = async (repo: FiguresRepository) => ({ scope, ...(await repo.version()) });

  it('computes them afresh, as a repository that kept nothing does', async () => {
    const kept = new FiguresRepository(db, clock);
    const before = await now(kept);
    const first = await figures(kept, before);
    expect(first.total.counts.sent).toBeGreaterThan(3);

    // The referrals go, and a few come back: fewer than before, in a new generation.
    await db.execute(sql`create temporary table saved as select * from referrals`);
    await db.execute(sql`truncate referrals cascade`);
    await db.execute(
      sql`insert into referrals select * from saved order by sent_at limit (select count(*) / 2 from saved)`,
    );
    const after = await now(kept);
    expect(after.generation).not.toBe(before.generation);
    expect(after.version).toBeGreaterThan(before.version);

    database.statements.reset();
    const answered = await figures(kept, after);
    // Nothing was read from the log of changes: the answers kept were of another generation.
    expect(
      database.statements.statements.filter((text) => text.includes('referral_figure_changes')),
    ).toEqual([]);
    expect(answered).toEqual(await figures(new FiguresRepository(db, clock), after));
    expect(answered.total.counts.sent).toBeLessThan(first.total.counts.sent);
  });
});

// The vacuum a subgraph schedules for its embedded database: every so many minutes on PGlite,
// never on PostgreSQL (autovacuum's job there), never when set to 0, and a failed one logged
// without stopping the next.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { vacuumEvery } from '../src/run-subgraph.ts';

const MINUTE = 60_000;
const log = createLogger('test', 'silent');

/** A database that counts its vacuums, each failing when `fails`. */
function countingDatabase(driver: 'pglite' | 'postgres', fails = false) {
  const database = {
    driver,
    vacuums: 0,
    vacuum: async () => {
      database.vacuums += 1;
      if (fails) throw new Error('no space left on device');
    },
  };
  return database;
}

describe('vacuumEvery', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('vacuums PGlite every interval, and no more once stopped', async () => {
    const database = countingDatabase('pglite');
    const schedule = vacuumEvery(database, 60, log);
    await vi.advanceTimersByTimeAsync(59 * MINUTE);
    expect(database.vacuums).toBe(0);
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(database.vacuums).toBe(1);
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(database.vacuums).toBe(2);
    await schedule.stop();
    await vi.advanceTimersByTimeAsync(180 * MINUTE);
    expect(database.vacuums).toBe(2);
  });

  it('leaves PostgreSQL to autovacuum, and PGlite alone when the interval is 0', async () => {
    const postgres = countingDatabase('postgres');
    const never = countingDatabase('pglite');
    const schedules = [vacuumEvery(postgres, 60, log), vacuumEvery(never, 0, log)];
    await vi.advanceTimersByTimeAsync(600 * MINUTE);
    expect([postgres.vacuums, never.vacuums]).toEqual([0, 0]);
    await Promise.all(schedules.map((schedule) => schedule.stop()));
  });

  it('keeps to the schedule after a vacuum failed', async () => {
    const database = countingDatabase('pglite', true);
    const schedule = vacuumEvery(database, 10, log);
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    expect(database.vacuums).toBe(3);
    await schedule.stop();
  });
});

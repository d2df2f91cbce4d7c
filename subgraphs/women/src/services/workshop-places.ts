// Which workshops of the women's networks have no place left, for coordinators and for partner
// staff about to refer someone: head counts from this subgraph, capacities from the directory.
import { brusselsInstant } from '@passerelle/service';
import { assertReadsWorkshopOccupancy } from '../access.ts';
import type { Context } from '../context.ts';

/** A directory course with no place left. */
export interface FullWorkshop {
  id: string;
  capacity: number;
}

/**
 * Workshops still running on `runningOn` whose participants reach their directory capacity: one
 * grouped statement over the workshops with participants, one batched lookup of their capacities.
 */
export async function workshopsWithoutPlaces(
  ctx: Context,
  runningOn: string,
): Promise<FullWorkshop[]> {
  assertReadsWorkshopOccupancy(ctx);
  const candidates = await ctx.repos.workshops.participantsOfRunning(brusselsInstant(runningOn));
  const courses = await Promise.all(
    candidates.map((row) => ctx.network.course.load(row.workshopId)),
  );
  return candidates.flatMap((row, index) => {
    const course = courses[index];
    return course && row.participants >= course.capacity
      ? [{ id: course.id, capacity: course.capacity }]
      : [];
  });
}

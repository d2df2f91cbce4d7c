// Which courses have no seat left. Seats taken are counted here, in one grouped statement; the
// capacity is the directory's, asked of network in one batched call.
import { brusselsDate, ErrorCode, PublicError } from '@passerelle/service';
import { seesCourseFill } from '../access.ts';
import type { Context } from '../context.ts';

/** The courses of served training partners still running on `runningOn` and full, by id. */
export async function coursesWithoutSeats(
  ctx: Context,
  runningOn: string | null | undefined,
): Promise<{ id: string; capacity: number }[]> {
  if (!seesCourseFill(ctx.viewer)) {
    throw new PublicError(
      ErrorCode.Forbidden,
      "Only coordinators and partners' staff, partner admins and volunteers see which courses are full",
    );
  }
  const day = runningOn ?? brusselsDate(ctx.clock.now());
  const taken = await ctx.repos.courses.seatsTakenRunningOn(day);
  const directory = await Promise.all(taken.map((row) => ctx.network.course.load(row.courseId)));
  return taken.flatMap((row, index) => {
    const course = directory[index];
    return course && row.taken >= course.capacity
      ? [{ id: course.id, capacity: course.capacity }]
      : [];
  });
}

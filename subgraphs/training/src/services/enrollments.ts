// The rules of enrolling people and recording attendance. Network is asked, in one batched
// call per entity type, whether the course belongs to the caller's partner and whether the
// person exists and is known to that partner.
import { inputError, uuid, validate, z, type InputError } from '@passerelle/service';
import { attendanceRecorder, staffPartner } from '../access.ts';
import type { Context } from '../context.ts';
import type { CourseSessionRow, EnrollmentRow } from '../db/schema.ts';

const enrollInput = z.object({ courseId: uuid, beneficiaryId: uuid });

const attendanceInput = z.object({
  sessionId: uuid,
  entries: z
    .array(z.object({ beneficiaryId: uuid, present: z.boolean() }))
    .min(1, 'Give at least one entry')
    .max(100, 'At most 100 entries'),
});

export async function enroll(
  ctx: Context,
  input: unknown,
): Promise<{ enrollment: EnrollmentRow | null; errors: InputError[] }> {
  const fail = (errors: InputError[]) => ({ enrollment: null, errors });
  const partnerId = staffPartner(ctx.viewer, await ctx.servedPartners());
  if (!partnerId) {
    return fail([
      inputError('input', 'NOT_ALLOWED', 'Only staff of the training partner enroll people'),
    ]);
  }
  const checked = validate(enrollInput, input);
  if (!checked.ok) return fail(checked.errors);
  const { courseId, beneficiaryId } = checked.value;

  const [course, person] = await Promise.all([
    ctx.network.course.load(courseId),
    ctx.network.beneficiary.load(beneficiaryId),
  ]);
  const errors: InputError[] = [];
  if (!course) errors.push(inputError('input.courseId', 'NOT_FOUND', 'No such course'));
  else if (course.partnerId !== partnerId) {
    errors.push(
      inputError('input.courseId', 'NOT_ALLOWED', 'The course is run by another partner'),
    );
  }
  if (!person || !person.partnerIds.includes(partnerId)) {
    errors.push(
      inputError('input.beneficiaryId', 'NOT_FOUND', 'No such person known to your partner'),
    );
  }
  if (errors.length || !course) return fail(errors);

  const enrollment = await ctx.repos.enrollments.enroll({
    courseId,
    beneficiaryId,
    partnerId,
    capacity: course.capacity,
    enrolledBy: ctx.viewer.sub,
  });
  return { enrollment, errors: [] };
}

export async function recordAttendance(
  ctx: Context,
  input: unknown,
): Promise<{ session: CourseSessionRow | null; recorded: number; errors: InputError[] }> {
  const fail = (errors: InputError[]) => ({ session: null, recorded: 0, errors });
  const partnerId = attendanceRecorder(ctx.viewer, await ctx.servedPartners());
  if (!partnerId) {
    return fail([
      inputError('input', 'NOT_ALLOWED', 'Only the training partner records attendance'),
    ]);
  }
  const checked = validate(attendanceInput, input);
  if (!checked.ok) return fail(checked.errors);
  const { sessionId, entries } = checked.value;

  const session = await ctx.loaders.session.load(sessionId);
  const offer = session ? await ctx.loaders.offer.load(session.courseId) : null;
  if (!session || offer?.partnerId !== partnerId) {
    return fail([inputError('input.sessionId', 'NOT_FOUND', 'No such session of your courses')]);
  }
  const ids = entries.map((entry) => entry.beneficiaryId);
  const enrolled = await ctx.repos.courses.enrolledAmong(session.courseId, ids);
  const errors = entries.flatMap((entry, index) =>
    enrolled.has(entry.beneficiaryId)
      ? []
      : [
          inputError(
            `input.entries.${index}.beneficiaryId`,
            'NOT_FOUND',
            'Not enrolled in this course',
          ),
        ],
  );
  if (new Set(ids).size !== ids.length) {
    errors.push(inputError('input.entries', 'DUPLICATE', 'A person appears twice'));
  }
  if (errors.length) return fail(errors);

  const recorded = await ctx.repos.courses.recordAttendance(sessionId, entries, ctx.viewer.sub);
  return { session, recorded, errors: [] };
}

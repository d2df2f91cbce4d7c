// The rules of enrolling people and recording attendance. Network is asked, in one batched
// call per entity type, whether the course belongs to the caller's partner, whether the person
// exists and is known to that partner, and, when enrolling from a referral, what the referral says.
import { brusselsDate, inputError, uuid, validate, z, type InputError } from '@passerelle/service';
import { attendanceRecorder, staffPartner } from '../access.ts';
import type { Context } from '../context.ts';
import type { CourseSessionRow, EnrollmentRow } from '../db/schema.ts';

const enrollInput = z.object({
  courseId: uuid.nullish(),
  beneficiaryId: uuid.nullish(),
  referralId: uuid.nullish(),
});

const attendanceInput = z.object({
  sessionId: uuid,
  entries: z
    .array(z.object({ beneficiaryId: uuid, present: z.boolean() }))
    .min(1, 'Give at least one entry')
    .max(100, 'At most 100 entries'),
});

/** The referral statuses in which the receiving partner has taken the person on. */
const ENROLLABLE_REFERRAL: ReadonlySet<string> = new Set(['ACCEPTED', 'IN_PROGRESS']);

type EnrollResult = { enrollment: EnrollmentRow | null; errors: InputError[] };

/** Who to enroll in which course, and the input fields to blame when a check fails. */
interface EnrollTarget {
  courseId: string;
  beneficiaryId: string;
  referralId: string | null;
  courseField: string;
  personField: string;
}

export async function enroll(ctx: Context, input: unknown): Promise<EnrollResult> {
  const fail = (errors: InputError[]) => ({ enrollment: null, errors });
  const partnerId = staffPartner(ctx.viewer, await ctx.servedPartners());
  if (!partnerId) {
    return fail([
      inputError('input', 'NOT_ALLOWED', 'Only staff of the training partner enroll people'),
    ]);
  }
  const checked = validate(enrollInput, input);
  if (!checked.ok) return fail(checked.errors);
  const { courseId, beneficiaryId, referralId } = checked.value;

  let target: EnrollTarget;
  if (referralId) {
    if (courseId || beneficiaryId) {
      return fail([
        inputError(
          'input.referralId',
          'INVALID',
          'Give referralId alone, or courseId and beneficiaryId without it',
        ),
      ]);
    }
    const fromReferral = await referralTarget(ctx, partnerId, referralId);
    if ('errors' in fromReferral) return fail(fromReferral.errors);
    target = fromReferral;
  } else {
    if (!courseId || !beneficiaryId) {
      const missing = (field: string) =>
        inputError(field, 'REQUIRED', 'Required, unless referralId is given');
      return fail([
        ...(courseId ? [] : [missing('input.courseId')]),
        ...(beneficiaryId ? [] : [missing('input.beneficiaryId')]),
      ]);
    }
    target = {
      courseId,
      beneficiaryId,
      referralId: null,
      courseField: 'input.courseId',
      personField: 'input.beneficiaryId',
    };
  }
  return enrollTarget(ctx, partnerId, target);
}

/**
 * The person and course of a referral the caller's partner received and accepted. Another
 * partner's referral reads as unknown: network shows a referral to its sender and receiver only.
 */
async function referralTarget(
  ctx: Context,
  partnerId: string,
  referralId: string,
): Promise<EnrollTarget | { errors: InputError[] }> {
  const field = 'input.referralId';
  const refuse = (code: InputError['code'], message: string) => ({
    errors: [inputError(field, code, message)],
  });
  const referral = await ctx.network.referral.load(referralId);
  if (!referral) return refuse('NOT_FOUND', 'No such referral');
  if (referral.toPartnerId !== partnerId) {
    return refuse('NOT_ALLOWED', 'Only the partner that received the referral enrolls from it');
  }
  if (!referral.courseId) return refuse('INVALID', 'This referral is not for a course');
  if (!ENROLLABLE_REFERRAL.has(referral.status)) {
    return refuse(
      'NOT_ALLOWED',
      `The referral is ${referral.status}; only an ACCEPTED or IN_PROGRESS referral enrolls the person`,
    );
  }
  if (!referral.beneficiaryId) {
    return refuse('NOT_FOUND', 'The person referred is no longer in the network directory');
  }
  return {
    courseId: referral.courseId,
    beneficiaryId: referral.beneficiaryId,
    referralId: referral.id,
    courseField: field,
    personField: field,
  };
}

/** Checks with network that the course is the partner's and the person known to it, then enrolls. */
async function enrollTarget(
  ctx: Context,
  partnerId: string,
  target: EnrollTarget,
): Promise<EnrollResult> {
  const [course, person] = await Promise.all([
    ctx.network.course.load(target.courseId),
    ctx.network.beneficiary.load(target.beneficiaryId),
  ]);
  const errors: InputError[] = [];
  if (!course) errors.push(inputError(target.courseField, 'NOT_FOUND', 'No such course'));
  else if (course.partnerId !== partnerId) {
    errors.push(
      inputError(target.courseField, 'NOT_ALLOWED', 'The course is run by another partner'),
    );
  }
  if (!person || !person.partnerIds.includes(partnerId)) {
    errors.push(
      inputError(target.personField, 'NOT_FOUND', 'No such person known to your partner'),
    );
  }
  if (errors.length || !course) return { enrollment: null, errors };

  const enrollment = await ctx.repos.enrollments.enroll({
    courseId: target.courseId,
    beneficiaryId: target.beneficiaryId,
    partnerId,
    capacity: course.capacity,
    enrolledBy: ctx.viewer.sub,
    referralId: target.referralId,
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
  // From the session's day on (a trainer may call the roll before it starts), never ahead.
  if (brusselsDate(session.startsAt) > brusselsDate(ctx.clock.now())) {
    return fail([
      inputError(
        'input.sessionId',
        'OUT_OF_RANGE',
        'Attendance is recorded from the session day on',
      ),
    ]);
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

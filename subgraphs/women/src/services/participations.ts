// The rules of registering a woman in a workshop: the workshop must be one of the caller's
// network, the woman must be known to that network, and the workshop's places and childcare
// places are limited. The workshop and the woman are named directly, or by a network referral
// the caller's network received and accepted.
import { inputError, uuid, validate, z, type InputError } from '@passerelle/service';
import { writerNetwork } from '../access.ts';
import type { Context } from '../context.ts';
import type { ParticipationRow } from '../db/schema.ts';
import { checkKnownBy } from './network-checks.ts';

const MAX_CHILDREN = 10;

/** Referral statuses that mean the receiving network took the woman on. */
const ACCEPTED_STATUSES: readonly string[] = ['ACCEPTED', 'IN_PROGRESS'];
/** Referral statuses still waiting for the receiving network's answer. */
const UNANSWERED_STATUSES: readonly string[] = ['SENT', 'ACKNOWLEDGED'];

const registerInput = z
  .object({
    beneficiaryId: uuid.nullish(),
    courseId: uuid.nullish(),
    referralId: uuid.nullish(),
    childcareNeeded: z.boolean(),
    childrenCount: z
      .number()
      .int('Give a whole number')
      .min(1, 'At least 1 child')
      .max(MAX_CHILDREN, `At most ${MAX_CHILDREN} children`)
      .nullish(),
  })
  .refine(
    (input) =>
      input.childcareNeeded || input.childrenCount === undefined || input.childrenCount === null,
    {
      path: ['childrenCount'],
      message: 'Give a number of children only when childcare is needed',
    },
  );

/** The workshop and the woman to register, and the input field that named the workshop. */
interface Target {
  courseId: string;
  beneficiaryId: string;
  referralId: string | null;
  /** Where problems with the workshop (or, for a referral, the woman) are reported. */
  courseField: string;
  personField: string;
}

type Result = { participation: ParticipationRow | null; errors: InputError[] };

export async function registerParticipation(ctx: Context, input: unknown): Promise<Result> {
  const fail = (errors: InputError[]): Result => ({ participation: null, errors });
  const networkId = await writerNetwork(ctx);
  if (!networkId) {
    return fail([
      inputError('input', 'NOT_ALLOWED', "Only staff of a women's network register participations"),
    ]);
  }
  const checked = validate(registerInput, input);
  if (!checked.ok) return fail(checked.errors);
  const { beneficiaryId, courseId, referralId, childcareNeeded } = checked.value;
  const childrenCount = childcareNeeded ? (checked.value.childrenCount ?? 1) : 0;

  let target: Target;
  if (referralId) {
    if (courseId || beneficiaryId) {
      return fail([
        inputError(
          'input.referralId',
          'INVALID',
          'Give either a referral, or a workshop and a woman, not both',
        ),
      ]);
    }
    const fromReferral = await referralTarget(ctx, referralId, networkId);
    if (Array.isArray(fromReferral)) return fail(fromReferral);
    target = fromReferral;
  } else {
    const missing: InputError[] = [];
    if (!courseId) {
      missing.push(inputError('input.courseId', 'REQUIRED', 'Give the workshop, or a referral'));
    }
    if (!beneficiaryId) {
      missing.push(inputError('input.beneficiaryId', 'REQUIRED', 'Give the woman, or a referral'));
    }
    if (missing.length || !courseId || !beneficiaryId) return fail(missing);
    target = {
      courseId,
      beneficiaryId,
      referralId: null,
      courseField: 'input.courseId',
      personField: 'input.beneficiaryId',
    };
  }

  const [course, workshop, personErrors] = await Promise.all([
    ctx.network.course.load(target.courseId),
    ctx.loaders.workshop.load(target.courseId),
    checkKnownBy(ctx, target.beneficiaryId, networkId, target.personField),
  ]);
  const errors: InputError[] = [];
  if (!course) {
    errors.push(inputError(target.courseField, 'NOT_FOUND', 'No such course'));
  } else if (course.partnerId !== networkId) {
    errors.push(
      inputError(target.courseField, 'NOT_ALLOWED', 'The course is run by another partner'),
    );
  } else if (!workshop || workshop.networkId !== networkId) {
    errors.push(
      inputError(target.courseField, 'NOT_FOUND', 'The course is not a workshop of your network'),
    );
  } else if (childcareNeeded && !workshop.childcareAvailable) {
    errors.push(
      inputError('input.childcareNeeded', 'INVALID', 'This workshop offers no childcare'),
    );
  }
  errors.push(...personErrors);
  if (errors.length || !course || !workshop) return fail(errors);

  const registration = await ctx.repos.participations.register({
    workshopId: workshop.courseId,
    networkId,
    beneficiaryId: target.beneficiaryId,
    childcareNeeded,
    childrenCount,
    capacity: course.capacity,
    registeredBy: ctx.viewer.sub,
    referralId: target.referralId,
    registeredOn: ctx.today,
  });
  switch (registration.outcome) {
    case 'registered':
    case 'existing':
      return { participation: registration.participation, errors: [] };
    case 'workshop-full':
      return fail([inputError(target.courseField, 'FULL', 'The workshop has no place left')]);
    case 'childcare-full':
      return fail([
        inputError(
          'input.childrenCount',
          'FULL',
          registration.childcarePlacesLeft === 0
            ? 'No childcare place is left in this workshop'
            : `Only ${registration.childcarePlacesLeft} childcare place(s) left in this workshop`,
        ),
      ]);
  }
}

/**
 * The workshop and the woman a referral names, once network confirms that the caller's network
 * received it for a workshop and accepted it. Network answers only the referral's sender and
 * receiver, so a referral of other partners reads as missing.
 */
async function referralTarget(
  ctx: Context,
  referralId: string,
  networkId: string,
): Promise<Target | InputError[]> {
  const field = 'input.referralId';
  const referral = await ctx.network.referral.load(referralId);
  if (!referral) return [inputError(field, 'NOT_FOUND', 'No such referral visible to you')];
  if (referral.toPartnerId !== networkId) {
    return [inputError(field, 'NOT_ALLOWED', 'This referral was not sent to your network')];
  }
  if (!referral.courseId) {
    return [inputError(field, 'INVALID', 'This referral is not for a workshop')];
  }
  if (!ACCEPTED_STATUSES.includes(referral.status)) {
    return [
      inputError(
        field,
        'NOT_ALLOWED',
        UNANSWERED_STATUSES.includes(referral.status)
          ? `The referral is still ${referral.status}: accept it before registering her`
          : `The referral is ${referral.status}: only an ACCEPTED or IN_PROGRESS referral registers a woman`,
      ),
    ];
  }
  if (!referral.beneficiaryId) {
    return [inputError(field, 'NOT_FOUND', 'The woman referred is no longer in the directory')];
  }
  return {
    courseId: referral.courseId,
    beneficiaryId: referral.beneficiaryId,
    referralId: referral.id,
    courseField: field,
    personField: field,
  };
}

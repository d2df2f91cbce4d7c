// The rules of registering a woman in a workshop: the workshop must be one of the caller's
// network, the woman must be known to that network, and the workshop's places and childcare
// places are limited.
import { inputError, uuid, validate, z, type InputError } from '@passerelle/service';
import { writerNetwork } from '../access.ts';
import type { Context } from '../context.ts';
import type { ParticipationRow } from '../db/schema.ts';
import { checkKnownBy } from './network-checks.ts';

const MAX_CHILDREN = 10;

const registerInput = z
  .object({
    beneficiaryId: uuid,
    courseId: uuid,
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
  const { beneficiaryId, courseId, childcareNeeded } = checked.value;
  const childrenCount = childcareNeeded ? (checked.value.childrenCount ?? 1) : 0;

  const [course, workshop, personErrors] = await Promise.all([
    ctx.network.course.load(courseId),
    ctx.loaders.workshop.load(courseId),
    checkKnownBy(ctx, beneficiaryId, networkId),
  ]);
  const errors: InputError[] = [];
  if (!course) {
    errors.push(inputError('input.courseId', 'NOT_FOUND', 'No such course'));
  } else if (course.partnerId !== networkId) {
    errors.push(
      inputError('input.courseId', 'NOT_ALLOWED', 'The course is run by another partner'),
    );
  } else if (!workshop || workshop.networkId !== networkId) {
    errors.push(
      inputError('input.courseId', 'NOT_FOUND', 'The course is not a workshop of your network'),
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
    beneficiaryId,
    childcareNeeded,
    childrenCount,
    capacity: course.capacity,
    registeredBy: ctx.viewer.sub,
  });
  switch (registration.outcome) {
    case 'registered':
    case 'existing':
      return { participation: registration.participation, errors: [] };
    case 'workshop-full':
      return fail([inputError('input.courseId', 'FULL', 'The workshop has no place left')]);
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

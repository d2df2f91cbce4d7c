// The rules of enrolling a child in a homework club. Children are minors, so the guardian and
// their consent are always required. Network is asked, in one batched call per entity type,
// whether the club is the caller's course and whether the child (and the guardian, when given
// by network id) exist and are known to the caller's partner.
import {
  inputError,
  PublicError,
  ErrorCode,
  text,
  uuid,
  validate,
  z,
  type InputError,
} from '@passerelle/service';
import { writerSchool } from '../access.ts';
import { addDays, schoolYearOf } from '../calendar.ts';
import type { Context } from '../context.ts';
import type { ClubMembershipRow, PupilRow } from '../db/schema.ts';

export const GRADES = [
  'P1',
  'P2',
  'P3',
  'P4',
  'P5',
  'P6',
  'S1',
  'S2',
  'S3',
  'S4',
  'S5',
  'S6',
] as const;
export const GUARDIAN_RELATIONS = [
  'MOTHER',
  'FATHER',
  'GRANDPARENT',
  'SIBLING',
  'AUNT_UNCLE',
  'LEGAL_GUARDIAN',
  'FOSTER_PARENT',
  'OTHER',
] as const;
export const CONSENT_METHODS = ['WRITTEN', 'ORAL_ATTESTED', 'DIGITAL'] as const;

/** How far ahead a child may be enrolled. */
const MAX_DAYS_AHEAD = 60;
/** How far back a child may be recorded as having joined. */
export const MAX_DAYS_BACK = 366;
/** No guardian's consent recorded here is older than this day. */
const EARLIEST_CONSENT_DAY = '2000-01-01';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a day such as 2026-09-07');

const schoolYear = z
  .string()
  .regex(/^\d{4}-\d{4}$/, 'Use a school year such as 2026-2027')
  .refine((value) => Number(value.slice(5)) === Number(value.slice(0, 4)) + 1, {
    message: 'The two years must follow each other, such as 2026-2027',
  });

const enrollPupilInput = z.object({
  beneficiaryId: uuid,
  courseId: uuid,
  grade: z.enum(GRADES),
  schoolYear: schoolYear.nullish(),
  joinedOn: day.nullish(),
  guardian: z.object(
    {
      beneficiaryId: uuid.nullish(),
      name: text(120).nullish(),
      relation: z.enum(GUARDIAN_RELATIONS),
    },
    { error: 'The guardian who consents is required' },
  ),
  guardianConsent: z.object(
    { givenOn: day, method: z.enum(CONSENT_METHODS) },
    { error: "The guardian's consent is required to enroll a child" },
  ),
});

export interface EnrollPupilResult {
  pupil: PupilRow | null;
  membership: ClubMembershipRow | null;
  errors: InputError[];
}

export async function enrollPupil(ctx: Context, input: unknown): Promise<EnrollPupilResult> {
  const fail = (errors: InputError[]): EnrollPupilResult => ({
    pupil: null,
    membership: null,
    errors,
  });
  const schoolId = writerSchool(ctx.viewer, await ctx.servedSchools());
  if (!schoolId) {
    return fail([
      inputError('input', 'NOT_ALLOWED', 'Only staff of a homework school enroll pupils'),
    ]);
  }
  const checked = validate(enrollPupilInput, input);
  if (!checked.ok) return fail(checked.errors);
  const { beneficiaryId, courseId, grade, guardian, guardianConsent } = checked.value;
  const joinedOn = checked.value.joinedOn ?? ctx.today;
  const guardianId = guardian.beneficiaryId ?? null;

  const errors: InputError[] = [];
  if (guardianConsent.givenOn > ctx.today || guardianConsent.givenOn < EARLIEST_CONSENT_DAY) {
    errors.push(
      inputError(
        'input.guardianConsent.givenOn',
        'OUT_OF_RANGE',
        `The consent is given between ${EARLIEST_CONSENT_DAY} and today`,
      ),
    );
  }
  if (joinedOn > addDays(ctx.today, MAX_DAYS_AHEAD)) {
    errors.push(
      inputError('input.joinedOn', 'OUT_OF_RANGE', `At most ${MAX_DAYS_AHEAD} days ahead`),
    );
  } else if (joinedOn < addDays(ctx.today, -MAX_DAYS_BACK)) {
    errors.push(inputError('input.joinedOn', 'OUT_OF_RANGE', 'At most a year back'));
  }
  if (joinedOn < guardianConsent.givenOn) {
    errors.push(
      inputError(
        'input.joinedOn',
        'OUT_OF_RANGE',
        'The child cannot join before the guardian consented',
      ),
    );
  }
  if (!guardianId && !guardian.name) {
    errors.push(
      inputError(
        'input.guardian.beneficiaryId',
        'REQUIRED',
        "Give the guardian's network id or, when they are not in the directory, their name",
      ),
    );
  }
  if (guardianId === beneficiaryId) {
    errors.push(
      inputError('input.guardian.beneficiaryId', 'INVALID', 'A child cannot be their own guardian'),
    );
  }

  const club = await ctx.loaders.club.load(courseId);
  const [course, child, guardianPerson] = await Promise.all([
    ctx.network.course.load(courseId),
    ctx.network.beneficiary.load(beneficiaryId),
    guardianId ? ctx.network.beneficiary.load(guardianId) : Promise.resolve(null),
  ]);
  if (!course) errors.push(inputError('input.courseId', 'NOT_FOUND', 'No such course'));
  else if (course.partnerId !== schoolId || club?.schoolId !== schoolId) {
    errors.push(
      inputError(
        'input.courseId',
        'NOT_ALLOWED',
        'The course is not a homework club of your school',
      ),
    );
  }
  if (!child || !child.partnerIds.includes(schoolId)) {
    errors.push(
      inputError('input.beneficiaryId', 'NOT_FOUND', 'No such person known to your partner'),
    );
  }
  if (guardianId && (!guardianPerson || !guardianPerson.partnerIds.includes(schoolId))) {
    errors.push(
      inputError(
        'input.guardian.beneficiaryId',
        'NOT_FOUND',
        'No such person known to your partner',
      ),
    );
  }
  if (errors.length || !course) return fail(errors);

  const outcome = await ctx.repos.pupils.enroll({
    schoolId,
    clubId: courseId,
    beneficiaryId,
    grade,
    schoolYear: checked.value.schoolYear ?? schoolYearOf(joinedOn),
    guardianBeneficiaryId: guardianId,
    // The name is kept only for guardians the directory does not know.
    guardianName: guardianId ? null : (guardian.name ?? null),
    guardianRelation: guardian.relation,
    consentGivenOn: guardianConsent.givenOn,
    consentMethod: guardianConsent.method,
    joinedOn,
    capacity: course.capacity,
    today: ctx.today,
    enrolledBy: ctx.viewer.sub,
  });
  switch (outcome.kind) {
    case 'full':
      return fail([inputError('input.courseId', 'FULL', 'The club has no place left')]);
    case 'no-club':
      // The club row vanished between the check and the write.
      throw new PublicError(ErrorCode.Conflict, 'The club changed meanwhile; try again');
    case 'enrolled':
    case 'existing':
      return { pupil: outcome.pupil, membership: outcome.membership, errors: [] };
  }
}

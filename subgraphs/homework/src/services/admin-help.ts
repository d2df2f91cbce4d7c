// The rules of recording an adult's visit to an admin-help course: the course must be one of
// the caller's school and the person known to that school (both checked with network).
import { inputError, uuid, validate, z, type InputError } from '@passerelle/service';
import { writerSchool } from '../access.ts';
import { addDays } from '../calendar.ts';
import type { Context } from '../context.ts';
import type { AdminHelpVisitRow } from '../db/schema.ts';
import { MAX_DAYS_BACK } from './pupils.ts';

export const PROCEDURE_CATEGORIES = [
  'SCHOOL_ENROLMENT',
  'SOCIAL_SECURITY',
  'TAXES',
  'BANKING',
  'HOUSING',
  'OTHER',
] as const;
export const VISIT_OUTCOMES = ['DONE', 'FOLLOW_UP', 'REFERRED'] as const;

const visitInput = z.object({
  beneficiaryId: uuid,
  courseId: uuid,
  visitedOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a day such as 2026-09-07')
    .nullish(),
  category: z.enum(PROCEDURE_CATEGORIES),
  outcome: z.enum(VISIT_OUTCOMES),
});

export interface RecordVisitResult {
  visit: AdminHelpVisitRow | null;
  errors: InputError[];
}

export async function recordAdminHelpVisit(
  ctx: Context,
  input: unknown,
): Promise<RecordVisitResult> {
  const fail = (errors: InputError[]): RecordVisitResult => ({ visit: null, errors });
  const schoolId = writerSchool(ctx.viewer, await ctx.servedSchools());
  if (!schoolId) {
    return fail([
      inputError('input', 'NOT_ALLOWED', 'Only staff of a homework school record visits'),
    ]);
  }
  const checked = validate(visitInput, input);
  if (!checked.ok) return fail(checked.errors);
  const { beneficiaryId, courseId, category, outcome } = checked.value;
  const visitedOn = checked.value.visitedOn ?? ctx.today;

  const errors: InputError[] = [];
  if (visitedOn > ctx.today || visitedOn < addDays(ctx.today, -MAX_DAYS_BACK)) {
    errors.push(
      inputError(
        'input.visitedOn',
        'OUT_OF_RANGE',
        'The visit must be between a year ago and today',
      ),
    );
  }
  const helpCourse = await ctx.loaders.adminHelpCourse.load(courseId);
  const [course, person] = await Promise.all([
    ctx.network.course.load(courseId),
    ctx.network.beneficiary.load(beneficiaryId),
  ]);
  if (!course) errors.push(inputError('input.courseId', 'NOT_FOUND', 'No such course'));
  else if (course.partnerId !== schoolId || helpCourse?.schoolId !== schoolId) {
    errors.push(
      inputError(
        'input.courseId',
        'NOT_ALLOWED',
        'The course is not an admin-help course of your school',
      ),
    );
  }
  if (!person || !person.partnerIds.includes(schoolId)) {
    errors.push(
      inputError('input.beneficiaryId', 'NOT_FOUND', 'No such person known to your partner'),
    );
  }
  if (errors.length) return fail(errors);

  const visit = await ctx.repos.adminHelp.record({
    schoolId,
    courseId,
    beneficiaryId,
    visitedOn,
    category,
    outcome,
    recordedBy: ctx.viewer.sub,
  });
  return { visit, errors: [] };
}

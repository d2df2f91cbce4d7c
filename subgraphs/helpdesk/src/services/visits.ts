// The rules of recording a visit to a drop-in session: the site must be one where the caller's
// help desk holds sessions, a linked person must be known to that help desk (asked of network in
// one batched call), notes are for linked visits and staff only, and a client key makes a retry
// return the first recording instead of counting the visit twice.
import {
  addDays,
  digCompCompetences,
  inputError,
  text,
  uuid,
  validate,
  z,
  type InputError,
} from '@passerelle/service';
import { visitRecorder } from '../access.ts';
import type { Context } from '../context.ts';
import { VISIT_OUTCOMES, VISIT_TOPICS, type VisitRow } from '../db/schema.ts';
import type { NewVisit } from '../repositories/visits.ts';

/** How far back a visit may be recorded, in days. */
export const MAX_VISIT_AGE_DAYS = 366;

const optional = <T extends z.ZodType>(schema: T) =>
  schema.nullish().transform((value) => value ?? null);

const visitInput = z.object({
  siteId: uuid,
  beneficiaryId: optional(uuid),
  visitedOn: optional(z.string()),
  topic: z.enum(VISIT_TOPICS),
  outcome: z.enum(VISIT_OUTCOMES),
  competence: optional(
    z.string().refine((code) => Object.hasOwn(digCompCompetences, code), {
      message: 'Not a DigComp 2.2 competence: use a code from 1.1 to 5.4',
    }),
  ),
  note: optional(text(1000)),
  clientKey: optional(text(100)),
});

export interface RecordVisitResult {
  visit: VisitRow | null;
  errors: InputError[];
}

/**
 * Whether a stored visit is the one the input describes (a retry with the same client key). A
 * retry that names no day matches any: the first attempt took its own today, which a retry after
 * midnight no longer shares.
 */
function sameVisit(stored: VisitRow, wanted: NewVisit, dayGiven: boolean): boolean {
  return (
    stored.siteId === wanted.siteId &&
    stored.beneficiaryId === wanted.beneficiaryId &&
    (!dayGiven || stored.visitedOn === wanted.visitedOn) &&
    stored.topic === wanted.topic &&
    stored.outcome === wanted.outcome &&
    stored.competence === wanted.competence &&
    stored.note === wanted.note
  );
}

export async function recordVisit(ctx: Context, input: unknown): Promise<RecordVisitResult> {
  const fail = (errors: InputError[]): RecordVisitResult => ({ visit: null, errors });
  const recorder = await visitRecorder(ctx);
  if (!recorder) {
    return fail([
      inputError(
        'input',
        'NOT_ALLOWED',
        'Only the staff and volunteers of a public digital help desk record visits',
      ),
    ]);
  }
  const checked = validate(visitInput, input);
  if (!checked.ok) return fail(checked.errors);
  const { siteId, beneficiaryId, topic, outcome, competence, note, clientKey } = checked.value;
  const visitedOn = checked.value.visitedOn ?? ctx.today;

  const errors: InputError[] = [];
  if (visitedOn > ctx.today || visitedOn < addDays(ctx.today, -MAX_VISIT_AGE_DAYS)) {
    errors.push(
      inputError(
        'input.visitedOn',
        'OUT_OF_RANGE',
        'The visit must be between a year ago and today',
      ),
    );
  }
  if (note !== null && !recorder.writesNotes) {
    errors.push(inputError('input.note', 'NOT_ALLOWED', 'Only staff write notes on a visit'));
  } else if (note !== null && beneficiaryId === null) {
    errors.push(
      inputError('input.note', 'INVALID', 'An anonymous visit carries no note: it names nobody'),
    );
  }
  const [dropIns, person] = await Promise.all([
    ctx.loaders.dropInsBySite.load(siteId),
    beneficiaryId ? ctx.network.beneficiary.load(beneficiaryId) : null,
  ]);
  if (!dropIns.some((dropIn) => dropIn.partnerId === recorder.partnerId)) {
    errors.push(
      inputError('input.siteId', 'NOT_FOUND', 'Your help desk holds no drop-in session there'),
    );
  }
  if (beneficiaryId && (!person || !person.partnerIds.includes(recorder.partnerId))) {
    errors.push(
      inputError('input.beneficiaryId', 'NOT_FOUND', 'No such person known to your help desk'),
    );
  }
  if (errors.length) return fail(errors);

  const wanted: NewVisit = {
    partnerId: recorder.partnerId,
    siteId,
    beneficiaryId,
    visitedOn,
    topic,
    outcome,
    competence,
    note,
    clientKey,
    recordedBy: ctx.viewer.sub,
  };
  const { visit, created } = await ctx.repos.visits.record(wanted);
  if (!created && !sameVisit(visit, wanted, checked.value.visitedOn !== null)) {
    return fail([
      inputError(
        'input.clientKey',
        'DUPLICATE',
        'This client key was already used for another visit; use a new key for a new visit',
      ),
    ]);
  }
  return { visit: recorder.writesNotes ? visit : { ...visit, note: null }, errors: [] };
}

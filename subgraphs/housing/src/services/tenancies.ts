// The rules of recording who lives in an agency's dwellings.
import { inputError, uuid, validate, z, type InputError } from '@passerelle/service';
import type { Context } from '../context.ts';
import type { TenancyRow } from '../db/schema.ts';
import { addDays, today } from './calendar.ts';
import { unknownPerson, writerAgency } from './writer.ts';

const recordInput = z.object({
  beneficiaryId: uuid,
  dwellingId: uuid,
  role: z.enum(['HEAD', 'PARTNER', 'CHILD', 'OTHER_ADULT']),
  startsOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a day such as 2026-09-07'),
  accompaniment: z
    .enum(['UNACCOMPANIED_MINOR', 'REFUGEE', 'FORMERLY_HOMELESS', 'FORMER_DETAINEE', 'OTHER'])
    .nullish()
    .transform((category) => category ?? null),
});

/** Tenancies are recorded up to a year ahead (a signed lease) and back to the agencies' start. */
const EARLIEST_START = '1990-01-01';
const MAX_DAYS_AHEAD = 366;

type TenancyResult = {
  tenancy: TenancyRow | null;
  endedTenancy: TenancyRow | null;
  errors: InputError[];
};
const fail = (...errors: InputError[]): TenancyResult => ({
  tenancy: null,
  endedTenancy: null,
  errors,
});

export async function recordTenancy(ctx: Context, input: unknown): Promise<TenancyResult> {
  const agencyId = await writerAgency(ctx, 'record tenancies');
  if (typeof agencyId !== 'string') return fail(agencyId);
  const checked = validate(recordInput, input);
  if (!checked.ok) return fail(...checked.errors);
  const { beneficiaryId, dwellingId, role, startsOn, accompaniment } = checked.value;

  const errors: InputError[] = [];
  if (startsOn < EARLIEST_START || startsOn > addDays(today(), MAX_DAYS_AHEAD)) {
    errors.push(
      inputError('input.startsOn', 'OUT_OF_RANGE', 'Must be between 1990 and one year from now'),
    );
  }
  const unknown = await unknownPerson(ctx, beneficiaryId, agencyId);
  if (unknown) errors.push(unknown);
  if (errors.length) return fail(...errors);

  const outcome = await ctx.repos.tenancies.record(
    {
      agencyId,
      dwellingId,
      beneficiaryId,
      role,
      startsOn,
      accompaniment,
      recordedBy: ctx.viewer.sub,
    },
    addDays(startsOn, -1),
  );
  switch (outcome.kind) {
    case 'recorded':
      return { tenancy: outcome.tenancy, endedTenancy: outcome.ended, errors: [] };
    case 'no-dwelling':
      return fail(inputError('input.dwellingId', 'NOT_FOUND', 'No such dwelling in your agency'));
    case 'same-dwelling':
      return fail(
        inputError(
          'input.dwellingId',
          'DUPLICATE',
          `The person already lives in this dwelling since ${outcome.open.startsOn}`,
        ),
      );
    case 'not-after':
      return fail(
        inputError(
          'input.startsOn',
          'OUT_OF_RANGE',
          `Must be after the start of the current tenancy (${outcome.open.startsOn})`,
        ),
      );
    case 'race':
      return fail(
        inputError(
          'input.beneficiaryId',
          'DUPLICATE',
          'A tenancy was recorded for this person at the same moment',
        ),
      );
  }
}

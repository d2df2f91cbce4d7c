// What every housing write checks first: the caller writes for a served agency, and network
// knows the person and links them to that agency.
import { inputError, type InputError } from '@passerelle/service';
import { writableAgency } from '../access.ts';
import type { Context } from '../context.ts';

/** The agency the caller writes for, or the input error that refuses the write. */
export async function writerAgency(ctx: Context, action: string): Promise<string | InputError> {
  const agency = writableAgency(ctx.viewer, await ctx.servedAgencyIds());
  return agency ?? inputError('input', 'NOT_ALLOWED', `Only staff of a housing agency ${action}`);
}

/** Asks network whether the person exists and the agency knows them; null when so. */
export async function unknownPerson(
  ctx: Context,
  beneficiaryId: string,
  agencyId: string,
): Promise<InputError | null> {
  const person = await ctx.network.beneficiary.load(beneficiaryId);
  return person?.partnerIds.includes(agencyId)
    ? null
    : inputError('input.beneficiaryId', 'NOT_FOUND', 'No such person known to your agency');
}

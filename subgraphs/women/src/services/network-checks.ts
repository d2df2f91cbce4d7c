// What a write must confirm with network before it touches this subgraph's data. Lookups go
// through the request's batched network client.
import { inputError, type InputError } from '@passerelle/service';
import type { Context } from '../context.ts';

/** Errors when the person does not exist or is not known to the network (an empty list when fine). */
export async function checkKnownBy(
  ctx: Context,
  beneficiaryId: string,
  networkId: string,
  field = 'input.beneficiaryId',
): Promise<InputError[]> {
  const person = await ctx.network.beneficiary.load(beneficiaryId);
  return person && person.partnerIds.includes(networkId)
    ? []
    : [inputError(field, 'NOT_FOUND', 'No such person known to your network')];
}

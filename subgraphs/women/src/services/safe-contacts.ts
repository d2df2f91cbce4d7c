// The rules of recording a safe-contact preference: only a network's own staff, only for women
// their network knows; the whole preference is replaced at once.
import { inputError, text, uuid, validate, z, type InputError } from '@passerelle/service';
import { writerNetwork } from '../access.ts';
import type { Context } from '../context.ts';
import { contactChannels, type SafeContactRow } from '../db/schema.ts';
import { checkKnownBy } from './network-checks.ts';

/** Optional text: an empty or blank value means "none", as when a form field is cleared. */
const optionalText = (max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? null : value),
    text(max).nullish(),
  );

const safeContactInput = z.object({
  beneficiaryId: uuid,
  channel: z.enum(contactChannels),
  allowedTimeWindows: optionalText(300),
  noVoicemail: z.boolean(),
  discreetSender: z.boolean(),
  codeWord: optionalText(50),
});

type Result = { safeContact: SafeContactRow | null; errors: InputError[] };

export async function setSafeContact(ctx: Context, input: unknown): Promise<Result> {
  const fail = (errors: InputError[]): Result => ({ safeContact: null, errors });
  const networkId = await writerNetwork(ctx);
  if (!networkId) {
    return fail([
      inputError(
        'input',
        'NOT_ALLOWED',
        "Only staff of a women's network record safe-contact preferences",
      ),
    ]);
  }
  const checked = validate(safeContactInput, input);
  if (!checked.ok) return fail(checked.errors);
  const { beneficiaryId, allowedTimeWindows, codeWord, ...flags } = checked.value;

  const errors = await checkKnownBy(ctx, beneficiaryId, networkId);
  if (errors.length) return fail(errors);

  const safeContact = await ctx.repos.safeContacts.upsert({
    networkId,
    beneficiaryId,
    ...flags,
    allowedTimeWindows: allowedTimeWindows ?? null,
    codeWord: codeWord ?? null,
    updatedBy: ctx.viewer.sub,
  });
  return { safeContact, errors: [] };
}

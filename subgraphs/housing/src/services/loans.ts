// The rules of lending refurbished computers to tenants and taking them back.
import {
  ErrorCode,
  inputError,
  PublicError,
  text,
  uuid,
  validate,
  z,
  type InputError,
} from '@passerelle/service';
import type { Context } from '../context.ts';
import type { EquipmentLoanRow } from '../db/schema.ts';
import { addDays, today } from './calendar.ts';
import { unknownPerson, writerAgency } from './writer.ts';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a day such as 2026-09-07');

const lendInput = z.object({
  beneficiaryId: uuid,
  equipmentId: uuid.nullish().transform((id) => id ?? null),
  dueOn: isoDay.nullish().transform((day) => day ?? null),
});

const returnInput = z.object({
  loanId: uuid,
  condition: text(500)
    .nullish()
    .transform((note) => note ?? null),
});

/** Longest loan with a set end; longer ones are recorded without a due day. */
const MAX_LOAN_DAYS = 366;

type LoanResult = { loan: EquipmentLoanRow | null; errors: InputError[] };
const fail = (...errors: InputError[]): LoanResult => ({ loan: null, errors });

export async function lendPc(ctx: Context, input: unknown): Promise<LoanResult> {
  const agencyId = await writerAgency(ctx, 'lend computers');
  if (typeof agencyId !== 'string') return fail(agencyId);
  const checked = validate(lendInput, input);
  if (!checked.ok) return fail(...checked.errors);
  const { beneficiaryId, equipmentId, dueOn } = checked.value;

  const lentOn = today();
  const errors: InputError[] = [];
  if (dueOn && (dueOn < lentOn || dueOn > addDays(lentOn, MAX_LOAN_DAYS))) {
    errors.push(
      inputError('input.dueOn', 'OUT_OF_RANGE', 'Must be between today and one year from now'),
    );
  }
  const unknown = await unknownPerson(ctx, beneficiaryId, agencyId);
  if (unknown) errors.push(unknown);
  if (errors.length) return fail(...errors);

  const outcome = await ctx.repos.equipment.lend({
    agencyId,
    beneficiaryId,
    equipmentId,
    lentOn,
    dueOn,
    lentBy: ctx.viewer.sub,
  });
  switch (outcome.kind) {
    case 'lent':
      return { loan: outcome.loan, errors: [] };
    case 'no-equipment':
      return fail(
        inputError('input.equipmentId', 'NOT_FOUND', "No such device in your agency's stock"),
      );
    case 'retired':
      return fail(
        inputError(
          'input.equipmentId',
          'INVALID',
          'This device was retired from the lending stock',
        ),
      );
    case 'already-lent':
      return fail(
        inputError(
          'input.equipmentId',
          'DUPLICATE',
          'This device is already lent; record its return first',
        ),
      );
    case 'none-left':
      return fail(
        inputError('input.equipmentId', 'FULL', 'No computer of your agency is available'),
      );
    case 'race':
      throw new PublicError(
        ErrorCode.Conflict,
        'The device was lent at the same moment; nothing was changed, try again',
      );
  }
}

/** Records a return; a loan already returned comes back unchanged, so retries are safe. */
export async function returnPc(ctx: Context, input: unknown): Promise<LoanResult> {
  const agencyId = await writerAgency(ctx, 'record returns');
  if (typeof agencyId !== 'string') return fail(agencyId);
  const checked = validate(returnInput, input);
  if (!checked.ok) return fail(...checked.errors);
  const { loanId, condition } = checked.value;

  // No network check: the loan already names the person, and a device must be able to come
  // back even when the directory is down or the person was erased there.
  const outcome = await ctx.repos.equipment.returnLoan(
    loanId,
    agencyId,
    today(),
    condition,
    ctx.viewer.sub,
  );
  switch (outcome.kind) {
    case 'returned':
    case 'already-returned':
      return { loan: outcome.loan, errors: [] };
    case 'no-loan':
      return fail(inputError('input.loanId', 'NOT_FOUND', 'No such loan in your agency'));
  }
}

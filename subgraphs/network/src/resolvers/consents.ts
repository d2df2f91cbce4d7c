// Consents: recording and withdrawing them, listing a person's consents, and `access`, the
// live consents that concern the caller, which partner subgraphs read to disclose a facet.
import {
  addDays,
  brusselsDate,
  brusselsInstant,
  ErrorCode,
  inputError,
  languageCode,
  PublicError,
  STAFF_ROLES,
  text,
  uuid,
  validate,
  z,
  type InputError,
} from '@passerelle/service';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import type { Context } from '../context.ts';
import type { ConsentRow } from '../db/schema.ts';
import { required } from './directory.ts';
import type { Registered } from '../repositories/retries.ts';
import { payloadHash } from './payload-hash.ts';

const MAX_YEARS = 3;

/** A consent's data categories, once each and in one order, so that a retry is recognised. */
export const consentCategories = z
  .array(z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'Use facet names such as `housing`'))
  .min(1, 'Give at least one category')
  .max(20, 'At most 20 categories')
  .transform((list) => [...new Set(list)].sort());

const recordConsentInput = z.object({
  beneficiaryId: uuid,
  recipientPartnerId: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'Not a partner id'),
  categories: consentCategories,
  purpose: z.enum(['REFERRAL', 'FOLLOW_UP', 'COORDINATION']),
  method: z.enum(['WRITTEN', 'ORAL_ATTESTED', 'DIGITAL']),
  noticeVersion: text(20),
  noticeLanguage: languageCode,
  expiresOn: z
    .string()
    .nullish()
    .transform((day) => day ?? null),
  idempotencyKey: text(100)
    .nullish()
    .transform((value) => value ?? null),
});

/** Whether the viewer's partner is linked to the person (registered them, accepted a referral). */
async function linked(ctx: Context, beneficiaryId: string): Promise<boolean> {
  const partner = ctx.viewer.partner;
  if (!partner || !STAFF_ROLES.has(ctx.viewer.role)) return false;
  const links = await ctx.loaders.linksByBeneficiary.load(beneficiaryId);
  return links.some((link) => link.partnerId === partner);
}

/** The payload of a recording: the consent, or `DUPLICATE` for a key used for another one. */
function recorded(result: Registered<ConsentRow>) {
  if (result.kind === 'mismatch') {
    return {
      consent: null,
      errors: [
        inputError(
          'input.idempotencyKey',
          'DUPLICATE',
          'This key was already used to record another consent',
        ),
      ],
    };
  }
  return { consent: result.row, errors: [] };
}

/** Whether `partner` recorded the consent or is named by it. */
const tookPart = (consent: ConsentRow, partner: string | null) =>
  consent.recordedByPartnerId === partner || consent.recipientPartnerId === partner;

const isLive = (consent: ConsentRow, now: Date) =>
  consent.withdrawnAt === null && (consent.expiresAt === null || consent.expiresAt > now);

export const consentResolvers: Resolvers = {
  Beneficiary: {
    // Volunteers never see another partner's facet, so no consent concerns them here: what
    // one covers would tell them which other partners know the person.
    access: async (person, _, { loaders, viewer }) =>
      viewer.role === 'volunteer'
        ? []
        : (await loaders.grantsByBeneficiary.load(person.id)).map((consent) => ({
            consentId: consent.id,
            partner: consent.recipientPartnerId,
            categories: consent.categories,
            purpose: consent.purpose,
            recordedBy: consent.recordedByPartnerId,
          })),
    consents: async (person, _, ctx) => {
      if (!(await linked(ctx, person.id))) {
        throw new PublicError(
          ErrorCode.Forbidden,
          'Only partners linked to this person read their consents',
        );
      }
      // The consents the caller's partner took part in: the others would say which other
      // partners know the person, which the directory keeps from each of them.
      const partner = ctx.viewer.partner;
      return (await ctx.loaders.consentsByBeneficiary.load(person.id)).filter((consent) =>
        tookPart(consent, partner),
      );
    },
    directoryDisclosures: async (person, _, ctx) => {
      if (!(await linked(ctx, person.id))) {
        throw new PublicError(
          ErrorCode.Forbidden,
          'Only partners linked to this person read what the directory disclosed of them',
        );
      }
      return ctx.disclosures.about(person.id);
    },
  },
  Consent: {
    recipient: (consent, _, { loaders }) =>
      required(loaders.partner.load(consent.recipientPartnerId)),
    recordedBy: (consent) => consent.recordedBySub,
    recordedByPartner: (consent, _, { loaders }) =>
      required(loaders.partner.load(consent.recordedByPartnerId)),
    purpose: (consent) => consent.purpose as 'REFERRAL' | 'FOLLOW_UP' | 'COORDINATION',
    method: (consent) => consent.method as 'WRITTEN' | 'ORAL_ATTESTED' | 'DIGITAL',
    live: (consent, _, { clock }) => isLive(consent, clock.now()),
  },
  Mutation: {
    recordConsent: async (_, { input }, ctx) => {
      const fail = (errors: InputError[]) => ({ consent: null, errors });
      const partner = ctx.viewer.partner;
      if (!partner || !STAFF_ROLES.has(ctx.viewer.role)) {
        return fail([inputError('input', 'NOT_ALLOWED', 'Only partner staff record consents')]);
      }
      const checked = validate(recordConsentInput, input);
      if (!checked.ok) return fail(checked.errors);
      const value = checked.value;
      const retry = value.idempotencyKey
        ? { key: value.idempotencyKey, hash: payloadHash(value) }
        : null;
      // A retry is answered with what the first attempt recorded, even once its day has passed.
      const earlier = retry && (await ctx.repos.consents.retried(partner, retry));
      if (earlier) return recorded(earlier);
      const errors: InputError[] = [];
      const [person, recipient] = await Promise.all([
        ctx.loaders.beneficiary.load(value.beneficiaryId),
        ctx.loaders.partner.load(value.recipientPartnerId),
      ]);
      if (!person || !(await linked(ctx, value.beneficiaryId))) {
        errors.push(
          inputError('input.beneficiaryId', 'NOT_FOUND', 'No such person linked to your partner'),
        );
      }
      if (!recipient) {
        errors.push(inputError('input.recipientPartnerId', 'NOT_FOUND', 'No such partner'));
      } else if (recipient.id === partner) {
        // Your own partner needs no consent for its own rows, and one cannot open another's.
        errors.push(
          inputError(
            'input.recipientPartnerId',
            'INVALID',
            'A consent names the partner the data goes to, not your own',
          ),
        );
      } else if ((recipient.kind === 'COORDINATION') !== (value.purpose === 'COORDINATION')) {
        errors.push(
          inputError(
            'input.purpose',
            'INVALID',
            'Coordination consents, and only they, name the coordination partner',
          ),
        );
      }
      let expiresAt: Date | null = null;
      if (value.expiresOn) {
        // Days as the partners live them: the consent holds until the end of its last day in
        // Brussels, and "today" and "three years ahead" are Brussels days too.
        const day = value.expiresOn;
        const today = brusselsDate(ctx.clock.now());
        const latest = `${Number(today.slice(0, 4)) + MAX_YEARS}${today.slice(4)}`;
        if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day))) {
          errors.push(inputError('input.expiresOn', 'INVALID', 'Use a day such as 2027-06-30'));
        } else if (day <= today || day > latest) {
          errors.push(
            inputError(
              'input.expiresOn',
              'OUT_OF_RANGE',
              `Must be after today and at most ${MAX_YEARS} years ahead`,
            ),
          );
        } else {
          expiresAt = brusselsInstant(addDays(day, 1));
        }
      }
      if (errors.length) return fail(errors);
      const { expiresOn: _expiresOn, idempotencyKey: _key, ...consent } = value;
      const result = await ctx.repos.consents.record(
        { ...consent, expiresAt },
        { sub: ctx.viewer.sub, partnerId: partner },
        retry,
      );
      if (result.kind === 'created') {
        ctx.log.info({ consentId: result.row.id, purpose: result.row.purpose }, 'consent recorded');
      }
      return recorded(result);
    },
    withdrawConsent: async (_, { input }, ctx) => {
      const notFound = {
        consent: null,
        errors: [inputError('input.consentId', 'NOT_FOUND', 'No such consent visible to you')],
      };
      const checked = validate(z.object({ consentId: uuid }), input);
      if (!checked.ok) return { consent: null, errors: checked.errors };
      const consent = await ctx.loaders.consent.load(checked.value.consentId);
      if (!consent || !ctx.viewer.partner || !STAFF_ROLES.has(ctx.viewer.role)) return notFound;
      // The partners that took part in it, as `Beneficiary.consents` lists them: another
      // partner's consent would tell who else knows the person, and is not theirs to end.
      if (!tookPart(consent, ctx.viewer.partner)) return notFound;
      const row = await ctx.repos.consents.withdraw(consent.id, ctx.viewer.sub);
      ctx.log.info({ consentId: consent.id }, 'consent withdrawn');
      return { consent: row, errors: [] };
    },
  },
};

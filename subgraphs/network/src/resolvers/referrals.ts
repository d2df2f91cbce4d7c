// Referrals: reading them (only the sender's and the receiver's, and coordinators' under a
// coordination consent), creating them idempotently, and moving them along their life.
import {
  badInput,
  DIGCOMP_LEVELS,
  digCompCompetences,
  ErrorCode,
  inputError,
  isUuid,
  languageCode,
  pageSize,
  PublicError,
  STAFF_ROLES,
  text,
  uuid,
  validate,
  z,
  type InputError,
} from '@passerelle/service';
import type { ReferralAction, Resolvers } from '../__generated__/resolvers-types.ts';
import type { Context } from '../context.ts';
import { OPEN_STATES } from '../repositories/referrals.ts';
import { required } from './directory.ts';
import { consentCategories } from './consents.ts';
import { payloadHash } from './payload-hash.ts';

const REASON_CODES = [
  'NO_CAPACITY',
  'NOT_ELIGIBLE',
  'COULD_NOT_CONTACT',
  'NO_LONGER_INTERESTED',
  'REFERRED_ELSEWHERE',
  'OTHER',
] as const;
type ReasonCode = (typeof REASON_CODES)[number];

const createReferralInput = z.object({
  idempotencyKey: text(100),
  beneficiaryId: uuid,
  toPartnerId: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'Not a partner id'),
  courseId: uuid.nullish().transform((id) => id ?? null),
  reason: text(1000),
  note: text(1000)
    .nullish()
    .transform((value) => value ?? null),
  consent: z.object({
    categories: consentCategories,
    method: z.enum(['WRITTEN', 'ORAL_ATTESTED', 'DIGITAL']),
    noticeVersion: text(20),
    noticeLanguage: languageCode,
  }),
});

const level = z
  .number()
  .int()
  .min(DIGCOMP_LEVELS.min, `From ${DIGCOMP_LEVELS.min}`)
  .max(DIGCOMP_LEVELS.max, `Up to ${DIGCOMP_LEVELS.max}`);

const transitionReferralInput = z.object({
  referralId: uuid,
  expectedVersion: z.number().int().min(1, 'At least 1'),
  action: z.enum([
    'ACKNOWLEDGE',
    'ACCEPT',
    'DECLINE',
    'START',
    'HOLD',
    'RESUME',
    'COMPLETE',
    'FAIL',
    'WITHDRAW',
  ]),
  reasonCode: z
    .enum(REASON_CODES)
    .nullish()
    .transform((code) => code ?? null),
  note: text(1000)
    .nullish()
    .transform((value) => value ?? null),
  outcome: text(1000)
    .nullish()
    .transform((value) => value ?? null),
  digCompProgress: z
    .array(
      z
        .object({
          competence: z
            .string()
            .refine((code) => code in digCompCompetences, 'Not a DigComp 2.2 competence'),
          fromLevel: level.nullish().transform((value) => value ?? null),
          toLevel: level,
        })
        .refine((entry) => entry.fromLevel === null || entry.toLevel >= entry.fromLevel, {
          message: 'The level reached is below the level before',
          path: ['toLevel'],
        }),
    )
    .max(21, 'At most one entry per competence')
    .refine(
      (list) => new Set(list.map((entry) => entry.competence)).size === list.length,
      'A competence appears twice',
    )
    .nullish()
    .transform((value) => value ?? null),
});

interface Rule {
  from: readonly string[];
  to: string;
  by: 'sender' | 'receiver';
}

/** DESIGN.md §5: which step may be taken from which status, and by which side. */
export const TRANSITIONS: Record<ReferralAction, Rule> = {
  ACKNOWLEDGE: { from: ['SENT'], to: 'ACKNOWLEDGED', by: 'receiver' },
  ACCEPT: { from: ['ACKNOWLEDGED'], to: 'ACCEPTED', by: 'receiver' },
  DECLINE: { from: ['ACKNOWLEDGED'], to: 'DECLINED', by: 'receiver' },
  START: { from: ['ACCEPTED'], to: 'IN_PROGRESS', by: 'receiver' },
  HOLD: { from: ['IN_PROGRESS'], to: 'ON_HOLD', by: 'receiver' },
  RESUME: { from: ['ON_HOLD'], to: 'IN_PROGRESS', by: 'receiver' },
  COMPLETE: { from: ['IN_PROGRESS', 'ON_HOLD'], to: 'COMPLETED', by: 'receiver' },
  FAIL: { from: ['IN_PROGRESS', 'ON_HOLD'], to: 'FAILED', by: 'receiver' },
  WITHDRAW: { from: OPEN_STATES, to: 'WITHDRAWN', by: 'sender' },
};

async function linkedToSender(ctx: Context, beneficiaryId: string, partner: string) {
  const links = await ctx.loaders.linksByBeneficiary.load(beneficiaryId);
  return links.some((link) => link.partnerId === partner);
}

export const referralResolvers: Resolvers = {
  Query: {
    referral: (_, { id }, { loaders }) => (isUuid(id) ? loaders.referral.load(id) : null),
    referrals: (_, { filter, first, after }, { repos, viewer }) => {
      if (filter?.beneficiaryId && !isUuid(filter.beneficiaryId)) {
        throw badInput('filter.beneficiaryId is not a valid id', 'filter.beneficiaryId');
      }
      return repos.referrals.page(
        viewer,
        {
          ...filter,
          sentAfter: filter?.sentAfter ? new Date(filter.sentAfter) : null,
          sentBefore: filter?.sentBefore ? new Date(filter.sentBefore) : null,
        },
        pageSize(first),
        after,
      );
    },
  },
  Mutation: {
    createReferral: async (_, { input }, ctx) => {
      const fail = (errors: InputError[]) => ({ referral: null, errors });
      const partner = ctx.viewer.partner;
      if (!partner || !STAFF_ROLES.has(ctx.viewer.role)) {
        return fail([inputError('input', 'NOT_ALLOWED', 'Only partner staff send referrals')]);
      }
      const checked = validate(createReferralInput, input);
      if (!checked.ok) return fail(checked.errors);
      const value = checked.value;
      const [person, receiver, course] = await Promise.all([
        ctx.loaders.beneficiary.load(value.beneficiaryId),
        ctx.loaders.partner.load(value.toPartnerId),
        value.courseId ? ctx.loaders.course.load(value.courseId) : null,
      ]);
      const errors: InputError[] = [];
      if (!person || !(await linkedToSender(ctx, value.beneficiaryId, partner))) {
        errors.push(
          inputError('input.beneficiaryId', 'NOT_FOUND', 'No such person linked to your partner'),
        );
      }
      if (!receiver) {
        errors.push(inputError('input.toPartnerId', 'NOT_FOUND', 'No such partner'));
      } else if (receiver.id === partner || receiver.kind === 'COORDINATION') {
        errors.push(
          inputError(
            'input.toPartnerId',
            'NOT_ALLOWED',
            'Refer to another partner than yours, not the coordination team',
          ),
        );
      }
      if (value.courseId && (!course || course.partnerId !== value.toPartnerId)) {
        errors.push(
          inputError('input.courseId', 'NOT_FOUND', 'No such course of the receiving partner'),
        );
      }
      if (errors.length) return fail(errors);
      const result = await ctx.repos.referrals.create({
        idempotencyKey: value.idempotencyKey,
        payloadHash: payloadHash(value),
        fromPartnerId: partner,
        toPartnerId: value.toPartnerId,
        beneficiaryId: value.beneficiaryId,
        courseId: value.courseId,
        reason: value.reason,
        note: value.note,
        sentBy: ctx.viewer.sub,
        consent: value.consent,
      });
      if (result.kind === 'mismatch') {
        return fail([
          inputError(
            'input.idempotencyKey',
            'DUPLICATE',
            'This key was already used for a different referral',
          ),
        ]);
      }
      if (result.kind === 'created') {
        ctx.log.info({ referralId: result.row.id }, 'referral created');
      }
      return { referral: result.row, errors: [] };
    },
    transitionReferral: async (_, { input }, ctx) => {
      const fail = (errors: InputError[]) => ({ referral: null, errors });
      const partner = ctx.viewer.partner;
      if (!partner || !STAFF_ROLES.has(ctx.viewer.role)) {
        return fail([inputError('input', 'NOT_ALLOWED', 'Only partner staff change referrals')]);
      }
      const checked = validate(transitionReferralInput, input);
      if (!checked.ok) return fail(checked.errors);
      const value = checked.value;
      const rule = TRANSITIONS[value.action];
      if ((value.action === 'DECLINE' || value.action === 'FAIL') && !value.reasonCode) {
        return fail([inputError('input.reasonCode', 'REQUIRED', 'Give a reason code')]);
      }
      if (value.action === 'COMPLETE' && !value.outcome) {
        return fail([inputError('input.outcome', 'REQUIRED', 'Say what came of the referral')]);
      }
      if (value.action !== 'COMPLETE' && value.digCompProgress?.length) {
        return fail([
          inputError(
            'input.digCompProgress',
            'NOT_ALLOWED',
            'DigComp progress is recorded when completing',
          ),
        ]);
      }
      // Read afresh (after expiring overdue ones), as this viewer may see it.
      const [referral] = await ctx.repos.referrals.byIds([value.referralId], ctx.viewer);
      if (!referral) {
        return fail([
          inputError('input.referralId', 'NOT_FOUND', 'No such referral visible to you'),
        ]);
      }
      const side =
        referral.toPartnerId === partner
          ? 'receiver'
          : referral.fromPartnerId === partner
            ? 'sender'
            : null;
      if (side !== rule.by) {
        return fail([
          inputError(
            'input.action',
            'NOT_ALLOWED',
            rule.by === 'sender'
              ? 'Only the sending partner withdraws a referral'
              : 'Only the receiving partner takes this step',
          ),
        ]);
      }
      if (referral.version !== value.expectedVersion) {
        throw new PublicError(ErrorCode.Conflict, 'The referral changed meanwhile; read it again');
      }
      if (!rule.from.includes(referral.status)) {
        return fail([
          inputError(
            'input.action',
            'NOT_ALLOWED',
            `A referral ${referral.status} cannot take the step ${value.action}`,
          ),
        ]);
      }
      const result = await ctx.repos.referrals.transition({
        referralId: referral.id,
        fromStatus: referral.status,
        toStatus: rule.to,
        expectedVersion: value.expectedVersion,
        actor: ctx.viewer.sub,
        actorPartnerId: partner,
        note: value.note,
        ...(value.action === 'DECLINE' || value.action === 'FAIL'
          ? { reasonCode: value.reasonCode }
          : {}),
        ...(value.action === 'COMPLETE'
          ? { outcome: value.outcome, digCompProgress: value.digCompProgress ?? [] }
          : {}),
        accept: value.action === 'ACCEPT',
      });
      if (result.kind === 'no-consent') {
        return fail([
          inputError(
            'input.action',
            'NOT_ALLOWED',
            'The person no longer consents to this referral; the sender may withdraw it',
          ),
        ]);
      }
      if (result.kind === 'conflict') {
        throw new PublicError(ErrorCode.Conflict, 'The referral changed meanwhile; read it again');
      }
      const row = result.referral;
      // A later field of the same request reads the referral as it is now.
      ctx.loaders.referral.clear(row.id).prime(row.id, row);
      ctx.loaders.eventsByReferral.clear(row.id);
      ctx.log.info({ referralId: row.id, from: referral.status, to: row.status }, 'referral moved');
      return { referral: row, errors: [] };
    },
  },
  Referral: {
    __resolveReference: ({ id }, { loaders }) => (isUuid(id) ? loaders.referral.load(id) : null),
    from: (referral, _, { loaders }) => required(loaders.partner.load(referral.fromPartnerId)),
    to: (referral, _, { loaders }) => required(loaders.partner.load(referral.toPartnerId)),
    beneficiary: (referral, _, { loaders }) =>
      referral.beneficiaryId ? loaders.beneficiary.load(referral.beneficiaryId) : null,
    course: (referral, _, { loaders }) =>
      referral.courseId ? loaders.course.load(referral.courseId) : null,
    reasonCode: (referral) => (referral.reasonCode as ReasonCode | null) ?? null,
    history: (referral, _, { loaders }) => loaders.eventsByReferral.load(referral.id),
  },
  ReferralEvent: {
    actorPartner: (event, _, { loaders }) => required(loaders.partner.load(event.actorPartnerId)),
  },
};

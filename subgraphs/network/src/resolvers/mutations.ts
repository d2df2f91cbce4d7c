// Daily-work mutations of the directory: registering a person, publishing a course.
import {
  inputError,
  languageCode,
  STAFF_ROLES,
  text,
  uuid,
  validate,
  z,
  type InputError,
} from '@passerelle/service';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { payloadHash } from './payload-hash.ts';

const registerBeneficiaryInput = z.object({
  givenName: text(100),
  familyName: text(100),
  birthYear: z
    .number()
    .int()
    .min(1900, 'Must be 1900 or later')
    .refine((year) => year <= new Date().getUTCFullYear(), 'Must not be in the future')
    .nullish()
    .transform((year) => year ?? null),
  preferredLanguages: z
    .array(languageCode)
    .max(5, 'At most 5 languages')
    .nullish()
    .transform((codes) => [...new Set(codes ?? [])]),
  municipality: text(100)
    .nullish()
    .transform((value) => value ?? null),
  idempotencyKey: text(100)
    .nullish()
    .transform((value) => value ?? null),
});

const publishCourseInput = z
  .object({
    kind: z.enum(['DIGITAL_INITIATION', 'HOMEWORK_CLUB', 'ADMIN_HELP', 'WORKSHOP']),
    title: text(200),
    description: text(2000),
    languages: z
      .array(languageCode)
      .min(1, 'Give at least one language')
      .max(5, 'At most 5 languages'),
    audience: z.enum([
      'ADULTS',
      'SENIORS',
      'WOMEN',
      'CHILDREN',
      'TEENAGERS',
      'PARENTS',
      'EVERYONE',
    ]),
    siteId: uuid.nullish().transform((id) => id ?? null),
    startsOn: z.string(),
    endsOn: z.string(),
    schedule: text(200),
    capacity: z.number().int().min(1, 'At least 1').max(500, 'At most 500'),
  })
  .refine((course) => course.endsOn >= course.startsOn, {
    message: 'Must be on or after startsOn',
    path: ['endsOn'],
  });

export const mutationResolvers: Resolvers = {
  Mutation: {
    registerBeneficiary: async (_, { input }, { repos, viewer, log }) => {
      const fail = (errors: InputError[]) => ({ beneficiary: null, errors });
      if (!viewer.partner || !STAFF_ROLES.has(viewer.role)) {
        return fail([inputError('input', 'NOT_ALLOWED', 'Only partner staff register people')]);
      }
      const checked = validate(registerBeneficiaryInput, input);
      if (!checked.ok) return fail(checked.errors);
      const { idempotencyKey, ...person } = checked.value;
      const retry = idempotencyKey
        ? { key: idempotencyKey, hash: payloadHash(checked.value) }
        : null;
      const result = await repos.beneficiaries.register(person, viewer.partner, retry);
      if (result.kind === 'mismatch') {
        return fail([
          inputError(
            'input.idempotencyKey',
            'DUPLICATE',
            'This key was already used to register someone else',
          ),
        ]);
      }
      if (result.kind === 'created')
        log.info({ beneficiaryId: result.row.id }, 'person registered');
      return { beneficiary: result.row, errors: [] };
    },
    publishCourse: async (_, { input }, { repos, loaders, viewer }) => {
      if (!viewer.partner || !STAFF_ROLES.has(viewer.role)) {
        return {
          course: null,
          errors: [inputError('input', 'NOT_ALLOWED', 'Only partner staff publish courses')],
        };
      }
      const checked = validate(publishCourseInput, input);
      if (!checked.ok) return { course: null, errors: checked.errors };
      const { siteId } = checked.value;
      if (siteId && !(await loaders.site.load(siteId))) {
        return { course: null, errors: [inputError('input.siteId', 'NOT_FOUND', 'No such site')] };
      }
      const course = await repos.courses.publish({
        ...checked.value,
        partnerId: viewer.partner,
        publishedBy: viewer.sub,
      });
      return { course, errors: [] };
    },
  },
};

import {
  badInput,
  DateScalar,
  DateTimeScalar,
  disclosedFields,
  ErrorCode,
  facetRows,
  isUuid,
  PublicError,
  type FacetFields,
} from '@passerelle/service';
import type { HomeworkBeneficiaryFacet, Resolvers } from '../__generated__/resolvers-types.ts';
import { facetView, FULL_PUPIL_VIEW, maySeeTutor, writerSchool } from '../access.ts';
import { WEEKDAYS } from '../calendar.ts';
import { MAX_UPCOMING } from '../repositories/sessions.ts';
import { PROCEDURE_CATEGORIES, recordAdminHelpVisit } from '../services/admin-help.ts';
import { enrollPupil } from '../services/pupils.ts';

/** `HH:MM:SS` from the database as `HH:MM`. */
const clock = (time: string) => time.slice(0, 5);

/** The rows each field of the person's facet shows: `facetRows` reads only what is asked. */
const FACET_FIELDS = {
  pupilRecords: 'pupils',
  adminHelpVisits: 'visits',
  tutorRecords: 'tutors',
} as const satisfies FacetFields<HomeworkBeneficiaryFacet, string>;

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Mutation: {
    // Only a school's own staff enroll, so they see what they wrote in full.
    enrollPupil: async (_, { input }, ctx) => {
      const { pupil, membership, errors } = await enrollPupil(ctx, input);
      return {
        pupil: pupil && { ...pupil, view: FULL_PUPIL_VIEW },
        membership: membership && { ...membership, presenceDetail: true },
        errors,
      };
    },
    recordAdminHelpVisit: (_, { input }, ctx) => recordAdminHelpVisit(ctx, input),
  },
  Beneficiary: {
    // Keep the consents network sent along (`@requires`): the facet decides from them.
    __resolveReference: (ref) => ({ id: ref.id, access: ref.access }),
    homework: async ({ id, access: grants }, _, ctx, info) => {
      // Decide before reading any row about the person: the answer must not tell whether a
      // school knows them.
      const view = facetView(ctx.viewer, await ctx.servedSchools(), grants);
      if (!isUuid(id)) return null;
      const { loaders } = ctx;
      const rows = await facetRows(ctx, info, FACET_FIELDS, {
        pupils: async () => (view.pupils ? loaders.pupilsByBeneficiary(view.schools).load(id) : []),
        visits: async () =>
          view.adminHelpVisits ? loaders.visitsByBeneficiary(view.schools).load(id) : [],
        tutors: async () => (view.tutors ? loaders.tutorsByBeneficiary(view.schools).load(id) : []),
      });
      if (!rows) return null;
      // Logged before the data leaves: if the log cannot be written, nothing is disclosed.
      await ctx.disclosures.record(id, view.disclosedUnder, disclosedFields(info, FACET_FIELDS));
      const pupilView = view.pupils ?? FULL_PUPIL_VIEW;
      return {
        ...rows,
        beneficiaryId: id,
        pupils: rows.pupils.map((pupil) => ({ ...pupil, view: pupilView })),
      };
    },
    homeworkDisclosures: async ({ id }, _, ctx) => {
      const school = writerSchool(ctx.viewer, await ctx.servedSchools());
      if (!school) {
        throw new PublicError(
          ErrorCode.Forbidden,
          'Only the staff of a homework school may read what homework disclosed',
        );
      }
      if (!isUuid(id)) return [];
      // Schools stay isolated: the log of a person the school holds nothing about is not theirs.
      const [pupils, visits, tutors] = await Promise.all([
        ctx.loaders.pupilsByBeneficiary([school]).load(id),
        ctx.loaders.visitsByBeneficiary([school]).load(id),
        ctx.loaders.tutorsByBeneficiary([school]).load(id),
      ]);
      if (!pupils.length && !visits.length && !tutors.length) return [];
      return ctx.disclosures.about(id);
    },
  },
  HomeworkBeneficiaryFacet: {
    pupilRecords: (facet) => facet.pupils,
    adminHelpVisits: (facet) => facet.visits,
    tutorRecords: (facet) => facet.tutors,
  },
  HomeworkPupil: {
    school: (pupil) => ({ id: pupil.schoolId }),
    guardian: (pupil) =>
      pupil.view.guardian && pupil.guardianBeneficiaryId
        ? { id: pupil.guardianBeneficiaryId }
        : null,
    guardianConsent: (pupil) => (pupil.view.guardian ? pupil : null),
    memberships: async (pupil, _, { loaders }) =>
      (await loaders.membershipsByPupil.load(pupil.id)).map((membership) => ({
        ...membership,
        presenceDetail: pupil.view.presenceDetail,
      })),
  },
  HomeworkGuardianConsent: {
    onFile: (pupil) => pupil.guardianConsentWithdrawnOn === null,
    givenOn: (pupil) => pupil.guardianConsentGivenOn,
    method: (pupil) => pupil.guardianConsentMethod as 'WRITTEN' | 'ORAL_ATTESTED' | 'DIGITAL',
    withdrawnOn: (pupil) => pupil.guardianConsentWithdrawnOn,
  },
  HomeworkClubMembership: {
    club: (membership) => ({ id: membership.clubId }),
    active: (membership, _, { today }) => membership.leftOn === null || membership.leftOn > today,
    presence: (membership, _, { loaders }) =>
      membership.presenceDetail ? loaders.presenceByMembership.load(membership.id) : [],
    presenceRate: async (membership, _, { loaders }) =>
      (await loaders.presenceRate.load(membership.id))?.rate ?? null,
  },
  HomeworkClubSession: {
    // Tutors are teenage volunteers: only their own school's staff see them. Decided before the
    // row is read for anyone who is no school's staff.
    tutor: async (session, _, { viewer, loaders, servedSchools }) => {
      if (!session.tutorId) return null;
      const served = await servedSchools();
      if (!writerSchool(viewer, served)) return null;
      const tutor = await loaders.tutor.load(session.tutorId);
      return tutor && maySeeTutor(viewer, served, tutor.schoolId) ? tutor : null;
    },
  },
  HomeworkTutor: {
    school: (tutor) => ({ id: tutor.schoolId }),
  },
  HomeworkAdminHelpVisit: {
    course: (visit) => ({ id: visit.courseId }),
    school: (visit) => ({ id: visit.schoolId }),
  },
  Course: {
    __resolveReference: (ref) => ({ id: ref.id }),
    // Figures and offer details only, no person: public to every signed-in viewer (access.ts).
    homework: async ({ id }, _, { loaders }) => {
      if (!isUuid(id)) return null;
      const [club, adminHelp] = await Promise.all([
        loaders.club.load(id),
        loaders.adminHelpCourse.load(id),
      ]);
      if (club) return { kind: 'HOMEWORK_CLUB', club };
      if (adminHelp) return { kind: 'ADMIN_HELP', adminHelp };
      return null;
    },
  },
  HomeworkCourseFacet: {
    kind: (facet) => facet.kind,
    school: (facet) => ({
      id: facet.kind === 'HOMEWORK_CLUB' ? facet.club.schoolId : facet.adminHelp.schoolId,
    }),
    club: (facet) => (facet.kind === 'HOMEWORK_CLUB' ? facet.club : null),
    adminHelp: (facet) => (facet.kind === 'ADMIN_HELP' ? facet.adminHelp : null),
  },
  HomeworkClub: {
    level: (club) => club.level as 'PRIMARY' | 'SECONDARY',
    slots: (club, _, { loaders }) => loaders.slotsByClub.load(club.courseId),
    pupilsCount: async (club, _, { loaders }) =>
      (await loaders.memberCounts.load(club.courseId))?.pupils ?? 0,
    tutorsCount: async (club, _, { loaders }) =>
      (await loaders.tutorCounts.load(club.courseId))?.tutors ?? 0,
    upcomingSessions: async (club, { first }, { loaders }) => {
      const limit = first ?? 5;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_UPCOMING) {
        throw badInput(`first must be between 1 and ${MAX_UPCOMING}`, 'first');
      }
      return (await loaders.upcomingSessionsByClub.load(club.courseId)).slice(0, limit);
    },
  },
  HomeworkClubSlot: {
    weekday: (slot) => WEEKDAYS[slot.weekday - 1] ?? 'MONDAY',
    startsAt: (slot) => clock(slot.startsAt),
    endsAt: (slot) => clock(slot.endsAt),
  },
  HomeworkAdminHelp: {
    visitsCount: async (course, _, { loaders }) =>
      (await loaders.categoryCountsByCourse.load(course.courseId)).reduce(
        (sum, row) => sum + row.visits,
        0,
      ),
    visitsByCategory: async (course, _, { loaders }) => {
      const counts = await loaders.categoryCountsByCourse.load(course.courseId);
      return PROCEDURE_CATEGORIES.map((category) => ({
        category,
        visits: counts.find((row) => row.category === category)?.visits ?? 0,
      }));
    },
  },
};

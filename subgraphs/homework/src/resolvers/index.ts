import { badInput, DateScalar, DateTimeScalar } from '@passerelle/service';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { WEEKDAYS } from '../calendar.ts';
import { MAX_UPCOMING } from '../repositories/sessions.ts';
import { PROCEDURE_CATEGORIES, recordAdminHelpVisit } from '../services/admin-help.ts';
import { enrollPupil } from '../services/pupils.ts';

/** `HH:MM:SS` from the database as `HH:MM`. */
const clock = (time: string) => time.slice(0, 5);

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Mutation: {
    enrollPupil: (_, { input }, ctx) => enrollPupil(ctx, input),
    recordAdminHelpVisit: (_, { input }, ctx) => recordAdminHelpVisit(ctx, input),
  },
  Beneficiary: {
    __resolveReference: (ref) => ({ id: ref.id }),
    homework: async ({ id }, _, { loaders, visibleSchools }) => {
      const [visible, pupils, visits, tutors] = await Promise.all([
        visibleSchools(),
        loaders.pupilsByBeneficiary.load(id),
        loaders.visitsByBeneficiary.load(id),
        loaders.tutorsByBeneficiary.load(id),
      ]);
      const facet = {
        beneficiaryId: id,
        pupils: pupils.filter((row) => visible.has(row.schoolId)),
        visits: visits.filter((row) => visible.has(row.schoolId)),
        tutors: tutors.filter((row) => visible.has(row.schoolId)),
      };
      if (!facet.pupils.length && !facet.visits.length && !facet.tutors.length) return null;
      return facet;
    },
  },
  HomeworkBeneficiaryFacet: {
    pupilRecords: (facet) => facet.pupils,
    adminHelpVisits: (facet) => facet.visits,
    tutorRecords: (facet) => facet.tutors,
  },
  HomeworkPupil: {
    school: (pupil) => ({ id: pupil.schoolId }),
    guardian: (pupil) => (pupil.guardianBeneficiaryId ? { id: pupil.guardianBeneficiaryId } : null),
    guardianConsent: (pupil) => pupil,
    memberships: (pupil, _, { loaders }) => loaders.membershipsByPupil.load(pupil.id),
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
    presence: (membership, _, { loaders }) => loaders.presenceByMembership.load(membership.id),
    presenceRate: async (membership, _, { loaders }) => {
      const presence = await loaders.presenceByMembership.load(membership.id);
      return presence.length
        ? presence.filter((row) => row.present).length / presence.length
        : null;
    },
  },
  HomeworkClubSession: {
    tutor: (session, _, { loaders }) =>
      session.tutorId ? loaders.tutor.load(session.tutorId) : null,
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
    homework: async ({ id }, _, { loaders, visibleSchools }) => {
      const [visible, club, adminHelp] = await Promise.all([
        visibleSchools(),
        loaders.club.load(id),
        loaders.adminHelpCourse.load(id),
      ]);
      if (club && visible.has(club.schoolId)) return { kind: 'HOMEWORK_CLUB', club };
      if (adminHelp && visible.has(adminHelp.schoolId)) return { kind: 'ADMIN_HELP', adminHelp };
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

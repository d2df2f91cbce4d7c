import {
  type AccessGrant,
  DateScalar,
  DateTimeScalar,
  disclosedFields,
  ErrorCode,
  facetRows,
  isUuid,
  PublicError,
  type FacetFields,
} from '@passerelle/service';
import type { Resolvers, TrainingBeneficiaryFacet } from '../__generated__/resolvers-types.ts';
import { grantsFrom, personView, seesPeopleOf, staffPartner } from '../access.ts';
import { digCompCompetences } from '../digcomp.ts';
import { coursesWithoutSeats } from '../services/courses.ts';
import { enroll, recordAttendance } from '../services/enrollments.ts';

/** The rows each field of the person's facet shows: `facetRows` reads only what is asked. */
const FACET_FIELDS = {
  enrollments: 'enrollments',
  assessments: 'assessments',
  // Over the visible partners' attendance records, read by the field itself.
  attendanceRate: null,
} as const satisfies FacetFields<TrainingBeneficiaryFacet, string>;

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Query: {
    trainingCoursesWithoutSeats: (_, { runningOn }, ctx) => coursesWithoutSeats(ctx, runningOn),
  },
  Mutation: {
    enroll: (_, { input }, ctx) => enroll(ctx, input),
    recordAttendance: (_, { input }, ctx) => recordAttendance(ctx, input),
  },
  Beneficiary: {
    // Keeps the consents network sent (`@requires`): the facet decides from them.
    __resolveReference: (ref) => {
      if (!isUuid(ref.id)) return null;
      const access: AccessGrant[] | undefined =
        'access' in ref ? grantsFrom(ref.access) : undefined;
      return { id: ref.id, access };
    },
    training: async ({ id, access }, _, ctx, info) => {
      // Decide before reading any row: a withheld facet reads the same whether or not training
      // partners know the person.
      const view = personView(ctx.viewer, await ctx.servedPartners(), access ?? []);
      const seen = <Row extends { partnerId: string }>(rows: Row[]) =>
        rows.filter((row) => view.partners.has(row.partnerId));
      const rows = await facetRows(ctx, info, FACET_FIELDS, {
        enrollments: async () => seen(await ctx.loaders.enrollmentsByBeneficiary.load(id)),
        assessments: async () =>
          view.assessments ? seen(await ctx.loaders.assessmentsByBeneficiary.load(id)) : [],
      });
      if (!rows) return null;
      // The disclosure is logged before the data leaves; if the log fails, nothing is shown.
      await ctx.disclosures.record(id, view.grants, disclosedFields(info, FACET_FIELDS));
      return { ...rows, beneficiaryId: id, partners: view.partners };
    },
    trainingDisclosures: async ({ id }, _, ctx) => {
      const partner = staffPartner(ctx.viewer, await ctx.servedPartners());
      if (!partner) {
        throw new PublicError(
          ErrorCode.Forbidden,
          "Only a training partner's staff and partner admins read its disclosure log",
        );
      }
      if (!isUuid(id)) return [];
      // Training partners stay apart: the log of a person the partner holds nothing about is
      // not theirs to read.
      const [enrollments, assessments] = await Promise.all([
        ctx.loaders.enrollmentsByBeneficiary.load(id),
        ctx.loaders.assessmentsByBeneficiary.load(id),
      ]);
      const own = (row: { partnerId: string }) => row.partnerId === partner;
      if (!enrollments.some(own) && !assessments.some(own)) return [];
      return ctx.disclosures.about(id);
    },
  },
  TrainingBeneficiaryFacet: {
    attendanceRate: async ({ beneficiaryId, partners }, _, { loaders }) => {
      const stats = (await loaders.attendanceStats.load(beneficiaryId)).filter((row) =>
        partners.has(row.partnerId),
      );
      const recorded = stats.reduce((sum, row) => sum + row.recorded, 0);
      const present = stats.reduce((sum, row) => sum + row.present, 0);
      return recorded > 0 ? present / recorded : null;
    },
  },
  Course: {
    __resolveReference: (ref) =>
      isUuid(ref.id)
        ? { id: ref.id, capacity: 'capacity' in ref ? ref.capacity : undefined }
        : null,
    training: async ({ id, capacity }, _, { loaders }) => {
      const offer = await loaders.offer.load(id);
      if (!offer || capacity === undefined) return null;
      return { courseId: id, partnerId: offer.partnerId, capacity };
    },
  },
  TrainingCourseFacet: {
    sessions: ({ courseId }, _, { loaders }) => loaders.sessionsByCourse.load(courseId),
    seatsTaken: async ({ courseId }, _, { loaders }) =>
      (await loaders.seatCounts.load(courseId))?.enrolled ?? 0,
    seatsLeft: async ({ courseId, capacity }, _, { loaders }) =>
      Math.max(0, capacity - ((await loaders.seatCounts.load(courseId))?.enrolled ?? 0)),
    waitlisted: async ({ courseId }, _, { loaders }) =>
      (await loaders.seatCounts.load(courseId))?.waitlisted ?? 0,
    // People only for the running partner's staff; everyone else gets the counts above only.
    enrollments: async ({ courseId, partnerId }, _, ctx) =>
      seesPeopleOf(ctx.viewer, await ctx.servedPartners(), partnerId)
        ? ctx.loaders.enrollmentsByCourse.load(courseId)
        : [],
  },
  Enrollment: {
    // Null, as for an unknown id, unless the viewer is staff of the partner that runs the course.
    __resolveReference: async ({ id }, ctx) => {
      if (!isUuid(id)) return null;
      const served = await ctx.servedPartners();
      if (!staffPartner(ctx.viewer, served)) return null;
      const enrollment = await ctx.loaders.enrollment.load(id);
      return enrollment && seesPeopleOf(ctx.viewer, served, enrollment.partnerId)
        ? enrollment
        : null;
    },
    course: (enrollment) => ({ id: enrollment.courseId }),
    beneficiary: (enrollment) => ({ id: enrollment.beneficiaryId }),
    attendance: (enrollment, _, { loaders }) => loaders.attendanceByEnrollment.load(enrollment.id),
    // The referral is the running partner's business: it received it.
    referral: async (enrollment, _, ctx) =>
      enrollment.referralId &&
      seesPeopleOf(ctx.viewer, await ctx.servedPartners(), enrollment.partnerId)
        ? { id: enrollment.referralId }
        : null,
  },
  DigCompAssessment: {
    competenceName: (assessment) =>
      digCompCompetences[assessment.competence] ?? assessment.competence,
  },
};

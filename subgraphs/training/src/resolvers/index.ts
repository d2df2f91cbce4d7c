import { DateScalar, DateTimeScalar } from '@passerelle/service';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { digCompCompetences } from '../digcomp.ts';
import { enroll, recordAttendance } from '../services/enrollments.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Mutation: {
    enroll: (_, { input }, ctx) => enroll(ctx, input),
    recordAttendance: (_, { input }, ctx) => recordAttendance(ctx, input),
  },
  Beneficiary: {
    __resolveReference: (ref) => ({ id: ref.id }),
    training: async ({ id }, _, { loaders }) => {
      const [enrollments, assessments] = await Promise.all([
        loaders.enrollmentsByBeneficiary.load(id),
        loaders.assessmentsByBeneficiary.load(id),
      ]);
      if (enrollments.length === 0 && assessments.length === 0) return null;
      return { beneficiaryId: id, enrollments, assessments };
    },
  },
  TrainingBeneficiaryFacet: {
    attendanceRate: async ({ beneficiaryId }, _, { loaders }) => {
      const stats = await loaders.attendanceStats.load(beneficiaryId);
      return stats && stats.recorded > 0 ? stats.present / stats.recorded : null;
    },
  },
  Course: {
    __resolveReference: (ref) => ({ id: ref.id, capacity: ref.capacity }),
    training: async ({ id, capacity }, _, { loaders }) => {
      const offer = await loaders.offer.load(id);
      if (!offer || capacity === undefined) return null;
      return { courseId: id, capacity };
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
    enrollments: ({ courseId }, _, { loaders }) => loaders.enrollmentsByCourse.load(courseId),
  },
  Enrollment: {
    __resolveReference: ({ id }, { loaders }) => loaders.enrollment.load(id),
    course: (enrollment) => ({ id: enrollment.courseId }),
    beneficiary: (enrollment) => ({ id: enrollment.beneficiaryId }),
    attendance: (enrollment, _, { loaders }) => loaders.attendanceByEnrollment.load(enrollment.id),
  },
  DigCompAssessment: {
    competenceName: (assessment) =>
      digCompCompetences[assessment.competence] ?? assessment.competence,
  },
};
